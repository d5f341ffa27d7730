package io.holdfast.server.window;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AuditTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A ring's window and an instance's zone and window, written inside the caller's transaction with
 * their audit rows: on their own ({@link JdbcWindowStore}), or in the same transaction as the rest
 * of an admin edit of the ring (its bake time and gate) or of the instance (its ring and labels),
 * so that such an edit is all or nothing. Stateless.
 */
public final class WindowWrites {

  private WindowWrites() {}

  /**
   * A ring's window; empty when it has none.
   *
   * @throws ProblemException {@code RING_NOT_FOUND}
   */
  public static Optional<ChangeWindow> ringWindow(Connection c, String ring) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT change_window FROM rings WHERE name = ?")) {
      ps.setString(1, ring);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new ProblemException(
              ProblemType.RING_NOT_FOUND, "ring " + ring + " does not exist");
        }
        return Optional.ofNullable(rs.getString(1)).map(ChangeWindow::parse);
      }
    }
  }

  /**
   * An instance's own zone and window.
   *
   * @throws ProblemException {@code INSTANCE_NOT_FOUND}
   */
  public static InstanceTiming instanceTiming(Connection c, String instance) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT zone, change_window FROM instances WHERE id = ?")) {
      ps.setString(1, instance);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new ProblemException(
              ProblemType.INSTANCE_NOT_FOUND, "instance " + instance + " does not exist");
        }
        return new InstanceTiming(
            Optional.ofNullable(rs.getString(1)).map(IanaZone::parse),
            Optional.ofNullable(rs.getString(2)).map(ChangeWindow::parse),
            List.of());
      }
    }
  }

  /**
   * Sets (or, with empty, removes) ring {@code ring}'s window.
   *
   * @throws ProblemException {@code RING_NOT_FOUND}
   */
  public static void setRingWindow(
      Connection c, String ring, Optional<ChangeWindow> window, String actor, Instant now)
      throws SQLException {
    Optional<ChangeWindow> before = ringWindow(c, ring);
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE rings SET change_window = ? WHERE name = ?")) {
      ps.setString(1, window.map(ChangeWindow::format).orElse(null));
      ps.setString(2, ring);
      ps.executeUpdate();
    }
    AuditTable.append(c, now, actor, "ring.window", "ring:" + ring, window(before), window(window));
  }

  /**
   * Applies {@code zone} and {@code window} to an instance's settings, keeping what they leave;
   * writes nothing if both keep.
   *
   * @return the instance's settings afterwards
   * @throws ProblemException {@code INSTANCE_NOT_FOUND}
   */
  public static InstanceTiming updateInstance(
      Connection c,
      String instance,
      WindowSettings.Edit<ZoneId> zone,
      WindowSettings.Edit<ChangeWindow> window,
      String actor,
      Instant now)
      throws SQLException {
    InstanceTiming was = instanceTiming(c, instance);
    if (!zone.changes() && !window.changes()) {
      return was;
    }
    Optional<ZoneId> newZone = zone.applyTo(was.zone());
    Optional<ChangeWindow> newWindow = window.applyTo(was.window());
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE instances SET zone = ?, change_window = ? WHERE id = ?")) {
      ps.setString(1, newZone.map(ZoneId::getId).orElse(null));
      ps.setString(2, newWindow.map(ChangeWindow::format).orElse(null));
      ps.setString(3, instance);
      ps.executeUpdate();
    }
    AuditTable.append(
        c,
        now,
        actor,
        "instance.window",
        "instance:" + instance,
        timing(was.zone(), was.window()),
        timing(newZone, newWindow));
    return new InstanceTiming(newZone, newWindow, List.of());
  }

  private static ObjectNode timing(Optional<ZoneId> zone, Optional<ChangeWindow> window) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("zone", zone.map(ZoneId::getId).orElse(null))
        .put("changeWindow", window.map(ChangeWindow::format).orElse(null));
  }

  private static ObjectNode window(Optional<ChangeWindow> window) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("changeWindow", window.map(ChangeWindow::format).orElse(null));
  }
}
