package io.holdfast.server.rollout;

import io.holdfast.server.window.ChangeDeliveries.Delivery;
import io.holdfast.server.window.FleetTimings;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Which instances of the ring a change bakes in have received it, for its {@link HealthGate} (issue
 * 22): those whose change window was closed when the ring was released wait, and receive it when
 * their window opens; every other instance received it with the ring.
 *
 * @param held the ring's instances that were held back at its release, waiting or delivered since
 * @param nextOpening when the first waiting instance's window opens, if one waits
 * @param neverOpens why the change cannot reach some waiting instance within the engine's bound (a
 *     window that never opens, a blackout too long), if so
 */
public record RingDeliveries(
    Map<String, Delivery> held, Optional<Instant> nextOpening, Optional<String> neverOpens) {

  /** A ring without windows: every instance received the change with its ring. */
  public static final RingDeliveries NONE =
      new RingDeliveries(Map.of(), Optional.empty(), Optional.empty());

  public RingDeliveries {
    held = Map.copyOf(held);
  }

  /** Whether {@code instance} still waits for its window. */
  boolean waits(String instance) {
    Delivery delivery = held.get(instance);
    return delivery != null && delivery.waiting();
  }

  /** When {@code instance} received the change: with its ring, at {@code releasedAt}, or later. */
  Instant deliveredAt(String instance, Instant releasedAt) {
    Delivery delivery = held.get(instance);
    return delivery == null || delivery.deliveredAt() == null ? releasedAt : delivery.deliveredAt();
  }

  /**
   * Reads which instances of the ring {@code change} bakes in were held back, and works out when
   * the first that still waits is due and whether one cannot receive the change within {@link
   * RolloutEngine#WINDOW_BOUND}.
   *
   * @param ringOf every instance's ring now: one moved to another ring (or deleted) since it was
   *     held back no longer counts here
   */
  static RingDeliveries read(
      RolloutStore rollouts,
      ChangeRequest change,
      Map<String, String> ringOf,
      FleetTimings timings,
      Instant now) {
    String ring = change.currentRing();
    Map<String, Delivery> held = rollouts.heldInRing(change.id(), ring);
    if (held.isEmpty()) {
      return NONE;
    }
    Instant next = null;
    String never = null;
    for (Delivery delivery : held.values()) {
      if (!delivery.waiting() || !ring.equals(ringOf.get(delivery.instance()))) {
        continue;
      }
      Optional<Instant> opens =
          timings.schedule(delivery.instance(), ring).nextOpening(now, RolloutEngine.WINDOW_BOUND);
      if (opens.isEmpty()) {
        if (never == null || delivery.instance().compareTo(never) < 0) {
          never = delivery.instance();
        }
      } else if (next == null || opens.get().isBefore(next)) {
        next = opens.get();
      }
    }
    return new RingDeliveries(
        held,
        Optional.ofNullable(next),
        Optional.ofNullable(never)
            .map(
                instance ->
                    "the change window of instance "
                        + instance
                        + " does not open within "
                        + RolloutEngine.WINDOW_BOUND.toDays()
                        + " days (its window or a blackout keeps it closed)"));
  }
}
