package io.holdfast.protocol.signature;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code Holdfast-Signature} field: {@code keyid="hf1-…", alg="ed25519", sig=:<base64>:}.
 *
 * <p>The signature covers the exact envelope bytes of the response body. The algorithm is
 * named explicitly so that a downgrade ({@code alg="none"}, FAULTS D17) is refused by name
 * rather than by accident. Immutable.
 */
public record SignatureHeader(String keyId, String algorithm, byte[] signature) {

  /** The only algorithm Holdfast signs and accepts. */
  public static final String ED25519 = "ed25519";

  public SignatureHeader {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(algorithm, "algorithm");
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The header form. */
  public String toHeaderValue() {
    return "keyid=\"" + keyId + "\", alg=\"" + algorithm + "\", sig=:" + Base64.getEncoder().encodeToString(signature) + ":";
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
        throw new IllegalArgumentException("signature member " + name + " is neither a string nor a byte sequence");
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
    try {
      return new SignatureHeader(keyId, alg, Base64.getDecoder().decode(sig));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signature sig is not valid base64", e);
    }
  }
}
