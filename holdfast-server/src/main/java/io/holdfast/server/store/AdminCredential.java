package io.holdfast.server.store;

import io.holdfast.server.model.Role;
import java.time.Instant;

/**
 * A named admin credential with its role. Only the token's hash is kept.
 *
 * <p>A credential authenticates while it is neither revoked nor expired ({@link #usableAt}). A
 * revoked credential keeps its row, so that its token is still recognised (and named in the audit
 * log of a failed login) but never accepted.
 *
 * @param expiresAt when it stops working, or {@code null} for never
 * @param revokedAt when it was revoked, or {@code null} while it is not
 * @param lastUsedAt when it last authenticated a request, as far as the store knows (replicas write
 *     it at most once a minute), or {@code null} if never
 */
public record AdminCredential(
    String name,
    Role role,
    String tokenHash,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    Instant lastUsedAt) {

  /** A credential that is live, without expiry and never used. */
  public AdminCredential(String name, Role role, String tokenHash, Instant createdAt) {
    this(name, role, tokenHash, createdAt, null, null, null);
  }

  public boolean revoked() {
    return revokedAt != null;
  }

  /** Whether it has expired at {@code now}: from its expiry on, it no longer works. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** Whether it authenticates at {@code now}. */
  public boolean usableAt(Instant now) {
    return !revoked() && !expiredAt(now);
  }

  /** {@code active}, {@code expired} or {@code revoked}, as the API and the CLI show it. */
  public String stateAt(Instant now) {
    return revoked() ? "revoked" : expiredAt(now) ? "expired" : "active";
  }

  /** This credential with {@code lastUsedAt} moved to {@code used} if that is later. */
  public AdminCredential usedAt(Instant used) {
    if (used == null || (lastUsedAt != null && !used.isAfter(lastUsedAt))) {
      return this;
    }
    return new AdminCredential(name, role, tokenHash, createdAt, expiresAt, revokedAt, used);
  }
}
