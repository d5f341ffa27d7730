package io.holdfast.server.window;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code change_deliveries} table, inside the caller's transaction: which instances of a
 * released ring wait for their change window, and when each received the change. Only instances
 * whose window was closed when their ring was released have a row; the others received the change
 * with the ring. Stateless.
 */
public final class ChangeDeliveries {

  private ChangeDeliveries() {}

  /** An instance that a rolling-out change has reached the ring of, waiting for its window. */
  public record Waiting(long change, String instance, String ring, Instant heldAt) {}

  /** One instance's delivery of a change: when it got it, or {@code null} while it waits. */
  public record Delivery(String instance, Instant heldAt, Instant deliveredAt) {

    public boolean waiting() {
      return deliveredAt == null;
    }
  }

  /**
   * Holds back the change from the instances of ring {@code ring} whose schedule is closed at
   * {@code now}; returns how many.
   */
  public static int holdClosed(
      Connection c, long change, String ring, FleetTimings timings, Instant now)
      throws SQLException {
    if (timings.none()) {
      return 0;
    }
    List<String> closed = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM instances WHERE ring = ?")) {
      ps.setString(1, ring);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String instance = rs.getString(1);
          if (!timings.schedule(instance, ring).isOpen(now)) {
            closed.add(instance);
          }
        }
      }
    }
    if (closed.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO change_deliveries (change_id, instance, ring, held_at) VALUES (?, ?, ?, ?)")) {
      for (String instance : closed) {
        ps.setLong(1, change);
        ps.setString(2, instance);
        ps.setString(3, ring);
        ps.setString(4, now.toString());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return closed.size();
  }

  /** Every instance that waits for its window, for changes still rolling out. */
  public static List<Waiting> waiting(Connection c) throws SQLException {
    List<Waiting> waiting = new ArrayList<>();
    Map<String, Instant> parsed = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT d.change_id, d.instance, d.ring, d.held_at FROM change_deliveries d"
                    + " JOIN changes ch ON ch.id = d.change_id AND ch.state = 'rolling_out'"
                    + " WHERE d.delivered_at IS NULL ORDER BY d.change_id, d.instance");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        waiting.add(
            new Waiting(
                rs.getLong(1), rs.getString(2), rs.getString(3), instant(parsed, rs.getString(4))));
      }
    }
    return waiting;
  }

  /** The held instances of one change in one ring, waiting or delivered since, by instance. */
  public static Map<String, Delivery> ofRing(Connection c, long change, String ring)
      throws SQLException {
    Map<String, Delivery> deliveries = new HashMap<>();
    Map<String, Instant> parsed = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT instance, held_at, delivered_at FROM change_deliveries"
                + " WHERE change_id = ? AND ring = ?")) {
      ps.setLong(1, change);
      ps.setString(2, ring);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String delivered = rs.getString(3);
          deliveries.put(
              rs.getString(1),
              new Delivery(
                  rs.getString(1),
                  instant(parsed, rs.getString(2)),
                  delivered == null ? null : instant(parsed, delivered)));
        }
      }
    }
    return deliveries;
  }

  /**
   * {@code text} as an instant, parsed once per read: the rows held back at one ring release share
   * their {@code held_at}, and those delivered together their {@code delivered_at}, and parsing
   * each of thousands of rows was most of what reading them cost the engine per pass.
   */
  private static Instant instant(Map<String, Instant> parsed, String text) {
    return parsed.computeIfAbsent(text, Instant::parse);
  }

  /**
   * Gives the change to {@code instances}, which waited for it, at {@code revision}; returns how
   * many of them still waited.
   */
  public static int deliver(
      Connection c, long change, Collection<String> instances, Instant now, long revision)
      throws SQLException {
    int delivered = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE change_deliveries SET delivered_at = ?, revision = ?"
                + " WHERE change_id = ? AND instance = ? AND delivered_at IS NULL")) {
      for (String instance : instances) {
        ps.setString(1, now.toString());
        ps.setLong(2, revision);
        ps.setLong(3, change);
        ps.setString(4, instance);
        ps.addBatch();
      }
      for (int updated : ps.executeBatch()) {
        delivered += Math.max(0, updated);
      }
    }
    return delivered;
  }

  /** Gives the change to every instance that still waits for it (a hot-fix); returns how many. */
  public static int deliverAll(Connection c, long change, Instant now, long revision)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE change_deliveries SET delivered_at = ?, revision = ?"
                + " WHERE change_id = ? AND delivered_at IS NULL")) {
      ps.setString(1, now.toString());
      ps.setLong(2, revision);
      ps.setLong(3, change);
      return ps.executeUpdate();
    }
  }
}
