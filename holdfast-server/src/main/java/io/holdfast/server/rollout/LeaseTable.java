package io.holdfast.server.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code leases} table: named leader leases with a fencing token that rises each time the lease
 * changes holder, inside the caller's (write) transaction. Stateless.
 */
final class LeaseTable {

  private LeaseTable() {}

  /**
   * Takes or renews the lease for {@code holder} until {@code now + ttl}; empty if another holder's
   * lease has not expired.
   */
  static Optional<Lease> acquire(
      Connection c, String name, String holder, Duration ttl, Instant now) throws SQLException {
    Instant expires = now.plus(ttl);
    Optional<Lease> current = find(c, name);
    if (current.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO leases (name, holder, token, expires_at) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, name);
        ps.setString(2, holder);
        ps.setLong(3, 1);
        ps.setString(4, expires.toString());
        ps.executeUpdate();
      }
      return Optional.of(new Lease(name, holder, 1, expires));
    }
    Lease held = current.get();
    long token;
    if (held.holder().equals(holder)) {
      token = held.token();
    } else if (!held.expiresAt().isAfter(now)) {
      token = held.token() + 1;
    } else {
      return Optional.empty();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE leases SET holder = ?, token = ?, expires_at = ? WHERE name = ?")) {
      ps.setString(1, holder);
      ps.setLong(2, token);
      ps.setString(3, expires.toString());
      ps.setString(4, name);
      ps.executeUpdate();
    }
    return Optional.of(new Lease(name, holder, token, expires));
  }

  /** Lets the lease expire at once if {@code holder} holds it. */
  static void release(Connection c, String name, String holder) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?")) {
      ps.setString(1, Instant.EPOCH.toString());
      ps.setString(2, name);
      ps.setString(3, holder);
      ps.executeUpdate();
    }
  }

  /**
   * Fences a write: {@code lease} (none for an operator's action) is still held, with the same
   * token, and has not expired.
   *
   * @throws LeaseLostException otherwise
   */
  static void check(Connection c, Lease lease, Instant now) throws SQLException {
    if (lease == null) {
      return;
    }
    Optional<Lease> current = find(c, lease.name());
    if (current.isEmpty()
        || !current.get().holder().equals(lease.holder())
        || current.get().token() != lease.token()
        || !current.get().expiresAt().isAfter(now)) {
      throw new LeaseLostException(
          "lease '"
              + lease.name()
              + "' (token "
              + lease.token()
              + ") is no longer held by "
              + lease.holder());
    }
  }

  private static Optional<Lease> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT holder, token, expires_at FROM leases WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Lease(name, rs.getString(1), rs.getLong(2), Instant.parse(rs.getString(3))))
            : Optional.empty();
      }
    }
  }
}
