package io.holdfast.client.internal;

import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.signature.SignatureHeader;

/**
 * A document that passed every check: digest, signature under a trusted key, binding to this
 * instance and namespace. Holds the exact signed bytes and headers, so it can be written to disk
 * and verified again on load. Immutable; the body must not be modified.
 */
record VerifiedDocument(
    Envelope envelope, byte[] body, String etag, String reprDigest, String signature) {

  public long revision() {
    return envelope.revision();
  }

  /** The id of the key that signed it; the signature was parsed when it was verified. */
  public String signerKeyId() {
    return SignatureHeader.parse(signature).keyId();
  }
}
