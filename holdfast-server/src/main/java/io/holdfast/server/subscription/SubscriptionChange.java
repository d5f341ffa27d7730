package io.holdfast.server.subscription;

import java.time.Instant;

/**
 * A change to some fields of a subscription; a {@code null} field stays as it is. The end of the
 * period has three states, so it has two fields: {@code openEnded} removes the end, {@code
 * validUntil} sets one.
 *
 * @param forceReason why a deep cut of seats is meant (see {@link
 *     SubscriptionRules#requireForceForDeepCut}), or {@code null}: not a field, the operator's
 *     explicit "yes, really", kept in the audit log
 */
public record SubscriptionChange(
    Long quantity,
    Long overage,
    Instant validUntil,
    boolean openEnded,
    String plan,
    String notes,
    SubscriptionStatus status,
    String forceReason) {

  public SubscriptionChange {
    if (openEnded && validUntil != null) {
      throw new IllegalArgumentException(
          "a change either sets validUntil or makes the period open-ended");
    }
  }

  /** A change without force. */
  public SubscriptionChange(
      Long quantity,
      Long overage,
      Instant validUntil,
      boolean openEnded,
      String plan,
      String notes,
      SubscriptionStatus status) {
    this(quantity, overage, validUntil, openEnded, plan, notes, status, null);
  }

  /** Cancels the subscription, nothing else. */
  public static SubscriptionChange cancel() {
    return new SubscriptionChange(
        null, null, null, false, null, null, SubscriptionStatus.CANCELLED);
  }

  /** Whether the change names no field at all. */
  public boolean isEmpty() {
    return quantity == null
        && overage == null
        && validUntil == null
        && !openEnded
        && plan == null
        && notes == null
        && status == null;
  }

  /** {@code current} with this change applied; the result is not yet checked. */
  public Subscription applyTo(Subscription current, long revision, Instant at) {
    Instant until = openEnded ? null : validUntil != null ? validUntil : current.validUntil();
    return new Subscription(
        current.id(),
        current.instance(),
        current.application(),
        quantity != null ? quantity : current.quantity(),
        overage != null ? overage : current.overage(),
        current.seatModel(),
        status != null ? status : current.status(),
        current.validFrom(),
        until,
        plan != null ? plan : current.plan(),
        notes != null ? notes : current.notes(),
        revision,
        current.createdAt(),
        at);
  }
}
