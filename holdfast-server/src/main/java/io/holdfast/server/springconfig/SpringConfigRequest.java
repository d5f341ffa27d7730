package io.holdfast.server.springconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a Spring Cloud Config request asks for, read from its path segments: the application, the
 * profiles, the label, and the format (the {@code Environment} JSON or one of the file forms).
 *
 * <p>The routes, as Spring Cloud Config's server has them: {@code
 * /{application}/{profile}[/{label}]} for the {@code Environment}, and {@code
 * [/{label}]/{application}-{profile}.{json|yml|yaml|properties}} for the merged properties as one
 * file. In the file forms the application and profile are split at the last {@code -}, so an
 * application (a namespace name) may itself contain hyphens.
 *
 * @param applications the application segment split at commas: namespace names, or {@link
 *     #ALL_NAMESPACES}
 * @param profiles the profile segment split at commas, as sent
 * @param label the label, or {@code null} when the path has none
 */
public record SpringConfigRequest(
    String application,
    List<String> applications,
    List<String> profiles,
    String label,
    Format format) {

  /** The application name that selects every namespace of the instance (Spring's default name). */
  public static final String ALL_NAMESPACES = "application";

  /** Longest path segment accepted; namespace names are at most 63 characters. */
  public static final int MAX_SEGMENT_LENGTH = 512;

  /** Most namespaces or profiles one request may list. */
  public static final int MAX_LIST_SIZE = 64;

  /** The representation asked for. */
  public enum Format {
    ENVIRONMENT("application/json"),
    JSON("application/json"),
    YAML("text/plain;charset=UTF-8"),
    PROPERTIES("text/plain;charset=UTF-8");

    private final String mediaType;

    Format(String mediaType) {
      this.mediaType = mediaType;
    }

    public String mediaType() {
      return mediaType;
    }

    /** The file form for a file name's extension, if it is one Spring Cloud Config serves. */
    static Optional<Format> ofExtension(String extension) {
      return switch (extension.toLowerCase(Locale.ROOT)) {
        case "json" -> Optional.of(JSON);
        case "yml", "yaml" -> Optional.of(YAML);
        case "properties" -> Optional.of(PROPERTIES);
        default -> Optional.empty();
      };
    }
  }

  /**
   * The request for {@code /{application}/{profile}[/{label}]} ({@code label} may be {@code null}).
   *
   * @throws SpringConfigRequestException if a segment is empty, too long or lists too much
   */
  public static SpringConfigRequest environment(String application, String profile, String label) {
    return create(application, profile, label, Format.ENVIRONMENT);
  }

  /**
   * The request for {@code [/{label}]/{application}-{profile}.{ext}}, or empty if {@code file} is
   * not such a file name (so the path is some other resource).
   *
   * @throws SpringConfigRequestException if it is one but a part is empty, too long or lists too
   *     much
   */
  public static Optional<SpringConfigRequest> file(String label, String file) {
    int dot = file.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    Optional<Format> format = Format.ofExtension(file.substring(dot + 1));
    String stem = file.substring(0, dot);
    int dash = stem.lastIndexOf('-');
    if (format.isEmpty() || dash < 0) {
      return Optional.empty();
    }
    return Optional.of(
        create(stem.substring(0, dash), stem.substring(dash + 1), label, format.get()));
  }

  /**
   * Refuses a request path, as sent (before percent-decoding), that Spring's client never sends and
   * that a proxy in front of the replica could read otherwise than the replica does: {@code %2F} or
   * {@code %5C} (the replica decodes an encoded slash into a segment separator, while a proxy that
   * routes or filters on the raw path sees one segment), or {@code ;} parameters (the replica drops
   * them from the segment).
   *
   * @throws SpringConfigRequestException if the path has any of them
   */
  public static void checkRawPath(String rawPath) {
    String lower = rawPath.toLowerCase(Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c")) {
      throw new SpringConfigRequestException(
          "an encoded '/' or '\\' is not allowed in the path; a label's '/' is sent as '(_)'");
    }
    if (rawPath.indexOf(';') >= 0) {
      throw new SpringConfigRequestException("';' parameters are not allowed in the path");
    }
  }

  /** Whether this is one of the forms that names a label. */
  public boolean hasLabel() {
    return label != null;
  }

  private static SpringConfigRequest create(
      String application, String profile, String label, Format format) {
    checkSegment("application", application);
    checkSegment("profile", profile);
    if (label != null) {
      checkSegment("label", label);
    }
    return new SpringConfigRequest(
        application, list("application", application), list("profile", profile), label, format);
  }

  private static void checkSegment(String what, String value) {
    if (value.isEmpty()) {
      throw new SpringConfigRequestException("the " + what + " must not be empty");
    }
    // A dot segment can only arrive percent-encoded (a plain one is resolved before routing): no
    // namespace, profile or label is one, and echoing it would only help a traversal attempt.
    if (value.equals(".") || value.equals("..")) {
      throw new SpringConfigRequestException("the " + what + " must not be '.' or '..'");
    }
    if (value.length() > MAX_SEGMENT_LENGTH) {
      throw new SpringConfigRequestException(
          "the " + what + " is longer than " + MAX_SEGMENT_LENGTH + " characters");
    }
    // A control character, or U+FFFD where the path's percent-encoding was not UTF-8: no name
    // has them, and echoing them back in the Environment would hand the client garbage.
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
        throw new SpringConfigRequestException(
            "the " + what + " must be UTF-8 text without control characters");
      }
    }
  }

  private static List<String> list(String what, String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      String name = item.strip();
      if (name.isEmpty()) {
        throw new SpringConfigRequestException("the " + what + " list has an empty entry");
      }
      if (!items.contains(name)) {
        items.add(name);
      }
      if (items.size() > MAX_LIST_SIZE) {
        throw new SpringConfigRequestException(
            "the " + what + " lists more than " + MAX_LIST_SIZE + " entries");
      }
    }
    return List.copyOf(items);
  }
}
