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
import java.util.Locale;
import java.util.Map;

/**
 * Verify before trust (DESIGN invariant 4): every document the client adopts, from a replica or
 * from its own disk, must carry a matching {@code Repr-Digest}, an Ed25519 signature over its exact
 * bytes by a pinned key, and an envelope naming this instance and the namespace asked for. Anything
 * else is a {@link Rejection} naming the failed check; nothing is adopted partially. Thread-safe.
 */
final class DocumentVerifier {

  private final Map<String, VerificationKey> trustedKeys;
  private final String instance;
  private final StrictJson json;

  DocumentVerifier(Map<String, VerificationKey> trustedKeys, String instance, StrictJson json) {
    this.trustedKeys = Map.copyOf(trustedKeys);
    this.instance = instance;
    this.json = json;
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
    verifyIntegrity(body, reprDigest, signature);
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
        response.header(HoldfastHeaders.SIGNATURE));
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

  private void verifyIntegrity(byte[] body, String reprDigest, String signature) throws Rejection {
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
    VerificationKey key = trustedKeys.get(header.keyId());
    if (key == null) {
      throw new Rejection("signed by key '" + header.keyId() + "', which is not trusted");
    }
    if (!key.verifies(body, header)) {
      throw new Rejection("the signature does not verify");
    }
  }
}
