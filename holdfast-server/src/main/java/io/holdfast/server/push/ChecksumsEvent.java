package io.holdfast.server.push;

import io.holdfast.server.snapshot.ServedDocument;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * One {@code checksums} event of the stream, encoded for the wire (docs/protocol.md, "Checksums
 * stream"). It carries what {@code GET /checksums} answers, so that a client verifies and adopts it
 * without another request: the body's exact bytes (base64, since the signature covers bytes, not
 * JSON), and the values of the ETag, revision, Repr-Digest and signature headers.
 *
 * <pre>
 * event: checksums
 * id: "&lt;ETag&gt;"
 * data: {"etag":"\"…\"","revision":"12","reprDigest":"sha-256=:…:","signature":"…","body":"…"}
 * </pre>
 *
 * The id is the checksums' ETag: a client that reconnects with it as {@code Last-Event-ID} is sent
 * nothing until the checksums change.
 */
final class ChecksumsEvent {

  /** The first bytes of every stream, sent at once so a client can tell that nothing buffers. */
  static final byte[] OPENING = ": holdfast checksums stream\n\n".getBytes(StandardCharsets.UTF_8);

  /** An SSE comment: ignored by clients, it keeps proxies from timing the stream out. */
  static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

  private ChecksumsEvent() {}

  /** What follows the body's base64: the end of the JSON and of the event. */
  private static final byte[] TAIL = "\"}\n\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * The event for {@code checksums}, ready to write.
   *
   * <p>Written by hand rather than through a Jackson generator: each stream encodes on a virtual
   * thread of its own, and Jackson's default buffer recycling keeps a recycler per thread (8 KB of
   * bytes and 8 KB of chars), which every stream would then hold for its whole life. The values are
   * HTTP header values (ASCII) and base64, so the JSON needs only string escaping, and the body's
   * base64 (most of the event) none: it is copied in as bytes.
   */
  static byte[] encode(ServedDocument checksums, Instant storeFailingSince) {
    byte[] body = Base64.getEncoder().encode(checksums.body());
    StringBuilder head = new StringBuilder(1024);
    head.append("event: checksums\nid: ").append(checksums.etagHeaderValue()).append("\ndata: {");
    field(head, "etag", checksums.etagHeaderValue()).append(',');
    field(head, "revision", checksums.revisionHeaderValue()).append(',');
    field(head, "reprDigest", checksums.reprDigest()).append(',');
    field(head, "signature", checksums.signature()).append(',');
    if (storeFailingSince != null) {
      field(head, "storeUnreachableSince", storeFailingSince.toString()).append(',');
    }
    head.append("\"body\":\"");
    byte[] start = head.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] event = Arrays.copyOf(start, start.length + body.length + TAIL.length);
    System.arraycopy(body, 0, event, start.length, body.length);
    System.arraycopy(TAIL, 0, event, start.length + body.length, TAIL.length);
    return event;
  }

  /** {@code "name":"value"}, the value escaped as JSON and kept to ASCII. */
  static StringBuilder field(StringBuilder out, String name, String value) {
    out.append('"').append(name).append("\":\"");
    if (plain(value)) {
      return out.append(value).append('"'); // the usual case, appended whole
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"');
  }

  /** Whether {@code value} is printable ASCII without quotes or backslashes. */
  private static boolean plain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
