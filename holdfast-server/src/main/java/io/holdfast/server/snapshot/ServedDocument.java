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
 * <p>A document built for a snapshot starts unsigned ({@link #unsigned}) and gets its place in the
 * signed tree of the {@link SignatureBatch} that signs every new document of the rebuild together,
 * before the snapshot is published. Its {@code Holdfast-Signature} value is made from the tree when
 * first asked for, on the thread that first sends the document, not by the rebuild (issue 21: a
 * fleet-wide rebuild made twenty thousand of them on one thread before any watcher heard of it).
 * The body array must not be modified.
 */
public final class ServedDocument {

  private final byte[] body;
  private final EntityTag etag;
  private final String etagHeaderValue;
  private final String reprDigest;

  /**
   * The signature value once made. Racy on purpose: two threads that both find it missing make the
   * same string from the same tree, and a {@code String} is safe to publish that way.
   */
  private String signature;

  /**
   * Where the value is made from: the batch that signs the document and its slot in it, let go once
   * the value is made, so that a document kept across rebuilds does not keep the whole tree of the
   * rebuild that signed it. Volatile: a thread that finds it gone must then see the value that was
   * made.
   */
  private volatile SignatureBatch batch;

  private final int slot;

  private final byte[] sha256;
  private final long revision;

  /**
   * Made on first use, racy as {@link #signature}: a rebuild creates thousands of documents at one
   * revision, and writing the number for each was a twenty-fifth of a fleet-wide rebuild.
   */
  private String revisionHeaderValue;

  private final Instant issuedAt;

  /**
   * @param signature the {@code Holdfast-Signature} value
   * @param revision the document's revision, sent in {@code Holdfast-Revision}
   */
  private ServedDocument(
      byte[] body,
      ContentHash hash,
      String signature,
      long revision,
      Instant issuedAt,
      SignatureBatch batch,
      int slot) {
    this.body = Objects.requireNonNull(body, "body");
    this.sha256 = hash.sha256();
    this.etag = hash.entityTag();
    this.etagHeaderValue = etag.toHeaderValue();
    this.reprDigest = hash.reprDigest();
    this.signature = signature;
    this.revision = revision;
    this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
    this.batch = batch;
    this.slot = slot;
  }

  /** Hashes and signs the bytes on their own, with a plain {@code ed25519} signature. */
  public static ServedDocument of(
      byte[] body, long revision, Instant issuedAt, DocumentSigner signer) {
    return new ServedDocument(
        body,
        ContentHash.of(body),
        signer.sign(body).toHeaderValue(),
        revision,
        issuedAt,
        null,
        -1);
  }

  /** Hashes the bytes; {@code batch}, once signed, gives the signature of {@code slot}. */
  static ServedDocument unsigned(
      byte[] body, long revision, Instant issuedAt, SignatureBatch batch, int slot) {
    return new ServedDocument(
        body,
        ContentHash.of(body),
        null,
        revision,
        issuedAt,
        Objects.requireNonNull(batch, "batch"),
        slot);
  }

  /** The SHA-256 of the body (not a copy: callers must not modify it). */
  byte[] sha256() {
    return sha256;
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
    String value = signature;
    if (value != null) {
      return value;
    }
    SignatureBatch from = batch;
    if (from == null) {
      return signature; // made by another thread, which then let the batch go
    }
    value = from.headerValue(slot);
    signature = value;
    batch = null;
    return value;
  }

  public long revision() {
    return revision;
  }

  /** The {@code Holdfast-Revision} field value. */
  public String revisionHeaderValue() {
    String value = revisionHeaderValue;
    if (value == null) {
      value = Long.toString(revision);
      revisionHeaderValue = value;
    }
    return value;
  }

  public Instant issuedAt() {
    return issuedAt;
  }
}
