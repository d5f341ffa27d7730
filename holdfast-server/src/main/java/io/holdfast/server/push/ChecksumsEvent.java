package io.holdfast.server.push;

import io.holdfast.server.snapshot.ServedDocument;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

  /**
   * The event for {@code checksums}, ready to write.
   *
   * <p>Written by hand rather than through a Jackson generator: each stream encodes on a virtual
   * thread of its own, and Jackson's default buffer recycling keeps a recycler per thread (8 KB of
   * bytes and 8 KB of chars), which every stream would then hold for its whole life. The values are
   * HTTP header values (ASCII) and base64, so the JSON needs only string escaping.
   */
  static byte[] encode(ServedDocument checksums, Instant storeFailingSince) {
    String body = Base64.getEncoder().encodeToString(checksums.body());
    StringBuilder event = new StringBuilder(body.length() + 640);
    event.append("event: checksums\nid: ").append(checksums.etagHeaderValue()).append("\ndata: {");
    field(event, "etag", checksums.etagHeaderValue()).append(',');
    field(event, "revision", checksums.revisionHeaderValue()).append(',');
    field(event, "reprDigest", checksums.reprDigest()).append(',');
    field(event, "signature", checksums.signature()).append(',');
    if (storeFailingSince != null) {
      field(event, "storeUnreachableSince", storeFailingSince.toString()).append(',');
    }
    field(event, "body", body).append("}\n\n");
    return event.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code "name":"value"}, the value escaped as JSON and kept to ASCII. */
  static StringBuilder field(StringBuilder out, String name, String value) {
    out.append('"').append(name).append("\":\"");
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
}
