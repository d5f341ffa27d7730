package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.uri.UriPath;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The segment matcher accepts exactly the paths Helidon's own pattern matcher accepts for the same
 * template, with the same parameter values, so replacing one by the other on the read routes
 * changes no route's answer.
 */
class SegmentPathMatcherTest {

  private static final List<String> TEMPLATES =
      List.of(
          "/v1/instances/{instance}/config/{namespace}",
          "/v1/instances/{instance}/checksums",
          "/{instance}/config/{namespace}",
          "/{a}",
          "/x/{b}/y");

  private static final List<String> PATHS =
      List.of(
          "/v1/instances/acme/config/core",
          "/v1/instances/acme/checksums",
          "/v1/instances/acme/config/",
          "/v1/instance/acme/config/core",
          "/v1/instances//config/core",
          "/v1/instances/acme/config/core/x",
          "/acme/config/core",
          "/acme/config/core/",
          "/acme/config/",
          "/acme/config",
          "//config/core",
          "/acme//core",
          "/acme/configs/core",
          "/acme/conFig/core",
          "/acme/config/core/extra",
          "/a%20b/config/c%2Fd",
          "/a%2Fb/config/c",
          "/acme/checksums",
          "/acme/checksums/",
          "/checksums",
          "/x",
          "/x/",
          "/",
          "",
          "/x/q/y",
          "/x/q/y/z",
          "/x//y",
          "/ü/config/ß");

  @Test
  void acceptsWhatHelidonsPatternMatcherAccepts_withTheSameParameters() {
    for (String template : TEMPLATES) {
      PathMatcher ours = SegmentPathMatcher.of(template);
      PathMatcher helidons = PathMatchers.create(template);
      for (String raw : PATHS) {
        UriPath path = UriPath.create(raw);
        PathMatchers.MatchResult expected = helidons.match(path);
        PathMatchers.MatchResult actual = ours.match(path);
        assertThat(actual.accepted())
            .as("%s against %s", raw, template)
            .isEqualTo(expected.accepted());
        if (expected.accepted()) {
          assertThat(actual.path().pathParameters().toMap())
              .as("parameters of %s against %s", raw, template)
              .isEqualTo(expected.path().pathParameters().toMap());
          assertThat(actual.path().path()).isEqualTo(expected.path().path());
        }
      }
      assertThat(ours.matchingElement()).contains(template);
    }
  }
}
