package io.holdfast.server.store;

import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.server.instance.Heartbeat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code heartbeats} table: the latest report of each instance, inside the caller's
 * transaction. Not a revision: a heartbeat changes nothing replicas serve. Stateless.
 */
final class HeartbeatTable {

  /**
   * Heartbeat times are stored fixed-width (always three fraction digits) so that comparing the
   * text compares the times: {@link Instant#toString()} drops a zero fraction.
   */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private HeartbeatTable() {}

  static void put(Connection c, Heartbeat heartbeat) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO heartbeats (instance, received_at, body) VALUES (?, ?, ?)"
                + " ON CONFLICT (instance) DO UPDATE SET received_at = excluded.received_at, body = excluded.body")) {
      ps.setString(1, heartbeat.instance());
      ps.setString(2, TIME.format(heartbeat.receivedAt()));
      ps.setString(3, CanonicalJson.toText(heartbeat.body()));
      ps.executeUpdate();
    }
  }

  /**
   * Stores a batch, one statement per heartbeat in the caller's one transaction (one commit, one
   * fsync). An instance deleted meanwhile matches no row in the SELECT and is skipped; an older
   * report never replaces a newer one (batches from two replicas may interleave).
   *
   * @return how many were stored
   */
  static int putAll(Connection c, List<Heartbeat> heartbeats) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO heartbeats (instance, received_at, body) SELECT id, ?, ? FROM instances WHERE id = ?"
                + " ON CONFLICT (instance) DO UPDATE SET received_at = excluded.received_at, body = excluded.body"
                + " WHERE excluded.received_at >= heartbeats.received_at")) {
      for (Heartbeat heartbeat : heartbeats) {
        ps.setString(1, TIME.format(heartbeat.receivedAt()));
        ps.setString(2, CanonicalJson.toText(heartbeat.body()));
        ps.setString(3, heartbeat.instance());
        ps.addBatch();
      }
      int stored = 0;
      for (int count : ps.executeBatch()) {
        stored += Math.max(0, count);
      }
      return stored;
    }
  }

  static Optional<Heartbeat> find(Connection c, String instance) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT instance, received_at, body FROM heartbeats WHERE instance = ?")) {
      ps.setString(1, instance);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(heartbeat(rs)) : Optional.empty();
      }
    }
  }

  static List<Heartbeat> all(Connection c) throws SQLException {
    List<Heartbeat> heartbeats = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT instance, received_at, body FROM heartbeats ORDER BY instance");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        heartbeats.add(heartbeat(rs));
      }
    }
    return heartbeats;
  }

  private static Heartbeat heartbeat(ResultSet rs) throws SQLException {
    return new Heartbeat(
        rs.getString(1), Instant.parse(rs.getString(2)), StoredJson.parse(rs.getString(3)));
  }
}
