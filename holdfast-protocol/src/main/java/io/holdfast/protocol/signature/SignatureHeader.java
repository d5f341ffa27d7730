package io.holdfast.protocol.signature;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code Holdfast-Signature} field: {@code keyid="hf1-…", alg="ed25519", sig=:<base64>:}, or
 * {@code keyid="hf1-…", alg="ed25519-tree", sig=:<base64>:, proof=:<base64>:}.
 *
 * <p>With {@code ed25519} the signature covers the exact envelope bytes of the response body. With
 * {@code ed25519-tree} it covers the root of a hash tree over many documents signed together, and
 * {@code proof} leads from this body to that root ({@link SignatureTree}). The algorithm is named
 * explicitly so that a downgrade ({@code alg="none"}, FAULTS D17) is refused by name rather than by
 * accident. Immutable.
 */
public record SignatureHeader(String keyId, String algorithm, byte[] signature, byte[] proof) {

  /** One signature over the body's bytes. */
  public static final String ED25519 = "ed25519";

  /** One signature over a tree of many bodies' hashes, with this body's path to its root. */
  public static final String ED25519_TREE = SignatureTree.ALGORITHM;

  private static final byte[] NO_PROOF = new byte[0];

  public SignatureHeader {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(algorithm, "algorithm");
    signature = signature.clone();
    proof = proof == null ? NO_PROOF : proof.clone();
  }

  /** A header without a proof, as {@link #ED25519} signatures are. */
  public SignatureHeader(String keyId, String algorithm, byte[] signature) {
    this(keyId, algorithm, signature, NO_PROOF);
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The path from the body to the signed tree root; empty when there is none. */
  @Override
  public byte[] proof() {
    return proof.clone();
  }

  /** The header form; {@code proof} only when there is one. */
  public String toHeaderValue() {
    Base64.Encoder base64 = Base64.getEncoder();
    String value =
        "keyid=\""
            + keyId
            + "\", alg=\""
            + algorithm
            + "\", sig=:"
            + base64.encodeToString(signature)
            + ":";
    return proof.length == 0 ? value : value + ", proof=:" + base64.encodeToString(proof) + ":";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignatureHeader other
        && keyId.equals(other.keyId)
        && algorithm.equals(other.algorithm)
        && Arrays.equals(signature, other.signature)
        && Arrays.equals(proof, other.proof);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, algorithm, Arrays.hashCode(signature), Arrays.hashCode(proof));
  }

  @Override
  public String toString() {
    return toHeaderValue();
  }

  /**
   * Parses a header value.
   *
   * @throws IllegalArgumentException if a member is missing or malformed
   */
  public static SignatureHeader parse(String value) {
    Map<String, String> members = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      String p = part.strip();
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("signature member is not name=value: " + p);
      }
      String name = p.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
      String raw = p.substring(eq + 1).strip();
      String v;
      if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
        v = raw.substring(1, raw.length() - 1);
      } else if (raw.length() >= 2 && raw.startsWith(":") && raw.endsWith(":")) {
        v = raw.substring(1, raw.length() - 1);
      } else {
        throw new IllegalArgumentException(
            "signature member " + name + " is neither a string nor a byte sequence");
      }
      if (members.put(name, v) != null) {
        throw new IllegalArgumentException("signature member " + name + " appears twice");
      }
    }
    String keyId = members.get("keyid");
    String alg = members.get("alg");
    String sig = members.get("sig");
    if (keyId == null || alg == null || sig == null) {
      throw new IllegalArgumentException("signature needs keyid, alg and sig");
    }
    return new SignatureHeader(
        keyId,
        alg,
        base64(sig, "sig"),
        members.containsKey("proof") ? base64(members.get("proof"), "proof") : null);
  }

  private static byte[] base64(String value, String member) {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signature " + member + " is not valid base64", e);
    }
  }
}
