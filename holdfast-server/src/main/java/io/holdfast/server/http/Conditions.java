package io.holdfast.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.http.IfNoneMatch;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import java.util.List;

/** RFC 9110 §13.1.2 evaluation of {@code If-None-Match} for GET and HEAD. */
final class Conditions {

  private Conditions() {}

  /**
   * Whether the request's {@code If-None-Match} matches {@code current}, so that the answer is 304.
   * Call it before writing any header, so a malformed condition gets a clean 400.
   *
   * @throws ProblemException {@code INVALID_PRECONDITION} if the header is malformed
   */
  static boolean notModified(ServerRequest req, EntityTag current) {
    List<String> values =
        req.headers()
            .find(HeaderNames.IF_NONE_MATCH)
            .map(h -> h.allValues(false))
            .orElse(List.of());
    if (values.isEmpty()) {
      return false;
    }
    try {
      return IfNoneMatch.parse(values).matches(current);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.INVALID_PRECONDITION, e.getMessage());
    }
  }
}
