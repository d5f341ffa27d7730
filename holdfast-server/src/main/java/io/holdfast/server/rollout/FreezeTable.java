package io.holdfast.server.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The {@code rollout_freeze} table: at most one row, the freeze in force. Stateless. */
final class FreezeTable {

  private FreezeTable() {}

  static Optional<Freeze> find(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT reason, actor, since FROM rollout_freeze");
        ResultSet rs = ps.executeQuery()) {
      return rs.next()
          ? Optional.of(
              new Freeze(rs.getString(1), rs.getString(2), Instant.parse(rs.getString(3))))
          : Optional.empty();
    }
  }

  /** Freezes since {@code now}, or replaces the reason (and actor) of the freeze in force. */
  static void put(Connection c, String reason, String actor, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO rollout_freeze (id, reason, actor, since) VALUES (1, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, actor = excluded.actor")) {
      ps.setString(1, reason);
      ps.setString(2, actor);
      ps.setString(3, now.toString());
      ps.executeUpdate();
    }
  }

  static void delete(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM rollout_freeze")) {
      ps.executeUpdate();
    }
  }
}
