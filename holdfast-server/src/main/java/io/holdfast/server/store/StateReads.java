package io.holdfast.server.store;

import io.holdfast.server.instance.Instance;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionFilter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads what a replica builds its snapshot from, inside the caller's read transaction, so that it
 * is one consistent state. Stateless.
 */
final class StateReads {

  private StateReads() {}

  /** The whole state. */
  static StoreState full(Connection c) throws SQLException {
    long revision = RevisionLog.current(c);
    List<Ring> rings = RingTable.all(c);
    List<Instance> instances = InstanceTable.select(c, null);
    List<Namespace> namespaces = NamespaceTable.select(c, null);
    List<LayerVersion> layers = LayerTables.latest(c, null);
    List<AdminCredential> credentials = AdminCredentialTables.all(c);
    Map<Long, Instant> times = RevisionLog.assignmentTimes(c);
    for (LayerVersion layer : layers) {
      times.put(layer.revision(), layer.publishedAt());
    }
    List<RingLayer> ringLayers = OpenChanges.ringLayers(c);
    for (RingLayer layer : ringLayers) {
      times.put(layer.layer().revision(), layer.layer().publishedAt());
    }
    List<InstanceDelivery> deliveries = OpenChanges.deliveries(c);
    putDeliveryTimes(times, deliveries);
    List<Subscription> subscriptions = SubscriptionTables.subscriptions(c, SubscriptionFilter.ALL);
    List<Subscription> ringSubscriptions = OpenChanges.ringSubscriptions(c);
    for (Subscription subscription : ringSubscriptions) {
      times.put(subscription.revision(), subscription.updatedAt());
    }
    return new StoreState(
        revision,
        rings,
        instances,
        namespaces,
        layers,
        credentials,
        times,
        subscriptions,
        ringLayers,
        ringSubscriptions,
        deliveries);
  }

  /** What changed after {@code since}; see {@link StoreChanges}. */
  static StoreChanges since(Connection c, long since) throws SQLException {
    long revision = RevisionLog.current(c);
    List<RingLayer> ringLayers = OpenChanges.ringLayers(c);
    List<Subscription> ringSubscriptions = OpenChanges.ringSubscriptions(c);
    List<InstanceDelivery> deliveries = OpenChanges.deliveries(c);
    if (revision == since) {
      // Nothing new; what rolling-out changes serve is read anyway, as a full load would.
      return new StoreChanges(
          since,
          revision,
          RingTable.all(c),
          List.of(),
          List.of(),
          List.of(),
          AdminCredentialTables.all(c),
          Map.of(),
          List.of(),
          ringLayers,
          ringSubscriptions,
          deliveries);
    }
    Map<Long, Instant> times = RevisionLog.timesSince(c, since);
    for (RingLayer layer : ringLayers) {
      times.put(layer.layer().revision(), layer.layer().publishedAt());
    }
    for (Subscription subscription : ringSubscriptions) {
      times.put(subscription.revision(), subscription.updatedAt());
    }
    putDeliveryTimes(times, deliveries);
    return new StoreChanges(
        since,
        revision,
        RingTable.all(c),
        InstanceTable.changedSince(c, since),
        NamespaceTable.createdSince(c, since),
        LayerTables.latestSince(c, since),
        AdminCredentialTables.all(c),
        times,
        SubscriptionTables.changedSince(c, since),
        ringLayers,
        ringSubscriptions,
        deliveries);
  }

  /** The time of each delivery's revision: its documents are issued at it. */
  private static void putDeliveryTimes(
      Map<Long, Instant> times, List<InstanceDelivery> deliveries) {
    for (InstanceDelivery delivery : deliveries) {
      if (!delivery.waiting()) {
        times.put(delivery.revision(), delivery.deliveredAt());
      }
    }
  }
}
