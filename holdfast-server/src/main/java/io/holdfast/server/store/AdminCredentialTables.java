package io.holdfast.server.store;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.model.Role;
import io.holdfast.server.problem.ProblemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL for {@code admin_credentials}, run inside the caller's transaction. The rules that need the
 * whole table live here too: one usable admin credential must always remain, so that nobody can
 * lock every operator out through the API. Stateless.
 */
final class AdminCredentialTables {

  private static final String COLUMNS =
      "name, role, token_hash, created_at, expires_at, revoked_at, last_used_at";

  private AdminCredentialTables() {}

  static List<AdminCredential> all(Connection c) throws SQLException {
    List<AdminCredential> credentials = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM admin_credentials ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        credentials.add(credential(rs));
      }
    }
    return credentials;
  }

  static Optional<AdminCredential> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM admin_credentials WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(credential(rs)) : Optional.empty();
      }
    }
  }

  /** The named credential if it is not revoked; 404 or 409 otherwise. */
  static AdminCredential requireLive(Connection c, String name) throws SQLException {
    AdminCredential credential =
        find(c, name)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.CREDENTIAL_NOT_FOUND,
                        "credential '" + name + "' does not exist"));
    if (credential.revoked()) {
      throw new ProblemException(
          ProblemType.CREDENTIAL_REVOKED,
          "credential '"
              + name
              + "' was revoked at "
              + credential.revokedAt()
              + "; create a new one instead");
    }
    return credential;
  }

  /**
   * Refuses a change that would leave no admin credential usable at {@code now} besides {@code
   * name}: revoking or demoting the last admin, or giving it an expiry.
   */
  static void requireAnotherAdmin(Connection c, String name, Instant now, String change)
      throws SQLException {
    for (AdminCredential other : all(c)) {
      if (!other.name().equals(name) && other.role() == Role.ADMIN && other.usableAt(now)) {
        return;
      }
    }
    throw new ProblemException(
        ProblemType.LAST_ADMIN,
        "credential '"
            + name
            + "' is the last usable admin credential; "
            + "create another admin credential before you "
            + change
            + " it");
  }

  static void insert(
      Connection c,
      String name,
      Role role,
      String tokenHash,
      Instant now,
      Instant expiresAt,
      long revision,
      String configuredHash)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO admin_credentials"
                + " (name, role, token_hash, created_at, revision, expires_at, configured_hash) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, name);
      ps.setString(2, role.wireName());
      ps.setString(3, tokenHash);
      ps.setString(4, now.toString());
      ps.setLong(5, revision);
      ps.setString(6, expiresAt == null ? null : expiresAt.toString());
      ps.setString(7, configuredHash);
      ps.executeUpdate();
    }
  }

  static void delete(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM admin_credentials WHERE name = ?")) {
      ps.setString(1, name);
      ps.executeUpdate();
    }
  }

  static void revoke(Connection c, String name, Instant now, long revision) throws SQLException {
    update(
        c,
        "UPDATE admin_credentials SET revoked_at = ?, revision = ? WHERE name = ?",
        now.toString(),
        revision,
        name);
  }

  static void replaceToken(Connection c, String name, String tokenHash, long revision)
      throws SQLException {
    update(
        c,
        "UPDATE admin_credentials SET token_hash = ?, revision = ? WHERE name = ?",
        tokenHash,
        revision,
        name);
  }

  static void change(Connection c, String name, Role role, Instant expiresAt, long revision)
      throws SQLException {
    update(
        c,
        "UPDATE admin_credentials SET role = ?, expires_at = ?, revision = ? WHERE name = ?",
        role.wireName(),
        expiresAt == null ? null : expiresAt.toString(),
        revision,
        name);
  }

  /** The hash of the configured token the named credential was last set from, if any. */
  static Optional<String> configuredHash(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT configured_hash FROM admin_credentials WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  static void deleteHolderOf(Connection c, String tokenHash) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM admin_credentials WHERE token_hash = ?")) {
      ps.setString(1, tokenHash);
      ps.executeUpdate();
    }
  }

  /**
   * Moves each named credential's {@code last_used_at} forward to the given time; never back, as
   * replicas flush independently. Credentials that no longer exist are skipped.
   *
   * @return how many rows changed
   */
  static int recordUse(Connection c, Map<String, Instant> lastUsed) throws SQLException {
    int changed = 0;
    for (Map.Entry<String, Instant> use : lastUsed.entrySet()) {
      Optional<AdminCredential> credential = find(c, use.getKey());
      if (credential.isEmpty() || credential.get().usedAt(use.getValue()) == credential.get()) {
        continue;
      }
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE admin_credentials SET last_used_at = ? WHERE name = ?")) {
        ps.setString(1, use.getValue().toString());
        ps.setString(2, use.getKey());
        changed += ps.executeUpdate();
      }
    }
    return changed;
  }

  private static void update(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      ps.executeUpdate();
    }
  }

  private static AdminCredential credential(ResultSet rs) throws SQLException {
    return new AdminCredential(
        rs.getString(1),
        Role.fromWire(rs.getString(2)),
        rs.getString(3),
        Instant.parse(rs.getString(4)),
        instant(rs.getString(5)),
        instant(rs.getString(6)),
        instant(rs.getString(7)));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
