package io.holdfast.server.window;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an instance's own settings say about when it takes changes.
 *
 * @param zone the customer's time zone, from the instance's settings; the ring's window is read in
 *     it, so each customer gets its own evenings
 * @param window a window of the instance's own, replacing the ring's, used exactly as written (its
 *     own zone included)
 * @param blackouts the instance's blackouts, added to the ring's and the global ones
 */
public record InstanceTiming(
    Optional<ZoneId> zone, Optional<ChangeWindow> window, List<Blackout> blackouts) {

  /** Nothing of its own: the ring's window in the ring's zone. */
  public static final InstanceTiming NONE =
      new InstanceTiming(Optional.empty(), Optional.empty(), List.of());

  /**
   * @throws InvalidWindowException for a zone that is not an IANA region, or more than {@link
   *     Blackout#MAX_PER_LEVEL} blackouts
   */
  public InstanceTiming {
    Objects.requireNonNull(zone, "zone").ifPresent(IanaZone::require);
    Objects.requireNonNull(window, "window");
    blackouts = Blackout.listOf(blackouts);
  }
}
