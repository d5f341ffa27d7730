package io.holdfast.cli.soak.history;

import java.util.Objects;

/**
 * Seats in use of one application of one instance, read from the seat store.
 *
 * @param inUse the number of seats assigned
 * @param largestAcknowledgedLimit the largest quantity plus overage acknowledged for it so far, if
 *     the runner tracks it; {@code null} lets the checker work it out from the {@link
 *     SubscriptionChanged} events before this one
 */
public record SeatCount(
    long nanos, String instance, String application, long inUse, Long largestAcknowledgedLimit)
    implements SoakEvent {

  public SeatCount {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(application, "application");
  }
}
