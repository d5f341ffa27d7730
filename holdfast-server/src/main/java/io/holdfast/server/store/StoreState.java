package io.holdfast.server.store;

import io.holdfast.server.instance.Instance;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.subscription.Subscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

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
 * @param deliveries the {@code ringLayers} that instances of their ring are not served yet: they
 *     wait for their change window
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
    List<Subscription> ringSubscriptions,
    List<InstanceDelivery> deliveries) {

  /** Orders subscriptions as the store lists them (instance, application, start, id). */
  private static final Comparator<Subscription> SUBSCRIPTION_ORDER =
      Comparator.comparing(Subscription::instance)
          .thenComparing(Subscription::application)
          .thenComparing(Subscription::validFrom)
          .thenComparing(Subscription::id);

  /**
   * This state with {@code changes} applied: the state a full load at {@code changes.revision()}
   * would read, except that {@link #revisionTimes} keeps the times of revisions nothing refers to
   * any more (lookups never ask for them), and that lists are ordered by Java's string order, which
   * a database's collation may not follow (nothing built from a state depends on its order).
   *
   * @throws IllegalArgumentException if {@code changes} do not start at this state's revision
   */
  public StoreState with(StoreChanges changes) {
    if (changes.since() != revision) {
      throw new IllegalArgumentException(
          "changes since revision " + changes.since() + " do not apply to revision " + revision);
    }
    Map<Long, Instant> times = new HashMap<>(revisionTimes);
    times.putAll(changes.revisionTimes());
    return new StoreState(
        changes.revision(),
        List.copyOf(changes.rings()),
        merged(instances, changes.instances(), Instance::id),
        merged(namespaces, changes.namespaces(), Namespace::name),
        merged(
            latestLayers, changes.latestLayers(), l -> l.namespace() + "\u0000" + l.scope().key()),
        List.copyOf(changes.adminCredentials()),
        times,
        mergedSubscriptions(changes.subscriptions()),
        List.copyOf(changes.ringLayers()),
        List.copyOf(changes.ringSubscriptions()),
        List.copyOf(changes.deliveries()));
  }

  /**
   * {@code current} with each of {@code changed} in place of the element of the same key, or added.
   */
  private static <T> List<T> merged(List<T> current, List<T> changed, Function<T, String> key) {
    if (changed.isEmpty()) {
      return current;
    }
    TreeMap<String, T> byKey = new TreeMap<>();
    for (T element : current) {
      byKey.put(key.apply(element), element);
    }
    for (T element : changed) {
      byKey.put(key.apply(element), element);
    }
    return List.copyOf(byKey.values());
  }

  private List<Subscription> mergedSubscriptions(List<Subscription> changed) {
    if (changed.isEmpty()) {
      return subscriptions;
    }
    Map<String, Subscription> byId = new LinkedHashMap<>();
    for (Subscription subscription : subscriptions) {
      byId.put(subscription.id(), subscription);
    }
    for (Subscription subscription : changed) {
      byId.put(subscription.id(), subscription);
    }
    List<Subscription> all = new ArrayList<>(byId.values());
    all.sort(SUBSCRIPTION_ORDER);
    return List.copyOf(all);
  }
}
