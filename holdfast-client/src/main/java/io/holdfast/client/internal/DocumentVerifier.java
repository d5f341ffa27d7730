package io.holdfast.client.internal;

import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.http.ReprDigest;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.VerificationKey;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Verify before trust (DESIGN invariant 4): every document the client adopts, from a replica or
 * from its own disk, must carry a matching {@code Repr-Digest}, an Ed25519 signature over its exact
 * bytes by a key that {@link SigningTrust} trusts now, and an envelope naming this instance and the
 * namespace asked for. Anything else is a {@link Rejection} naming the failed check; nothing is
 * adopted partially. Thread-safe.
 */
final class DocumentVerifier {

  private final SigningTrust trust;
  private final String instance;
  private final StrictJson json;

  /** A verifier that trusts the pinned keys alone (tests, and clients without a root). */
  DocumentVerifier(Map<String, VerificationKey> trustedKeys, String instance, StrictJson json) {
    this(SigningTrust.pinned(trustedKeys, java.time.Clock.systemUTC()), instance, json);
  }

  DocumentVerifier(SigningTrust trust, String instance, StrictJson json) {
    this.trust = trust;
    this.instance = instance;
    this.json = json;
  }

  /** Which keys may sign, and since when: shared with the key-set sync that updates it. */
  SigningTrust trust() {
    return trust;
  }

  /** Verifies a 200 carrying a namespace's envelope. */
  public VerifiedDocument envelope(Transport.Response response, String namespace) throws Rejection {
    requireEnvelopeResponse(response);
    return stored(
        response.body(),
        response.header(HoldfastHeaders.REPR_DIGEST),
        response.header(HoldfastHeaders.SIGNATURE),
        namespace);
  }

  /**
   * Verifies a document's bytes with the headers kept beside them (from a response or from disk).
   */
  public VerifiedDocument stored(byte[] body, String reprDigest, String signature, String namespace)
      throws Rejection {
    return document(body, reprDigest, signature, namespace, null);
  }

  /**
   * Verifies a copy from the disk cache that a replica last confirmed at {@code verifiedAt}: as
   * {@link #stored}, but the key is judged at that time and the key set's expiry is not held
   * against it ({@link SigningTrust#keyForStoredCopy}).
   */
  public VerifiedDocument fromDisk(
      byte[] body, String reprDigest, String signature, String namespace, Instant verifiedAt)
      throws Rejection {
    return document(body, reprDigest, signature, namespace, verifiedAt);
  }

  private VerifiedDocument document(
      byte[] body, String reprDigest, String signature, String namespace, Instant storedAt)
      throws Rejection {
    verifyIntegrity(body, reprDigest, signature, storedAt);
    Envelope envelope;
    try {
      envelope = Envelope.parse(body, json);
    } catch (JsonInputException e) {
      throw new Rejection("not a valid envelope: " + e.getMessage());
    }
    if (!instance.equals(envelope.instance())) {
      throw new Rejection(
          "the document is for instance '" + envelope.instance() + "', not '" + instance + "'");
    }
    if (!namespace.equals(envelope.namespace())) {
      throw new Rejection(
          "the document is for namespace '" + envelope.namespace() + "', not '" + namespace + "'");
    }
    return new VerifiedDocument(
        envelope, body, ContentHash.of(body).entityTag().toHeaderValue(), reprDigest, signature);
  }

  /** Verifies a 200 carrying this instance's checksums document. */
  public Checksums checksums(Transport.Response response) throws Rejection {
    requireEnvelopeResponse(response);
    verifyIntegrity(
        response.body(),
        response.header(HoldfastHeaders.REPR_DIGEST),
        response.header(HoldfastHeaders.SIGNATURE),
        null);
    Checksums checksums;
    try {
      checksums = Checksums.parse(response.body(), json);
    } catch (JsonInputException e) {
      throw new Rejection("not a valid checksums document: " + e.getMessage());
    }
    if (!instance.equals(checksums.instance())) {
      throw new Rejection(
          "the checksums are for instance '" + checksums.instance() + "', not '" + instance + "'");
    }
    return checksums;
  }

  private static void requireEnvelopeResponse(Transport.Response response) throws Rejection {
    if (response.status() != 200) {
      throw new Rejection("HTTP " + response.status());
    }
    String type = response.header("Content-Type");
    if (type == null
        || !type.toLowerCase(Locale.ROOT).startsWith(HoldfastHeaders.ENVELOPE_MEDIA_TYPE)) {
      throw new Rejection("unexpected Content-Type " + type + " (a proxy or captive portal?)");
    }
    String encoding = response.header("Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
      // Never inflated (FAULTS C13): a replica or proxy that compresses sends what the SDK did not
      // ask for, and a small body could inflate without bound. The digest covers identity bytes.
      String shown = encoding.length() <= 40 ? encoding : encoding.substring(0, 40) + "…";
      throw new Rejection(
          "a compressed answer (Content-Encoding " + shown + "); the SDK never inflates one");
    }
    if (response.body().length == 0) {
      throw new Rejection("empty body");
    }
  }

  /**
   * @param storedAt when a disk copy was last confirmed, or {@code null} for what a replica sends
   */
  private void verifyIntegrity(byte[] body, String reprDigest, String signature, Instant storedAt)
      throws Rejection {
    if (reprDigest == null) {
      throw new Rejection("no Repr-Digest");
    }
    try {
      if (!ReprDigest.verify(reprDigest, body)) {
        throw new Rejection("Repr-Digest does not match the body");
      }
    } catch (IllegalArgumentException e) {
      throw new Rejection("unverifiable Repr-Digest: " + e.getMessage());
    }
    if (signature == null) {
      throw new Rejection("no Holdfast-Signature");
    }
    SignatureHeader header;
    try {
      header = SignatureHeader.parse(signature);
    } catch (IllegalArgumentException e) {
      throw new Rejection("malformed Holdfast-Signature: " + e.getMessage());
    }
    VerificationKey key =
        storedAt == null
            ? trust.key(header.keyId())
            : trust.keyForStoredCopy(header.keyId(), storedAt);
    if (!key.verifies(body, header)) {
      throw new Rejection("the signature does not verify");
    }
  }
}
