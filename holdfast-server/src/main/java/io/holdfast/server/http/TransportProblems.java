package io.holdfast.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.problem.Problem;
import io.holdfast.protocol.problem.ProblemType;
import java.util.Locale;

/**
 * Answers requests that Helidon rejects before routing (an unparsable request line, a header block
 * over the limit, a body over the hard cap) with problem+json too, so that every error a client
 * sees has the same shape. Helidon's own message is not echoed: it may quote the input.
 */
final class TransportProblems implements DirectHandler {

  @Override
  public TransportResponse handle(
      TransportRequest request,
      EventType eventType,
      Status status,
      ServerResponseHeaders headers,
      String message) {
    ProblemType type = classify(eventType, status, message);
    byte[] body =
        new Problem(type, detail(type), request.path().isEmpty() ? null : request.path()).toBytes();
    return TransportResponse.builder()
        .status(Status.create(type.status()))
        .headers(headers)
        .header(HeaderNames.CONTENT_TYPE, HoldfastHeaders.PROBLEM_MEDIA_TYPE)
        .header(HeaderNames.CACHE_CONTROL, "no-store")
        .header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff")
        .entity(body)
        .build();
  }

  private static ProblemType classify(EventType eventType, Status status, String message) {
    if (eventType == EventType.PAYLOAD_TOO_LARGE || status.code() == 413) {
      return ProblemType.DOCUMENT_TOO_LARGE;
    }
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (status.code() == 431
        || (m.contains("header")
            && (m.contains("size") || m.contains("large") || m.contains("long")))) {
      return ProblemType.HEADERS_TOO_LARGE;
    }
    if (status.code() == 505) {
      return ProblemType.HTTP_VERSION_NOT_SUPPORTED;
    }
    if (status.code() == 414) {
      return ProblemType.URI_TOO_LONG;
    }
    if (m.contains("content encoding") || m.contains("content-encoding")) {
      // Content coding is off (HttpApi): Helidon refuses any Content-Encoding before a byte of
      // the body is read, so a compressed body is never inflated (FAULTS C13).
      return ProblemType.UNSUPPORTED_MEDIA_TYPE;
    }
    if (eventType == EventType.INTERNAL_ERROR || status.code() >= 500) {
      return ProblemType.INTERNAL_ERROR;
    }
    return ProblemType.MALFORMED_REQUEST;
  }

  private static String detail(ProblemType type) {
    return switch (type) {
      case DOCUMENT_TOO_LARGE -> "the request body is larger than this server accepts";
      case HEADERS_TOO_LARGE ->
          "the request's header block is larger than " + HttpApi.MAX_HEADER_BYTES + " bytes";
      case HTTP_VERSION_NOT_SUPPORTED ->
          "this server speaks HTTP/1.1 (and answers HTTP/1.0 on a connection of its own)";
      case URI_TOO_LONG -> "the request line is too long";
      case INTERNAL_ERROR -> "the server failed unexpectedly; see its log";
      case UNSUPPORTED_MEDIA_TYPE ->
          "a body with a Content-Encoding is not accepted; send it uncompressed";
      default -> "the request is not well-formed HTTP/1.1";
    };
  }
}
