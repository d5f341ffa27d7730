package io.holdfast.client.seats;

import java.util.Locale;

/** A subscription's commercial status, as the {@code subscriptions} document states it. */
public enum SubscriptionStatus {
  /** In force for its period. */
  ACTIVE,
  /** Paused by the vendor: nobody uses the application, holders included, until it is lifted. */
  SUSPENDED,
  /**
   * Ended by the vendor before or during its period: nobody uses the application, holders included.
   */
  CANCELLED;

  /** The name used in the document ({@code "active"}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status for a document's name, or {@code null} if it names none. */
  static SubscriptionStatus fromWireName(String name) {
    for (SubscriptionStatus status : values()) {
      if (status.wireName().equals(name)) {
        return status;
      }
    }
    return null;
  }
}
