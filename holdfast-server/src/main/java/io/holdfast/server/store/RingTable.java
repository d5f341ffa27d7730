package io.holdfast.server.store;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code rings} table as the config store sees it (order and bake time), inside the caller's
 * transaction. The rollout store reads and writes the gate columns of the same rows. Stateless.
 */
final class RingTable {

  private RingTable() {}

  static List<Ring> all(Connection c) throws SQLException {
    List<Ring> rings = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT name, position, bake_seconds, revision FROM rings ORDER BY position");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rings.add(
            new Ring(
                rs.getString(1), rs.getInt(2), Duration.ofSeconds(rs.getLong(3)), rs.getLong(4)));
      }
    }
    return rings;
  }

  /**
   * @throws ProblemException {@code ALREADY_EXISTS} if the name or the position is taken
   */
  static void requireFree(Connection c, String name, int position) throws SQLException {
    if (Rows.exists(c, "SELECT 1 FROM rings WHERE name = ?", name)) {
      throw new ProblemException(ProblemType.ALREADY_EXISTS, "ring '" + name + "' already exists");
    }
    if (Rows.exists(c, "SELECT 1 FROM rings WHERE position = ?", position)) {
      throw new ProblemException(
          ProblemType.ALREADY_EXISTS, "another ring already has position " + position);
    }
  }

  static void insert(Connection c, Ring ring) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO rings (name, position, bake_seconds, revision) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, ring.name());
      ps.setInt(2, ring.position());
      ps.setLong(3, ring.bakeTime().toSeconds());
      ps.setLong(4, ring.revision());
      ps.executeUpdate();
    }
  }

  /**
   * @throws ProblemException {@code RING_NOT_FOUND}
   */
  static void require(Connection c, String ring) throws SQLException {
    if (!Rows.exists(c, "SELECT 1 FROM rings WHERE name = ?", ring)) {
      throw new ProblemException(ProblemType.RING_NOT_FOUND, "ring '" + ring + "' does not exist");
    }
  }
}
