package io.holdfast.client.seats;

import io.holdfast.client.Freshness;
import java.util.Objects;

/**
 * The answer to one login: whether the user may use the application, why, and how fresh the
 * subscriptions document was that it was decided under. Immutable.
 *
 * @param application the application asked for
 * @param user the user asked for
 * @param outcome the decision
 * @param reason the decision in words, for logs and for the user's error page
 * @param freshness the {@code subscriptions} namespace's freshness when it was decided
 * @param revision the {@code subscriptions} document's revision it was decided under; 0 if none
 */
public record Admission(
    String application,
    String user,
    Outcome outcome,
    String reason,
    Freshness freshness,
    long revision) {

  /** The four answers a login can get. */
  public enum Outcome {
    /** The user holds a seat, already or newly assigned. */
    ADMITTED,
    /** A verified subscription is in force and all its seats (quantity plus overage) are taken. */
    DENIED_LIMIT_REACHED,
    /**
     * The held document says the application is not subscribed now: absent, no period covering now,
     * suspended or cancelled.
     */
    DENIED_NOT_SUBSCRIBED,
    /**
     * Nothing trustworthy is known: no document yet, an unreadable entry, or the grace period used
     * up. Never reported as a limit: the count is unknown, not zero.
     */
    DENIED_UNVERIFIED
  }

  public Admission {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(freshness, "freshness");
  }

  public boolean admitted() {
    return outcome == Outcome.ADMITTED;
  }
}
