package io.holdfast.protocol.signature;

import io.holdfast.protocol.http.ContentHash;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * An Ed25519 public key and its key id. The key id is derived from the key itself ({@code hf1-} and
 * the first 16 hex digits of the SHA-256 of its X.509 encoding), so every replica that holds the
 * same key announces the same id. Immutable and thread-safe.
 */
public final class VerificationKey {

  private final String keyId;
  private final PublicKey publicKey;

  private VerificationKey(String keyId, PublicKey publicKey) {
    this.keyId = keyId;
    this.publicKey = publicKey;
  }

  /** Wraps a public key, deriving its key id. */
  public static VerificationKey of(PublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    return new VerificationKey(
        "hf1-" + ContentHash.of(publicKey.getEncoded()).hex().substring(0, 16), publicKey);
  }

  /**
   * Decodes a key from the base64 of its X.509 SubjectPublicKeyInfo, as the keys endpoint publishes
   * it.
   *
   * @throws IllegalArgumentException if the text is not an Ed25519 public key
   */
  public static VerificationKey fromBase64(String spkiBase64) {
    try {
      byte[] der = Base64.getDecoder().decode(spkiBase64);
      return of(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an Ed25519 public key in base64 X.509 form", e);
    }
  }

  public String keyId() {
    return keyId;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The base64 of the X.509 SubjectPublicKeyInfo encoding. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(publicKey.getEncoded());
  }

  /**
   * Whether {@code header} makes {@code bytes} authentic under this key: an {@code ed25519}
   * signature over the bytes themselves, or an {@code ed25519-tree} signature over a tree root that
   * the header's proof leads to from the bytes ({@link SignatureTree}). Any other algorithm or key
   * id, a proof on a plain signature, or a malformed proof is simply not valid.
   */
  public boolean verifies(byte[] bytes, SignatureHeader header) {
    if (!keyId.equals(header.keyId())) {
      return false;
    }
    byte[] message;
    if (SignatureHeader.ED25519.equals(header.algorithm())) {
      message = header.proof().length == 0 ? bytes : null;
    } else if (SignatureHeader.ED25519_TREE.equals(header.algorithm())) {
      message = SignatureTree.signedMessageFor(bytes, header.proof());
    } else {
      message = null;
    }
    if (message == null) {
      return false;
    }
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(publicKey);
      signature.update(message);
      return signature.verify(header.signature());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
