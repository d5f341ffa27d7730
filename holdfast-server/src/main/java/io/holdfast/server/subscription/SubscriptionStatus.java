package io.holdfast.server.subscription;

import java.util.Locale;

/**
 * Whether a subscription grants seats. A suspended one grants none until it is active again; a
 * cancelled one never again (it stays in the instance's document so the instance sees the end).
 */
public enum SubscriptionStatus {
  ACTIVE,
  SUSPENDED,
  CANCELLED;

  /** The name on the wire and in the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the statuses there are
   */
  public static SubscriptionStatus fromWire(String value) {
    for (SubscriptionStatus status : values()) {
      if (status.wireName().equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "status '" + value + "' is not one of active, suspended, cancelled");
  }
}
