package io.holdfast.server.store;

import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionEdit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What approved and rolling-out change requests hold and serve, read from the change tables inside
 * the caller's transaction: the layers and subscriptions rolling-out changes serve to the rings
 * they have reached (replicas overlay them on what is published) and which of those wait for an
 * instance's change window, and which change holds a layer or an instance's subscriptions (no one
 * writes around it until it ends). Both stores read these. Stateless.
 */
public final class OpenChanges {

  private OpenChanges() {}

  /**
   * The layers rolling-out changes serve to the rings they have reached, each stamped with the
   * revision and time of its ring's release.
   */
  public static List<RingLayer> ringLayers(Connection c) throws SQLException {
    List<RingLayer> layers = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT r.ring, e.namespace, e.scope, r.revision, e.content, r.released_at"
                    + " FROM change_releases r JOIN changes ch ON ch.id = r.change_id AND ch.state = 'rolling_out'"
                    + " JOIN change_edits e ON e.change_id = r.change_id ORDER BY r.ring, e.namespace, e.scope");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        layers.add(
            new RingLayer(
                rs.getString(1),
                new LayerVersion(
                    rs.getString(2),
                    Scope.parse(rs.getString(3)),
                    rs.getLong(4),
                    StoredJson.parse(rs.getString(5)),
                    Instant.parse(rs.getString(6)))));
      }
    }
    return layers;
  }

  /**
   * The layers of rolling-out changes that reached instances apart from their ring, because their
   * change window was closed when it was released: waiting, or delivered since.
   */
  public static List<InstanceDelivery> deliveries(Connection c) throws SQLException {
    List<InstanceDelivery> deliveries = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT d.instance, e.namespace, e.scope, d.revision, d.delivered_at"
                    + " FROM change_deliveries d"
                    + " JOIN changes ch ON ch.id = d.change_id AND ch.state = 'rolling_out'"
                    + " JOIN change_edits e ON e.change_id = d.change_id"
                    + " ORDER BY d.instance, e.namespace, e.scope");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long revision = rs.getLong(4);
        boolean delivered = !rs.wasNull();
        deliveries.add(
            new InstanceDelivery(
                rs.getString(1),
                rs.getString(2),
                Scope.parse(rs.getString(3)),
                delivered ? revision : null,
                delivered ? Instant.parse(rs.getString(5)) : null));
      }
    }
    return deliveries;
  }

  /**
   * The subscriptions as rolling-out changes serve them to instances whose ring they have reached,
   * each stamped with the revision and time of that release (or of the instance's own delivery, if
   * its change window held it back). Two queries: the edits, then the current subscriptions they
   * change, all at once.
   */
  static List<Subscription> ringSubscriptions(Connection c) throws SQLException {
    String reached =
        " FROM change_subscription_edits e"
            + " JOIN changes ch ON ch.id = e.change_id AND ch.state = 'rolling_out'"
            + " JOIN instances i ON i.id = e.instance"
            + " JOIN change_releases r ON r.change_id = e.change_id AND r.ring = i.ring"
            // An instance held back for its change window: none while it waits, and the revision
            // of its own delivery once delivered (see InstanceDelivery).
            + " LEFT JOIN change_deliveries d ON d.change_id = e.change_id AND d.instance = e.instance"
            + " WHERE (d.instance IS NULL OR d.delivered_at IS NOT NULL)";
    record Reached(SubscriptionEdit edit, long revision, Instant at) {}
    List<Reached> edits = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT e.subscription_id, e.instance, e.kind, e.body, e.base_revision,"
                    + " COALESCE(d.revision, r.revision), COALESCE(d.delivered_at, r.released_at)"
                    + reached
                    + " ORDER BY e.change_id, e.position");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        edits.add(
            new Reached(
                SubscriptionEdit.fromBody(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3).equals("create"),
                    StoredJson.parse(rs.getString(4)),
                    rs.getLong(5)),
                rs.getLong(6),
                Instant.parse(rs.getString(7))));
      }
    }
    if (edits.isEmpty()) {
      return List.of();
    }
    Map<String, Subscription> current = new HashMap<>();
    for (Subscription subscription :
        SubscriptionTables.subscriptionsIn(
            c, "SELECT e.subscription_id" + reached + " AND e.kind = 'change'")) {
      current.put(subscription.id(), subscription);
    }
    List<Subscription> overlaid = new ArrayList<>(edits.size());
    for (Reached reachedEdit : edits) {
      SubscriptionEdit edit = reachedEdit.edit();
      overlaid.add(
          edit.applyTo(
              edit.create() != null ? null : current.get(edit.subscriptionId()),
              reachedEdit.revision(),
              reachedEdit.at()));
    }
    return overlaid;
  }

  /** The approved or rolling-out change whose edits include this layer, if any. */
  public static Optional<Long> layerHolder(Connection c, String namespace, Scope scope)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT ch.id FROM change_edits e JOIN changes ch ON ch.id = e.change_id"
                + " WHERE e.namespace = ? AND e.scope = ? AND ch.state IN ('approved', 'rolling_out')")) {
      ps.setString(1, namespace);
      ps.setString(2, scope.key());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /**
   * The approved or rolling-out change with a subscription edit for this instance and application.
   */
  public static Optional<Long> subscriptionHolder(Connection c, String instance, String application)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT ch.id FROM change_subscription_edits e"
                + " JOIN changes ch ON ch.id = e.change_id"
                + " WHERE e.instance = ? AND e.application = ? AND ch.state IN ('approved', 'rolling_out')")) {
      ps.setString(1, instance);
      ps.setString(2, application);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }
}
