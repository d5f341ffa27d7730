package io.holdfast.server.subscription;

import java.time.Instant;

/**
 * How one instance uses one application at one moment: the subscription in force then, and the
 * seats in use from the instance's latest heartbeat.
 *
 * @param subscriptionId the subscription whose period covers the moment (not cancelled), or {@code
 *     null} if there is none
 * @param status that subscription's status, or {@code null}
 * @param quantity seats granted now: the subscription's quantity if it is active, else 0
 * @param overage seats allowed beyond {@code quantity} while active, else 0
 * @param seatsInUse seats the instance last reported for the application, or {@code null} if its
 *     latest heartbeat does not mention it (or there is no heartbeat)
 * @param reportedAt when that heartbeat was received, or {@code null}
 */
public record Usage(
    String instance,
    String application,
    String subscriptionId,
    SubscriptionStatus status,
    long quantity,
    long overage,
    Long seatsInUse,
    Instant reportedAt) {

  /**
   * Seats in use over seats granted, or {@code null} when either is unknown or nothing is granted.
   */
  public Double utilisation() {
    return seatsInUse == null || quantity == 0 ? null : (double) seatsInUse / quantity;
  }

  /** More seats in use than the quantity and the overage allow together. */
  public boolean overAllocated() {
    return seatsInUse != null && seatsInUse > quantity + overage;
  }
}
