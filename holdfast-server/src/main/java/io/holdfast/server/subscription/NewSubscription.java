package io.holdfast.server.subscription;

import java.time.Instant;
import java.util.Objects;

/**
 * What a new subscription is made of, checked for shape by the caller; the store checks what needs
 * the database (that instance and application exist, that the period overlaps nothing).
 *
 * @param validUntil exclusive end, or {@code null} for open-ended
 */
public record NewSubscription(
    String instance,
    String application,
    long quantity,
    long overage,
    SeatModel seatModel,
    Instant validFrom,
    Instant validUntil,
    String plan,
    String notes) {

  public NewSubscription {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(seatModel, "seatModel");
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(notes, "notes");
    SubscriptionRules.requirePeriod(validFrom, validUntil);
    SubscriptionRules.requireCounts(quantity, overage);
  }
}
