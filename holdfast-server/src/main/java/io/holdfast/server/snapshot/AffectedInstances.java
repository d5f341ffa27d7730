package io.holdfast.server.snapshot;

import io.holdfast.server.instance.Instance;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.store.InstanceDelivery;
import io.holdfast.server.store.RingLayer;
import io.holdfast.server.store.StoreChanges;
import io.holdfast.server.store.StoreState;
import io.holdfast.server.subscription.Subscription;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which instances' documents a {@link StoreChanges} may change, so that a rebuild renders only
 * those and keeps every other instance's view as it was.
 *
 * <p>An instance reads the namespaces, the default layer, its ring's layer and its own, what
 * rolling-out changes serve its ring (unless it waits for its change window), and its
 * subscriptions. So: a new namespace or a default layer concerns every instance; a ring layer, or a
 * change of what rolling-out changes serve a ring, the instances of that ring; an instance layer, a
 * change to the instance row (ring move, labels, credential) or to one of its subscriptions, that
 * instance. Over-approximating is safe (a rendered instance whose revisions did not move reuses its
 * documents); missing one is not, which the property test that compares incremental with full
 * rebuilds guards.
 */
final class AffectedInstances {

  private AffectedInstances() {}

  /**
   * The ids of the instances {@code changes} may concern, or empty if they may concern every
   * instance.
   */
  static Optional<Set<String>> of(StoreState before, StoreChanges changes, StoreState after) {
    if (!changes.namespaces().isEmpty()) {
      return Optional.empty();
    }
    Set<String> ids = new HashSet<>();
    Set<String> rings = new HashSet<>();
    for (LayerVersion layer : changes.latestLayers()) {
      switch (layer.scope().kind()) {
        case DEFAULT -> {
          return Optional.empty();
        }
        case RING -> rings.add(layer.scope().target());
        case INSTANCE -> ids.add(layer.scope().target());
      }
    }
    for (Instance instance : changes.instances()) {
      ids.add(instance.id());
    }
    for (Subscription subscription : changes.subscriptions()) {
      ids.add(subscription.instance());
    }
    rings.addAll(ringsServedOtherwise(before.ringLayers(), after.ringLayers()));
    // An instance whose change window opened (or that a new release holds back) is served
    // otherwise.
    Set<InstanceDelivery> heldBefore = new HashSet<>(before.deliveries());
    Set<InstanceDelivery> heldAfter = new HashSet<>(after.deliveries());
    for (InstanceDelivery layer : heldBefore) {
      if (!heldAfter.contains(layer)) {
        ids.add(layer.instance());
      }
    }
    for (InstanceDelivery layer : heldAfter) {
      if (!heldBefore.contains(layer)) {
        ids.add(layer.instance());
      }
    }
    Set<Subscription> servedBefore = new HashSet<>(before.ringSubscriptions());
    Set<Subscription> servedAfter = new HashSet<>(after.ringSubscriptions());
    for (Subscription subscription : before.ringSubscriptions()) {
      if (!servedAfter.contains(subscription)) {
        ids.add(subscription.instance());
      }
    }
    for (Subscription subscription : after.ringSubscriptions()) {
      if (!servedBefore.contains(subscription)) {
        ids.add(subscription.instance());
      }
    }
    if (!rings.isEmpty()) {
      for (Instance instance : after.instances()) {
        if (rings.contains(instance.ring())) {
          ids.add(instance.id());
        }
      }
    }
    return Optional.of(ids);
  }

  /** The rings whose rolling-out layers differ between the two lists. */
  private static Set<String> ringsServedOtherwise(List<RingLayer> before, List<RingLayer> after) {
    Map<String, Set<LayerVersion>> was = byRing(before);
    Map<String, Set<LayerVersion>> is = byRing(after);
    Set<String> rings = new HashSet<>();
    for (String ring : was.keySet()) {
      if (!was.get(ring).equals(is.get(ring))) {
        rings.add(ring);
      }
    }
    for (String ring : is.keySet()) {
      if (!is.get(ring).equals(was.get(ring))) {
        rings.add(ring);
      }
    }
    return rings;
  }

  private static Map<String, Set<LayerVersion>> byRing(List<RingLayer> layers) {
    Map<String, Set<LayerVersion>> byRing = new HashMap<>();
    for (RingLayer layer : layers) {
      byRing.computeIfAbsent(layer.ring(), r -> new HashSet<>()).add(layer.layer());
    }
    return byRing;
  }
}
