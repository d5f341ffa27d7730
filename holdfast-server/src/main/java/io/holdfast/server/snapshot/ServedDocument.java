package io.holdfast.server.snapshot;

import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.signature.DocumentSigner;
import java.time.Instant;
import java.util.Objects;

/**
 * A document ready to send: its exact bytes and every validator derived from them, computed once
 * when the snapshot is built so the read path only copies bytes and strings to the socket.
 *
 * <p>A document built for a snapshot starts unsigned ({@link #unsigned}) and gets its signature
 * from the {@link SignatureBatch} that signs every new document of the rebuild together, before the
 * snapshot is published; from then on it is immutable. The body array must not be modified.
 */
public final class ServedDocument {

  private final byte[] body;
  private final EntityTag etag;
  private final String etagHeaderValue;
  private final String reprDigest;

  /** Set once, before the snapshot that holds this document is published. */
  private String signature;

  private final byte[] sha256;
  private final long revision;
  private final String revisionHeaderValue;
  private final Instant issuedAt;

  /**
   * @param signature the {@code Holdfast-Signature} value
   * @param revision the document's revision, sent in {@code Holdfast-Revision}
   */
  private ServedDocument(
      byte[] body, ContentHash hash, String signature, long revision, Instant issuedAt) {
    this.body = Objects.requireNonNull(body, "body");
    this.sha256 = hash.sha256();
    this.etag = hash.entityTag();
    this.etagHeaderValue = etag.toHeaderValue();
    this.reprDigest = hash.reprDigest();
    this.signature = signature;
    this.revision = revision;
    this.revisionHeaderValue = Long.toString(revision);
    this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
  }

  /** Hashes and signs the bytes on their own, with a plain {@code ed25519} signature. */
  public static ServedDocument of(
      byte[] body, long revision, Instant issuedAt, DocumentSigner signer) {
    return new ServedDocument(
        body, ContentHash.of(body), signer.sign(body).toHeaderValue(), revision, issuedAt);
  }

  /** Hashes the bytes; {@link SignatureBatch#sign} gives the signature. */
  static ServedDocument unsigned(byte[] body, long revision, Instant issuedAt) {
    return new ServedDocument(body, ContentHash.of(body), null, revision, issuedAt);
  }

  /** The SHA-256 of the body (not a copy: callers must not modify it). */
  byte[] sha256() {
    return sha256;
  }

  void sign(String signatureHeaderValue) {
    if (signature != null) {
      throw new IllegalStateException("the document is already signed");
    }
    signature = Objects.requireNonNull(signatureHeaderValue, "signatureHeaderValue");
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

  /** The {@code Holdfast-Signature} field value. */
  public String signature() {
    if (signature == null) {
      throw new IllegalStateException("the document was never signed");
    }
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
