package io.holdfast.server.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.holdfast.server.snapshot.ServedDocument;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  private static final JsonFactory JSON = new JsonFactory();

  /** The first bytes of every stream, sent at once so a client can tell that nothing buffers. */
  static final byte[] OPENING = ": holdfast checksums stream\n\n".getBytes(StandardCharsets.UTF_8);

  /** An SSE comment: ignored by clients, it keeps proxies from timing the stream out. */
  static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

  private ChecksumsEvent() {}

  /** The event for {@code checksums}, ready to write. */
  static byte[] encode(ServedDocument checksums, Instant storeFailingSince) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(checksums.body().length * 4 / 3 + 512);
    try {
      out.write("event: checksums\nid: ".getBytes(StandardCharsets.UTF_8));
      out.write(checksums.etagHeaderValue().getBytes(StandardCharsets.UTF_8));
      out.write("\ndata: ".getBytes(StandardCharsets.UTF_8));
      try (JsonGenerator json = JSON.createGenerator(out)) {
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.writeStartObject();
        json.writeStringField("etag", checksums.etagHeaderValue());
        json.writeStringField("revision", checksums.revisionHeaderValue());
        json.writeStringField("reprDigest", checksums.reprDigest());
        json.writeStringField("signature", checksums.signature());
        if (storeFailingSince != null) {
          json.writeStringField("storeUnreachableSince", storeFailingSince.toString());
        }
        json.writeFieldName("body");
        json.writeBinary(checksums.body());
        json.writeEndObject();
      }
      out.write("\n\n".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }
}
