package io.holdfast.cli.soak.history;

import java.util.Objects;

/**
 * An acknowledged subscription change (the admin API answered 2xx).
 *
 * @param instance the instance subscribed
 * @param application the application
 * @param quantity seats bought
 * @param overage seats allowed above the quantity
 * @param status the subscription's status after the change ({@code ACTIVE}, {@code SUSPENDED},
 *     {@code CANCELLED}, as the admin API names it)
 * @param revision the resulting revision of the instance's {@code subscriptions} document, or
 *     {@code null} if the answer did not say (then any revision of that document the clients see
 *     counts as possibly acknowledged)
 */
public record SubscriptionChanged(
    long nanos,
    String publisher,
    String instance,
    String application,
    long quantity,
    long overage,
    String status,
    Long revision)
    implements SoakEvent {

  /** The status of a subscription that admits users. */
  public static final String ACTIVE = "ACTIVE";

  public SubscriptionChanged {
    Objects.requireNonNull(publisher, "publisher");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(status, "status");
  }

  /** The most seats this subscription allows: quantity plus overage. */
  public long limit() {
    return quantity + overage;
  }

  public boolean active() {
    return ACTIVE.equals(status);
  }
}
