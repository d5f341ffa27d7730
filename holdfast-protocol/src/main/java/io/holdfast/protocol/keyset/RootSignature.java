package io.holdfast.protocol.keyset;

import java.util.Arrays;
import java.util.Objects;

/**
 * One root key's Ed25519 signature over a key set ({@link SignedKeySet#signedMessage}). The
 * algorithm travels as {@code alg: "ed25519"} and nothing else is accepted, so a downgrade is
 * refused by name (FAULTS D17). Immutable.
 */
public record RootSignature(String keyId, byte[] signature) {

  /** The only algorithm a root signs with. */
  public static final String ALGORITHM = "ed25519";

  /** The length of an Ed25519 signature. */
  public static final int LENGTH = 64;

  public RootSignature {
    Objects.requireNonNull(keyId, "keyId");
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RootSignature other
        && keyId.equals(other.keyId)
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return 31 * keyId.hashCode() + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "RootSignature[" + keyId + "]";
  }
}
