package io.holdfast.server.subscription;

import java.time.Instant;
import java.util.Objects;

/**
 * One instance's entitlement to one application for a period {@code [validFrom, validUntil)}.
 *
 * @param validUntil the end of the period, exclusive; {@code null} for open-ended
 * @param notes for operators only; never sent to instances
 * @param revision the revision of the latest change to this subscription
 */
public record Subscription(
    String id,
    String instance,
    String application,
    long quantity,
    long overage,
    SeatModel seatModel,
    SubscriptionStatus status,
    Instant validFrom,
    Instant validUntil,
    String plan,
    String notes,
    long revision,
    Instant createdAt,
    Instant updatedAt) {

  public Subscription {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(seatModel, "seatModel");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(notes, "notes");
  }

  /** This subscription as stored by the write that took {@code newRevision}. */
  public Subscription atRevision(long newRevision) {
    return new Subscription(
        id,
        instance,
        application,
        quantity,
        overage,
        seatModel,
        status,
        validFrom,
        validUntil,
        plan,
        notes,
        newRevision,
        createdAt,
        updatedAt);
  }

  /** Whether {@code at} falls inside the period, whatever the status. */
  public boolean covers(Instant at) {
    return !at.isBefore(validFrom) && (validUntil == null || at.isBefore(validUntil));
  }

  /** Whether the two periods share at least one instant (periods are half-open). */
  public boolean overlaps(Instant otherFrom, Instant otherUntil) {
    boolean startsBeforeOtherEnds = otherUntil == null || validFrom.isBefore(otherUntil);
    boolean otherStartsBeforeThisEnds = validUntil == null || otherFrom.isBefore(validUntil);
    return startsBeforeOtherEnds && otherStartsBeforeThisEnds;
  }
}
