package io.holdfast.server.store;

import io.holdfast.server.model.Role;
import java.time.Instant;

/**
 * A change to an admin credential's role and/or expiry.
 *
 * @param role the new role, or {@code null} to keep it
 * @param changesExpiry whether the expiry changes at all
 * @param expiresAt the new expiry when {@code changesExpiry}; {@code null} then means never
 */
public record CredentialUpdate(Role role, boolean changesExpiry, Instant expiresAt) {

  /** Whether it changes nothing. */
  public boolean isEmpty() {
    return role == null && !changesExpiry;
  }
}
