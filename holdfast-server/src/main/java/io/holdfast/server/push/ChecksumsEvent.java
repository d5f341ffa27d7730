package io.holdfast.server.push;

import io.holdfast.server.snapshot.ServedDocument;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

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

  private static final byte[] EVENT_ID =
      "event: checksums\nid: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "\ndata: {".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BODY = "\"body\":\"".getBytes(StandardCharsets.US_ASCII);

  /** What follows the body's base64: the end of the JSON and of the event. */
  private static final byte[] TAIL = "\"}\n\n".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
          .getBytes(StandardCharsets.US_ASCII);

  /**
   * The event for {@code checksums}, ready to write.
   *
   * <p>Written by hand rather than through a Jackson generator: each stream encodes on a virtual
   * thread of its own, and Jackson's default buffer recycling keeps a recycler per thread (8 KB of
   * bytes and 8 KB of chars), which every stream would then hold for its whole life. The values are
   * HTTP header values (ASCII) and base64, so the JSON needs only string escaping, and the body's
   * base64 (most of the event) none.
   *
   * <p>Measured first, then written into one array of the exact size: a publish sends one event per
   * stream, and building it through a string builder, a string and its bytes made about four times
   * the event's size in garbage, ten thousand times per publish (issue 21).
   */
  static byte[] encode(ServedDocument checksums, Instant storeFailingSince) {
    byte[] body = checksums.body();
    String etag = checksums.etagHeaderValue();
    String revision = checksums.revisionHeaderValue();
    String digest = checksums.reprDigest();
    String signature = checksums.signature();
    String since = storeFailingSince == null ? null : storeFailingSince.toString();
    int length =
        EVENT_ID.length
            + etag.length()
            + DATA.length
            + fieldLength("etag", etag)
            + fieldLength("revision", revision)
            + fieldLength("reprDigest", digest)
            + fieldLength("signature", signature)
            + (since == null ? 0 : fieldLength("storeUnreachableSince", since))
            + BODY.length
            + base64Length(body.length)
            + TAIL.length;
    byte[] event = new byte[length];
    int at = put(event, 0, EVENT_ID);
    at = ascii(event, at, etag); // an entity tag is printable ASCII: as it is on the id line
    at = put(event, at, DATA);
    at = field(event, at, "etag", etag);
    at = field(event, at, "revision", revision);
    at = field(event, at, "reprDigest", digest);
    at = field(event, at, "signature", signature);
    if (since != null) {
      at = field(event, at, "storeUnreachableSince", since);
    }
    at = put(event, at, BODY);
    at = base64(event, at, body);
    at = put(event, at, TAIL);
    if (at != length) {
      throw new IllegalStateException("event measured at " + length + " bytes, written " + at);
    }
    return event;
  }

  /** The bytes {@link #field} writes: {@code "name":"value",}. */
  private static int fieldLength(String name, String value) {
    return name.length() + 4 + stringLength(value);
  }

  /** Writes {@code "name":"value",} at {@code at}; returns where it ended. */
  private static int field(byte[] out, int at, String name, String value) {
    out[at++] = '"';
    at = ascii(out, at, name);
    out[at++] = '"';
    out[at++] = ':';
    at = string(out, at, value);
    out[at++] = ',';
    return at;
  }

  /** The bytes {@link #string} writes for {@code value}. */
  static int stringLength(String value) {
    int length = 2;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      length += c == '"' || c == '\\' ? 2 : c < 0x20 || c > 0x7e ? 6 : 1;
    }
    return length;
  }

  /**
   * Writes {@code value} as a JSON string kept to ASCII at {@code at}: quotes and backslashes
   * escaped, control and non-ASCII characters as {@code \\uXXXX}; returns where it ended.
   */
  static int string(byte[] out, int at, String value) {
    out[at++] = '"';
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out[at++] = '\\';
        out[at++] = (byte) c;
      } else if (c < 0x20 || c > 0x7e) {
        out[at++] = '\\';
        out[at++] = 'u';
        for (int shift = 12; shift >= 0; shift -= 4) {
          out[at++] = (byte) Character.forDigit((c >> shift) & 0xf, 16);
        }
      } else {
        out[at++] = (byte) c;
      }
    }
    out[at++] = '"';
    return at;
  }

  private static int ascii(byte[] out, int at, String value) {
    for (int i = 0; i < value.length(); i++) {
      out[at++] = (byte) value.charAt(i);
    }
    return at;
  }

  private static int put(byte[] out, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static int base64Length(int bytes) {
    return 4 * ((bytes + 2) / 3);
  }

  /**
   * Writes the standard, padded base64 of {@code bytes} at {@code at} (RFC 4648, section 4, as
   * {@link java.util.Base64#getEncoder()} does, which cannot write at an offset); returns where it
   * ended.
   */
  static int base64(byte[] out, int at, byte[] bytes) {
    int whole = bytes.length - bytes.length % 3;
    for (int i = 0; i < whole; i += 3) {
      int bits = (bytes[i] & 0xff) << 16 | (bytes[i + 1] & 0xff) << 8 | (bytes[i + 2] & 0xff);
      out[at++] = BASE64[bits >>> 18];
      out[at++] = BASE64[(bits >>> 12) & 0x3f];
      out[at++] = BASE64[(bits >>> 6) & 0x3f];
      out[at++] = BASE64[bits & 0x3f];
    }
    int left = bytes.length - whole;
    if (left > 0) {
      int bits = (bytes[whole] & 0xff) << 16 | (left == 2 ? (bytes[whole + 1] & 0xff) << 8 : 0);
      out[at++] = BASE64[bits >>> 18];
      out[at++] = BASE64[(bits >>> 12) & 0x3f];
      out[at++] = left == 2 ? BASE64[(bits >>> 6) & 0x3f] : (byte) '=';
      out[at++] = '=';
    }
    return at;
  }
}
