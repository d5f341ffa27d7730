package io.holdfast.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
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
    return notModified(req, current, null);
  }

  /**
   * As {@link #notModified(ServerRequest, EntityTag)}, for a resource whose {@code ETag} field
   * value is {@code currentHeaderValue}: a request that sends back exactly that value, as a client
   * revalidating its copy does, matches without being parsed (it is one well-formed tag, equal to
   * the current one). Anything else is parsed and compared as before.
   */
  static boolean notModified(ServerRequest req, EntityTag current, String currentHeaderValue) {
    Headers headers = req.headers();
    if (!headers.contains(HeaderNames.IF_NONE_MATCH)) {
      return false;
    }
    Header header = headers.get(HeaderNames.IF_NONE_MATCH);
    if (currentHeaderValue != null
        && header.valueCount() == 1
        && currentHeaderValue.equals(header.get())) {
      return true;
    }
    List<String> values = header.allValues(false);
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
