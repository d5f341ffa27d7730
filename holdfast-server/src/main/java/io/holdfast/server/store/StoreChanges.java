package io.holdfast.server.store;

import io.holdfast.server.instance.Instance;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.subscription.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What changed in the store after revision {@code since}, read in one consistent transaction: what
 * a replica that holds the {@link StoreState} at {@code since} needs to reach {@code revision}
 * without reading everything again ({@link StoreState#with}).
 *
 * <p>Nothing a snapshot is built from is ever deleted row by row except admin credentials (a
 * revoked name given again replaces its row), and what rolling-out changes serve (and to whom)
 * stops when they end: those few are read whole, as are the rings. Everything else is read as a
 * delta: a layer removal is a version with no content, an instance or a subscription is changed in
 * place and stamped with a revision, and a namespace is only ever created.
 *
 * @param since the revision the delta starts after
 * @param revision the newest revision in the store when this was read
 * @param rings every ring
 * @param instances the instances created or changed after {@code since}
 * @param namespaces the namespaces created after {@code since}
 * @param latestLayers the newest version of every layer that has a version after {@code since}
 * @param adminCredentials every admin credential
 * @param revisionTimes when each revision after {@code since} was made
 * @param subscriptions the subscriptions created or changed after {@code since}
 * @param ringLayers every layer rolling-out changes serve now ({@link StoreState#ringLayers})
 * @param ringSubscriptions every subscription rolling-out changes serve now ({@link
 *     StoreState#ringSubscriptions})
 * @param deliveries every rolling-out layer an instance waits for ({@link StoreState#deliveries})
 */
public record StoreChanges(
    long since,
    long revision,
    List<Ring> rings,
    List<Instance> instances,
    List<Namespace> namespaces,
    List<LayerVersion> latestLayers,
    List<AdminCredential> adminCredentials,
    Map<Long, Instant> revisionTimes,
    List<Subscription> subscriptions,
    List<RingLayer> ringLayers,
    List<Subscription> ringSubscriptions,
    List<InstanceDelivery> deliveries) {}
