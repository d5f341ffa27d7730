package io.holdfast.client.seats;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One subscription of an application, as read from the verified {@code subscriptions} document.
 * Immutable.
 *
 * @param id the vendor's identifier ({@code "s-1"})
 * @param quantity the named seats it grants; not negative
 * @param overage how many seats beyond {@code quantity} may be assigned; not negative
 * @param seatModel how seats are counted; this SDK supports {@code "named"}
 * @param status whether it is active, suspended or cancelled
 * @param validFrom when it starts (inclusive)
 * @param validUntil when it ends (exclusive), or {@code null} if it is open-ended
 * @param plan the commercial plan's name
 */
public record Subscription(
    String id,
    long quantity,
    long overage,
    String seatModel,
    SubscriptionStatus status,
    Instant validFrom,
    Instant validUntil,
    String plan) {

  public Subscription {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(seatModel, "seatModel");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(plan, "plan");
    if (quantity < 0 || overage < 0) {
      throw new IllegalArgumentException(
          "subscription "
              + id
              + ": quantity and overage must not be negative: "
              + quantity
              + ", "
              + overage);
    }
    if (quantity > Long.MAX_VALUE - overage) {
      throw new IllegalArgumentException(
          "subscription " + id + ": quantity + overage overflows: " + quantity + " + " + overage);
    }
    if (validUntil != null && !validUntil.isAfter(validFrom)) {
      throw new IllegalArgumentException(
          "subscription "
              + id
              + ": validUntil "
              + validUntil
              + " is not after validFrom "
              + validFrom);
    }
  }

  /** The most seats that may be assigned while it is in force: quantity plus overage. */
  public long limit() {
    return quantity + overage;
  }

  /** Whether {@code now} lies in [validFrom - skew, validUntil + skew). */
  boolean covers(Instant now, Duration skew) {
    return !now.isBefore(validFrom.minus(skew))
        && (validUntil == null || now.isBefore(validUntil.plus(skew)));
  }
}
