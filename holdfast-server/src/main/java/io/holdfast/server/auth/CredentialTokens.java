package io.holdfast.server.auth;

import io.holdfast.protocol.http.ContentHash;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer tokens: 256 random bits with a prefix that says what they are for ({@code hfi_} for
 * instances, {@code hfa_} for admins), so a leaked token is recognisable in a secret scanner. Only
 * the SHA-256 of a token is stored; with 256 bits of entropy a fast hash is enough, as nothing can
 * be guessed. Thread-safe.
 */
public final class CredentialTokens {

  /** Prefix of instance tokens. */
  public static final String INSTANCE_PREFIX = "hfi_";

  /** Prefix of admin tokens. */
  public static final String ADMIN_PREFIX = "hfa_";

  private final SecureRandom random;

  public CredentialTokens(SecureRandom random) {
    this.random = random;
  }

  public String newInstanceToken() {
    return INSTANCE_PREFIX + randomPart();
  }

  public String newAdminToken() {
    return ADMIN_PREFIX + randomPart();
  }

  /** The stored form of a token. */
  public static String hash(String token) {
    return ContentHash.of(token.getBytes(StandardCharsets.UTF_8)).hex();
  }

  private String randomPart() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
