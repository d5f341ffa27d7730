package io.holdfast.protocol.http;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parsing and checking of the {@code Repr-Digest} field (RFC 9530).
 *
 * <p>Only {@code sha-256} and {@code sha-512} are accepted: RFC 9530 marks md5, sha and the
 * checksum algorithms as insecure, so a field offering only those is unverifiable (FAULTS A10,
 * D17). Stateless and thread-safe.
 */
public final class ReprDigest {

  /** The algorithm token Holdfast sends. */
  public static final String SHA_256 = "sha-256";

  private static final Set<String> ACCEPTED = Set.of("sha-256", "sha-512");

  private ReprDigest() {}

  /**
   * Parses a {@code Repr-Digest} value into algorithm → digest bytes. Unknown algorithms are kept
   * so that callers can report them; malformed members throw.
   *
   * @throws IllegalArgumentException if the value is not a dictionary of byte sequences
   */
  public static Map<String, byte[]> parse(String fieldValue) {
    Map<String, byte[]> result = new LinkedHashMap<>();
    for (String member : fieldValue.split(",")) {
      String m = member.strip();
      if (m.isEmpty()) {
        continue;
      }
      int eq = m.indexOf('=');
      if (eq <= 0
          || m.length() < eq + 3
          || m.charAt(eq + 1) != ':'
          || m.charAt(m.length() - 1) != ':') {
        throw new IllegalArgumentException(
            "Repr-Digest member is not alg=:base64: — " + EntityTag.abbreviate(m));
      }
      String alg = m.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
      try {
        result.put(alg, Base64.getDecoder().decode(m.substring(eq + 2, m.length() - 1)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Repr-Digest member " + alg + " is not valid base64", e);
      }
    }
    if (result.isEmpty()) {
      throw new IllegalArgumentException("Repr-Digest is empty");
    }
    return result;
  }

  /**
   * Checks the bytes against the strongest accepted algorithm in the field.
   *
   * @return {@code true} only if an accepted algorithm is present and its digest matches
   * @throws IllegalArgumentException if the field is malformed or offers no accepted algorithm
   */
  public static boolean verify(String fieldValue, byte[] representation) {
    Map<String, byte[]> digests = parse(fieldValue);
    String alg =
        digests.containsKey("sha-512") ? "sha-512" : digests.containsKey(SHA_256) ? SHA_256 : null;
    if (alg == null || !ACCEPTED.contains(alg)) {
      throw new IllegalArgumentException(
          "Repr-Digest offers no accepted algorithm (sha-256, sha-512): " + digests.keySet());
    }
    try {
      byte[] actual =
          MessageDigest.getInstance(alg.toUpperCase(java.util.Locale.ROOT)).digest(representation);
      return MessageDigest.isEqual(actual, digests.get(alg));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides " + alg, e);
    }
  }
}
