package io.holdfast.testkit;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** An answer about to be written by the proxy: status, ordered headers and body. Mutable. */
final class Response {

  /** Hop-by-hop headers (RFC 9110 §7.6.1) and framing the proxy sets itself. */
  static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private final int status;
  private final List<String[]> headers = new ArrayList<>();
  private byte[] body;

  private Response(int status, byte[] body) {
    this.status = status;
    this.body = body;
  }

  /**
   * The replica's answer, re-framed: hop-by-hop headers dropped and {@code Content-Length} set to
   * the body's length, except where the body is absent by definition ({@code 1xx}, {@code 204},
   * {@code 304}, or {@code headOnly} for the answer to a {@code HEAD}): there the replica's {@code
   * Content-Length}, if any, is kept.
   */
  static Response from(int status, HttpHeaders from, byte[] body, boolean headOnly) {
    Response response = new Response(status, body);
    boolean keepLength = headOnly || !hasBody(status);
    for (Map.Entry<String, List<String>> header : from.map().entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name) || (name.equals("content-length") && !keepLength)) {
        continue;
      }
      for (String value : header.getValue()) {
        response.headers.add(new String[] {header.getKey(), value});
      }
    }
    if (!keepLength) {
      response.set("Content-Length", Integer.toString(body.length));
    }
    return response;
  }

  static Response replay(FaultyReplica.Recorded recorded) {
    return from(recorded.status(), recorded.headers(), recorded.body(), false);
  }

  static Response of(int status, String contentType, byte[] body) {
    Response response = new Response(status, body);
    response.set("Content-Type", contentType);
    response.set("Content-Length", Integer.toString(body.length));
    return response;
  }

  static Response problem(int status, String retryAfter, String detail) {
    String json =
        "{\"detail\":\""
            + detail
            + "\",\"status\":"
            + status
            + ",\"title\":\""
            + reason(status)
            + "\",\"type\":\"about:blank\"}";
    Response response =
        of(status, "application/problem+json", json.getBytes(StandardCharsets.UTF_8));
    if (retryAfter != null) {
      response.set("Retry-After", retryAfter);
    }
    return response;
  }

  static Response problem(int status, String retryAfter) {
    return problem(status, retryAfter, "Injected by FaultyReplica.");
  }

  static Response notModified(String etag) {
    Response response = new Response(304, new byte[0]);
    response.set("ETag", etag);
    return response;
  }

  int status() {
    return status;
  }

  /** The body, not a copy: faults may change it in place. */
  byte[] body() {
    return body;
  }

  /** Replaces the body and, where the status allows a body, the {@code Content-Length}. */
  Response withBody(byte[] newBody) {
    body = newBody;
    if (hasBody(status)) {
      set("Content-Length", Integer.toString(newBody.length));
    }
    return this;
  }

  void remove(String name) {
    headers.removeIf(header -> header[0].equalsIgnoreCase(name));
  }

  void set(String name, String value) {
    remove(name);
    headers.add(new String[] {name, value});
  }

  /** The status line and headers, {@code Connection: close} last, and the empty line. */
  byte[] head() {
    StringBuilder head = new StringBuilder(256);
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    for (String[] header : headers) {
      head.append(header[0]).append(": ").append(header[1]).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Whether a response with this status carries a body (RFC 9110 §6.4.1). */
  static boolean hasBody(int status) {
    return status >= 200 && status != 204 && status != 304;
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 411 -> "Length Required";
      case 413 -> "Content Too Large";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status " + status;
    };
  }
}
