package io.holdfast.client.seats;

import java.util.Objects;

/**
 * What the held {@code subscriptions} document says about one application at one moment.
 *
 * @param kind the verdict
 * @param subscription the subscription in force ({@code IN_FORCE}) or stopped ({@code STOPPED}),
 *     else {@code null}
 * @param reason the verdict in words, for admissions and logs
 */
record Entitlement(Kind kind, Subscription subscription, String reason) {

  enum Kind {
    /**
     * No document, or the application's entries cannot be read: nothing is known, not even zero.
     */
    UNKNOWN,
    /** The document lists no subscription covering now for the application: not subscribed. */
    NONE,
    /** The subscription covering now is suspended or cancelled: nobody may use the application. */
    STOPPED,
    /** A subscription is in force. */
    IN_FORCE
  }

  Entitlement {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
  }

  static Entitlement unknown(String reason) {
    return new Entitlement(Kind.UNKNOWN, null, reason);
  }

  static Entitlement none(String reason) {
    return new Entitlement(Kind.NONE, null, reason);
  }
}
