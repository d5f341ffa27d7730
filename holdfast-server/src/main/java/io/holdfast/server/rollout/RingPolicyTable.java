package io.holdfast.server.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rollout side of the {@code rings} table: each ring's bake time and health gate. Stateless.
 */
final class RingPolicyTable {

  private RingPolicyTable() {}

  /** Every ring in rollout order. */
  static List<RingPolicy> all(Connection c) throws SQLException {
    List<RingPolicy> rings = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT name, position, bake_seconds, min_ack_ratio,"
                    + " ack_deadline_seconds, max_failing_ratio, max_error_ratio, allow_empty"
                    + " FROM rings ORDER BY position");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rings.add(
            new RingPolicy(
                rs.getString(1),
                rs.getInt(2),
                Duration.ofSeconds(rs.getLong(3)),
                new RingGate(
                    rs.getDouble(4),
                    Duration.ofSeconds(rs.getLong(5)),
                    rs.getDouble(6),
                    rs.getDouble(7),
                    rs.getInt(8) == 1)));
      }
    }
    return rings;
  }

  static Optional<RingPolicy> find(Connection c, String ring) throws SQLException {
    return all(c).stream().filter(r -> r.ring().equals(ring)).findFirst();
  }

  static void update(Connection c, RingPolicy ring) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE rings SET bake_seconds = ?, min_ack_ratio = ?,"
                + " ack_deadline_seconds = ?, max_failing_ratio = ?, max_error_ratio = ?,"
                + " allow_empty = ? WHERE name = ?")) {
      ps.setLong(1, ring.bakeTime().toSeconds());
      ps.setDouble(2, ring.gate().minAckRatio());
      ps.setLong(3, ring.gate().ackDeadline().toSeconds());
      ps.setDouble(4, ring.gate().maxFailingRatio());
      ps.setDouble(5, ring.gate().maxErrorRatio());
      ps.setInt(6, ring.gate().allowEmpty() ? 1 : 0);
      ps.setString(7, ring.ring());
      ps.executeUpdate();
    }
  }
}
