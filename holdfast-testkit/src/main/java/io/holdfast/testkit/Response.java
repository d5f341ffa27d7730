package io.holdfast.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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

  /**
   * The replica's event stream still arriving, or {@code null} for an answer buffered whole in
   * {@link #body}. A streamed answer goes out chunked, a chunk per read, so that each event reaches
   * the client as soon as the replica sent it.
   */
  private InputStream stream;

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

  /**
   * The replica's {@code text/event-stream} answer, passed on as it arrives: hop-by-hop headers and
   * {@code Content-Length} dropped, {@code Transfer-Encoding: chunked} added when the head is
   * written.
   */
  static Response streaming(int status, HttpHeaders from, InputStream stream) {
    Response response = from(status, from, new byte[0], true);
    response.remove("Content-Length");
    response.stream = stream;
    return response;
  }

  /** Whether {@code contentType} is that of a server-sent-events stream. */
  static boolean isEventStream(String contentType) {
    return contentType != null
        && contentType.strip().toLowerCase(Locale.ROOT).startsWith("text/event-stream");
  }

  /** The stream still arriving, or {@code null} for an answer buffered whole. */
  InputStream stream() {
    return stream;
  }

  static Response replay(FaultyReplica.Recorded recorded) {
    return from(recorded.status(), recorded.headers(), recorded.body(), false);
  }

  /**
   * A recorded {@code GET .../checksums} answer as a whole {@code text/event-stream} body: the
   * opening comment and one {@code checksums} event whose data members carry its headers and its
   * body (base64), as the replica's stream does.
   */
  static Response replayAsEvent(FaultyReplica.Recorded recorded) {
    HttpHeaders headers = recorded.headers();
    String etag = headers.firstValue("ETag").orElse("");
    StringBuilder data = new StringBuilder(256).append('{');
    member(data, "etag", etag);
    headers.firstValue("Holdfast-Revision").ifPresent(v -> member(data, "revision", v));
    headers.firstValue("Repr-Digest").ifPresent(v -> member(data, "reprDigest", v));
    headers.firstValue("Holdfast-Signature").ifPresent(v -> member(data, "signature", v));
    headers
        .firstValue("Holdfast-Store-Unreachable-Since")
        .ifPresent(v -> member(data, "storeUnreachableSince", v));
    member(data, "body", Base64.getEncoder().encodeToString(recorded.body()));
    data.setCharAt(data.length() - 1, '}');
    String events =
        ": holdfast checksums stream\n\nevent: checksums\nid: " + etag + "\ndata: " + data + "\n\n";
    Response response = of(200, "text/event-stream", events.getBytes(StandardCharsets.UTF_8));
    response.set("Cache-Control", "no-store, no-transform");
    return response;
  }

  /** Appends {@code "name":"value",} with the value's quotes and backslashes escaped. */
  private static void member(StringBuilder json, String name, String value) {
    json.append('"').append(name).append("\":\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\');
      }
      json.append(c);
    }
    json.append("\",");
  }

  /**
   * This answer buffered whole: a stream read to its end (however long the replica keeps it open)
   * and sent with its {@code Content-Length}, as a buffering proxy would.
   */
  Response buffered() throws IOException {
    if (stream == null) {
      return this;
    }
    byte[] all;
    try (InputStream in = stream) {
      all = in.readAllBytes();
    }
    stream = null;
    return withBody(all);
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
    if (stream != null) { // the stream is dropped, as a proxy that cut it before its first byte
      try {
        stream.close();
      } catch (IOException e) {
        // closing anyway
      }
      stream = null;
    }
    body = newBody;
    if (hasBody(status)) {
      set("Content-Length", Integer.toString(newBody.length));
    }
    return this;
  }

  boolean has(String name) {
    return headers.stream().anyMatch(header -> header[0].equalsIgnoreCase(name));
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
    if (stream != null) {
      head.append("Transfer-Encoding: chunked\r\n");
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
