package io.holdfast.protocol.signature;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.EdECKey;
import java.security.spec.NamedParameterSpec;
import java.util.Objects;

/**
 * Signs document bytes with an Ed25519 private key. Ed25519 is deterministic (RFC 8032), so
 * replicas sharing a key send identical signatures for identical bytes.
 *
 * <p>Thread-safe: a {@link Signature} object is created per call.
 */
public final class DocumentSigner {

  private final PrivateKey privateKey;
  private final VerificationKey verificationKey;

  public DocumentSigner(KeyPair keyPair) {
    Objects.requireNonNull(keyPair, "keyPair");
    // "EdDSA" also names Ed448 keys, so the curve must be checked from the key's parameters.
    if (!(keyPair.getPrivate() instanceof EdECKey key)
        || !NamedParameterSpec.ED25519.getName().equalsIgnoreCase(key.getParams().getName())) {
      throw new IllegalArgumentException(
          "an Ed25519 key is required, got " + keyPair.getPrivate().getAlgorithm());
    }
    this.privateKey = keyPair.getPrivate();
    this.verificationKey = VerificationKey.of(keyPair.getPublic());
  }

  /** The public half, with its key id. */
  public VerificationKey verificationKey() {
    return verificationKey;
  }

  /** Signs the exact bytes. */
  public SignatureHeader sign(byte[] bytes) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(privateKey);
      signature.update(bytes);
      return new SignatureHeader(
          verificationKey.keyId(), SignatureHeader.ED25519, signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }
}
