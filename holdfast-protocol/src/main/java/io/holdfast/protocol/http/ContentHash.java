package io.holdfast.protocol.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The SHA-256 of a representation's bytes, and the two validators derived from it: the strong
 * entity tag and the {@code Repr-Digest} field (RFC 9530).
 *
 * <p>Deriving both from the bytes alone is what makes every replica send the same ETag for the same
 * content (DESIGN invariant 3): no time, replica name or row id goes in. Immutable.
 */
public final class ContentHash {

  private final byte[] sha256;

  private ContentHash(byte[] sha256) {
    this.sha256 = sha256;
  }

  /** Hashes the exact bytes of a representation. */
  public static ContentHash of(byte[] representation) {
    return new ContentHash(newSha256().digest(representation));
  }

  /**
   * A fresh SHA-256 digest. Cloned from a prototype: looking the algorithm up through the security
   * providers each time costs more than hashing a small document, and a replica hashes every
   * document of a rebuild and every credential it is shown.
   */
  public static MessageDigest newSha256() {
    try {
      return (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
    }
  }

  private static final MessageDigest SHA_256;

  static {
    try {
      SHA_256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  /** The raw 32-byte digest (a copy). */
  public byte[] sha256() {
    return sha256.clone();
  }

  /** The strong entity tag: base64url of the SHA-256, without padding. */
  public EntityTag entityTag() {
    return EntityTag.strong(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256));
  }

  /** The {@code Repr-Digest} field value, {@code sha-256=:<base64>:}. */
  public String reprDigest() {
    return ReprDigest.SHA_256 + "=:" + Base64.getEncoder().encodeToString(sha256) + ":";
  }

  /** Lower-case hex of the digest, for logs and APIs. */
  public String hex() {
    StringBuilder sb = new StringBuilder(64);
    for (byte b : sha256) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContentHash other && MessageDigest.isEqual(sha256, other.sha256);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return "sha-256:" + hex();
  }
}
