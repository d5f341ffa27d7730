package io.holdfast.client.seats;

import io.holdfast.client.Freshness;
import java.util.Objects;

/**
 * One application's seats: how many are assigned against what the held document grants now.
 * Immutable.
 *
 * @param application the application
 * @param inUse seats assigned in the tenant's store
 * @param known whether the held document says anything readable about the application; if not,
 *     {@code quantity} and {@code overage} are 0 and mean nothing
 * @param quantity the seats granted by the subscription in force; 0 if none is (not subscribed,
 *     suspended, cancelled)
 * @param overage the overage allowed beyond {@code quantity}
 * @param basis what the figures come from, in words (the subscription, or why none)
 * @param freshness the {@code subscriptions} namespace's freshness
 */
public record SeatUsage(
    String application,
    long inUse,
    boolean known,
    long quantity,
    long overage,
    String basis,
    Freshness freshness) {

  public SeatUsage {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(freshness, "freshness");
  }

  /**
   * More seats are held than the document grants (after a verified lower quantity, a suspension, a
   * cancellation or the end of the contract): nobody was evicted, and no new seat is assigned until
   * enough are released. Never true when nothing is known.
   */
  public boolean overAllocated() {
    return known && inUse > quantity + overage;
  }
}
