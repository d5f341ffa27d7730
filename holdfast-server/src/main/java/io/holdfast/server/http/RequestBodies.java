package io.holdfast.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.edge.RequestBody;
import io.holdfast.server.problem.ProblemException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads request bodies within the limits: JSON media type in UTF-8, uncompressed, at most {@code
 * maxBytes}, nesting at most {@code maxDepth}, no duplicate members. The body is read into memory
 * only up to the limit plus one byte, so an oversized upload costs bounded memory. Thread-safe.
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
    byte[] bytes = raw(req, json.maxBytes());
    try {
      return json.parse(bytes);
    } catch (JsonInputException e) {
      throw ProblemException.of(e);
    }
  }

  /**
   * The body's bytes, unparsed, for a caller that keeps them exactly as sent (a signed key set),
   * after the same checks of media type, charset and encoding, and at most {@code maxBytes}.
   */
  byte[] raw(ServerRequest req, int maxBytes) {
    Optional<HttpMediaType> type;
    try {
      type = req.headers().contentType();
    } catch (RuntimeException e) {
      // Helidon parses the header lazily, and a malformed one (";;;", "charset" without "=")
      // fails as BadRequestException or worse. Its message is not ours to echo.
      throw new ProblemException(
          ProblemType.MALFORMED_REQUEST,
          "the Content-Type header cannot be parsed;" + " send application/json");
    }
    if (type.isEmpty() || !isJson(type.get())) {
      throw new ProblemException(
          ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    }
    requireUtf8(type.get());
    requireIdentityEncoding(req);
    if (req.headers().contentLength().orElse(0) > maxBytes) {
      throw tooLarge(req.headers().contentLength().getAsLong(), maxBytes);
    }
    byte[] bytes = readBounded(req, maxBytes);
    requireUtf8(bytes);
    return bytes;
  }

  private static byte[] readBounded(ServerRequest req, int limit) {
    byte[] bytes = RequestBody.readAtMost(req, limit);
    if (bytes.length > limit) {
      throw tooLarge(-1, limit);
    }
    return bytes;
  }

  private static ProblemException tooLarge(long length, int limit) {
    return new ProblemException(
        ProblemType.DOCUMENT_TOO_LARGE,
        (length >= 0 ? "the body is " + length + " bytes; " : "")
            + "the limit is "
            + limit
            + " bytes");
  }

  /**
   * A compressed body is refused, never inflated: inflating would let a small body grow a
   * thousandfold past every limit (FAULTS C13). While content coding is off (HttpApi) Helidon
   * refuses any Content-Encoding before routing (TransportProblems words it); this holds the line
   * should it ever be turned on. The refusal comes before a byte of the body is read.
   */
  private static void requireIdentityEncoding(ServerRequest req) {
    for (String value : req.headers().all(HeaderNames.CONTENT_ENCODING, List::of)) {
      for (String encoding : value.split(",")) {
        String coding = encoding.strip();
        if (!coding.isEmpty() && !coding.equalsIgnoreCase("identity")) {
          throw new ProblemException(
              ProblemType.UNSUPPORTED_MEDIA_TYPE,
              "Content-Encoding "
                  + Routes.abbreviate(coding)
                  + " is not accepted; send the body uncompressed");
        }
      }
    }
  }

  /**
   * JSON exchanged between systems is UTF-8 (RFC 8259 §8.1). A body declared in another charset is
   * refused rather than decoded: the parser would read ISO-8859-1 bytes as broken UTF-8, or
   * auto-detect UTF-16 and store text the sender never meant.
   */
  private static void requireUtf8(HttpMediaType type) {
    for (Map.Entry<String, String> parameter : type.parameters().entrySet()) {
      if (parameter.getKey().equalsIgnoreCase(HttpMediaType.CHARSET_PARAMETER)) {
        String charset = parameter.getValue().replace("\"", "").strip();
        if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
          throw new ProblemException(
              ProblemType.UNSUPPORTED_MEDIA_TYPE,
              "send the body as application/json in UTF-8;"
                  + " charset "
                  + Routes.abbreviate(charset)
                  + " is not accepted");
        }
      }
    }
  }

  /**
   * A body in UTF-16 or UTF-32 without a charset parameter: JSON in UTF-8 never holds a zero byte
   * (control characters in strings are escaped), while the other encodings put one in the first
   * four bytes of any JSON text.
   */
  private static void requireUtf8(byte[] body) {
    for (int i = 0; i < Math.min(4, body.length); i++) {
      if (body[i] == 0) {
        throw new ProblemException(
            ProblemType.UNSUPPORTED_MEDIA_TYPE,
            "the body is not UTF-8 (it looks like UTF-16 or UTF-32); send application/json in UTF-8");
      }
    }
    if (body.length >= 2
        && ((body[0] & 0xFF) == 0xFE && (body[1] & 0xFF) == 0xFF
            || (body[0] & 0xFF) == 0xFF && (body[1] & 0xFF) == 0xFE)) {
      throw new ProblemException(
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "the body starts with a UTF-16 byte order mark; send application/json in UTF-8");
    }
  }

  private static boolean isJson(HttpMediaType type) {
    String subtype = type.mediaType().subtype();
    return "application".equals(type.mediaType().type())
        && ("json".equals(subtype) || subtype.endsWith("+json"));
  }
}
