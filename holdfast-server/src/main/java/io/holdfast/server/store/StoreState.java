package io.holdfast.server.store;

import io.holdfast.server.instance.Instance;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.subscription.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a replica needs to build its snapshot, read in one consistent transaction.
 *
 * @param revision the newest revision in the store when this state was read
 * @param latestLayers the newest version of every layer, including removals
 * @param revisionTimes publish time of every revision a document's revision can take: namespace
 *     creations, ring assignments, layer versions and subscription changes
 * @param subscriptions every subscription of every instance
 * @param ringLayers layers that rolling-out changes serve to the rings they have reached, in place
 *     of the matching {@code latestLayers}
 * @param ringSubscriptions subscriptions as rolling-out changes serve them to instances whose ring
 *     they have reached, in place of the stored ones of the same id
 */
public record StoreState(
    long revision,
    List<Ring> rings,
    List<Instance> instances,
    List<Namespace> namespaces,
    List<LayerVersion> latestLayers,
    List<AdminCredential> adminCredentials,
    Map<Long, Instant> revisionTimes,
    List<Subscription> subscriptions,
    List<RingLayer> ringLayers,
    List<Subscription> ringSubscriptions) {}
