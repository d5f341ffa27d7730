package io.holdfast.server.snapshot;

import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.signature.DocumentSigner;
import java.time.Instant;

/**
 * A document ready to send: its exact bytes and every validator derived from them, computed
 * once when the snapshot is built so the read path only copies bytes to the socket.
 *
 * @param revision the revision of the document, sent in {@code Holdfast-Revision}
 */
public record ServedDocument(
    byte[] body, EntityTag etag, String reprDigest, String signature, long revision, Instant issuedAt) {

  /** Hashes and signs the bytes. */
  public static ServedDocument of(byte[] body, long revision, Instant issuedAt, DocumentSigner signer) {
    ContentHash hash = ContentHash.of(body);
    return new ServedDocument(body, hash.entityTag(), hash.reprDigest(), signer.sign(body).toHeaderValue(), revision, issuedAt);
  }
}
