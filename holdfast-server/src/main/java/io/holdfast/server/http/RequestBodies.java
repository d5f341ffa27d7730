package io.holdfast.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.edge.RequestBody;
import io.holdfast.server.ProblemException;
import java.util.Optional;

/**
 * Reads request bodies within the limits: JSON media type, at most {@code maxBytes}, nesting at
 * most {@code maxDepth}, no duplicate members. The body is read into memory only up to the limit
 * plus one byte, so an oversized upload costs bounded memory. Thread-safe.
 */
final class RequestBodies {

  private final StrictJson json;

  RequestBodies(StrictJson json) {
    this.json = json;
  }

  /** The body as a JSON object. */
  ObjectNode object(ServerRequest req) {
    JsonNode node = value(req);
    if (!node.isObject()) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "the body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** The body as any JSON value. */
  JsonNode value(ServerRequest req) {
    Optional<HttpMediaType> type = req.headers().contentType();
    if (type.isEmpty() || !isJson(type.get())) {
      throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    }
    if (req.headers().contentLength().orElse(0) > json.maxBytes()) {
      throw tooLarge(req.headers().contentLength().getAsLong());
    }
    byte[] bytes = readBounded(req);
    try {
      return json.parse(bytes);
    } catch (JsonInputException e) {
      throw ProblemException.of(e);
    }
  }

  private byte[] readBounded(ServerRequest req) {
    int limit = json.maxBytes();
    byte[] bytes = RequestBody.readAtMost(req, limit);
    if (bytes.length > limit) {
      throw tooLarge(-1);
    }
    return bytes;
  }

  private ProblemException tooLarge(long length) {
    return new ProblemException(ProblemType.DOCUMENT_TOO_LARGE, (length >= 0 ? "the body is " + length + " bytes; " : "")
        + "the limit is " + json.maxBytes() + " bytes");
  }

  private static boolean isJson(HttpMediaType type) {
    String subtype = type.mediaType().subtype();
    return "application".equals(type.mediaType().type()) && ("json".equals(subtype) || subtype.endsWith("+json"));
  }
}
