package io.holdfast.server.snapshot;

import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.signature.DocumentSigner;
import java.time.Instant;
import java.util.Objects;

/**
 * A document ready to send: its exact bytes and every validator derived from them, computed
 * once when the snapshot is built so the read path only copies bytes and strings to the socket.
 * Immutable; the body array must not be modified.
 */
public final class ServedDocument {

  private final byte[] body;
  private final EntityTag etag;
  private final String etagHeaderValue;
  private final String reprDigest;
  private final String signature;
  private final long revision;
  private final String revisionHeaderValue;
  private final Instant issuedAt;

  /**
   * @param signature the {@code Holdfast-Signature} value
   * @param revision the document's revision, sent in {@code Holdfast-Revision}
   */
  public ServedDocument(byte[] body, EntityTag etag, String reprDigest, String signature, long revision, Instant issuedAt) {
    this.body = Objects.requireNonNull(body, "body");
    this.etag = Objects.requireNonNull(etag, "etag");
    this.etagHeaderValue = etag.toHeaderValue();
    this.reprDigest = Objects.requireNonNull(reprDigest, "reprDigest");
    this.signature = Objects.requireNonNull(signature, "signature");
    this.revision = revision;
    this.revisionHeaderValue = Long.toString(revision);
    this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
  }

  /** Hashes and signs the bytes. */
  public static ServedDocument of(byte[] body, long revision, Instant issuedAt, DocumentSigner signer) {
    ContentHash hash = ContentHash.of(body);
    return new ServedDocument(body, hash.entityTag(), hash.reprDigest(), signer.sign(body).toHeaderValue(), revision, issuedAt);
  }

  /** The exact bytes sent (not a copy: callers must not modify it). */
  public byte[] body() {
    return body;
  }

  public EntityTag etag() {
    return etag;
  }

  /** The {@code ETag} field value, quoted. */
  public String etagHeaderValue() {
    return etagHeaderValue;
  }

  public String reprDigest() {
    return reprDigest;
  }

  public String signature() {
    return signature;
  }

  public long revision() {
    return revision;
  }

  /** The {@code Holdfast-Revision} field value. */
  public String revisionHeaderValue() {
    return revisionHeaderValue;
  }

  public Instant issuedAt() {
    return issuedAt;
  }
}
