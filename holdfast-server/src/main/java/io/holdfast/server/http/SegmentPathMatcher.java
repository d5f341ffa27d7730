package io.holdfast.server.http;

import io.helidon.common.parameters.Parameters;
import io.helidon.common.uri.UriPath;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.http.RoutedPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a path template made of whole segments, each a literal or a {@code {name}} parameter (no
 * wildcards, no regular expressions), exactly as Helidon's pattern matcher matches the same
 * template: a parameter is one or more characters other than {@code /} of the decoded path.
 *
 * <p>Why: Helidon matches {@code {name}} templates with a regular expression and reads each
 * parameter through a named group, which copies the pattern's group map on every call; on the
 * instance read path that was about a twentieth of a request's CPU (issue 21). Comparing segments
 * costs a few character comparisons and a substring per parameter. The template is still the
 * route's matching element, so metrics keep labelling by it. Immutable and thread-safe.
 */
final class SegmentPathMatcher implements PathMatcher {

  private static final String PARAMETERS_COMPONENT = "http/path";

  private final String template;

  /** Per segment: the literal, or {@code null} for a parameter. */
  private final String[] literals;

  /** Per segment: the parameter's name, or {@code null} for a literal. */
  private final String[] names;

  /** Used for prefix matches, which the instance routes never need. */
  private final PathMatcher prefixes;

  private SegmentPathMatcher(String template, String[] literals, String[] names) {
    this.template = template;
    this.literals = literals;
    this.names = names;
    this.prefixes = PathMatchers.create(template);
  }

  /** A matcher for {@code template}, such as {@code /{instance}/config/{namespace}}. */
  static SegmentPathMatcher of(String template) {
    if (!template.startsWith("/") || template.endsWith("/")) {
      throw new IllegalArgumentException("a template starts with / and does not end with it");
    }
    List<String> literals = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String segment : template.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.contains("*")) {
        throw new IllegalArgumentException("unsupported segment in " + template);
      }
      boolean parameter = segment.startsWith("{") && segment.endsWith("}");
      literals.add(parameter ? null : segment);
      names.add(parameter ? segment.substring(1, segment.length() - 1) : null);
    }
    return new SegmentPathMatcher(
        template, literals.toArray(String[]::new), names.toArray(String[]::new));
  }

  @Override
  public PathMatchers.MatchResult match(UriPath uriPath) {
    String path = uriPath.path();
    if (path.isEmpty() || path.charAt(0) != '/') {
      return PathMatchers.MatchResult.notAccepted();
    }
    Map<String, String> parameters = null;
    int start = 1;
    for (int i = 0; i < literals.length; i++) {
      int end = path.indexOf('/', start);
      boolean last = i == literals.length - 1;
      if (last ? end >= 0 : end < 0) {
        return PathMatchers.MatchResult.notAccepted(); // more or fewer segments than the template
      }
      if (last) {
        end = path.length();
      }
      if (end == start) {
        return PathMatchers.MatchResult.notAccepted(); // an empty segment
      }
      String literal = literals[i];
      if (literal != null) {
        if (end - start != literal.length() || !path.startsWith(literal, start)) {
          return PathMatchers.MatchResult.notAccepted();
        }
      } else {
        if (parameters == null) {
          parameters = new HashMap<>(4);
        }
        parameters.put(names[i], path.substring(start, end));
      }
      start = end + 1;
    }
    Parameters values =
        Parameters.createSingleValueMap(
            PARAMETERS_COMPONENT, parameters == null ? Map.of() : parameters);
    return new PathMatchers.MatchResult(true, new Routed(uriPath, values));
  }

  @Override
  public PathMatchers.PrefixMatchResult prefixMatch(UriPath uriPath) {
    return prefixes.prefixMatch(uriPath);
  }

  @Override
  public Optional<String> matchingElement() {
    return Optional.of(template);
  }

  @Override
  public String toString() {
    return "segments: " + template;
  }

  /** The matched path with its parameters. */
  private record Routed(UriPath uriPath, Parameters pathParameters) implements RoutedPath {

    @Override
    public String rawPath() {
      return uriPath.rawPath();
    }

    @Override
    public String rawPathNoParams() {
      return uriPath.rawPathNoParams();
    }

    @Override
    public String path() {
      return uriPath.path();
    }

    @Override
    public Parameters matrixParameters() {
      return uriPath.matrixParameters();
    }

    @Override
    public void validate() {
      uriPath.validate();
    }

    @Override
    public RoutedPath absolute() {
      return new Routed(uriPath.absolute(), pathParameters);
    }

    @Override
    public String toString() {
      return uriPath.toString();
    }
  }
}
