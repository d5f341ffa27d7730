package io.holdfast.server.subscription;

/** Which subscriptions to list; a {@code null} field does not filter. */
public record SubscriptionFilter(String instance, String application, SubscriptionStatus status) {

  public static final SubscriptionFilter ALL = new SubscriptionFilter(null, null, null);

  public static SubscriptionFilter ofInstance(String instance) {
    return new SubscriptionFilter(instance, null, null);
  }

  public boolean matches(Subscription subscription) {
    return (instance == null || instance.equals(subscription.instance()))
        && (application == null || application.equals(subscription.application()))
        && (status == null || status == subscription.status());
  }
}
