package io.holdfast.server.subscription;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import java.time.Instant;
import java.util.List;

/**
 * The rules every subscription obeys, checked by the admin API before the store is called and again
 * by the store inside its transaction (which alone can see the other subscriptions). Stateless.
 */
public final class SubscriptionRules {

  /** Longest plan name; a plan is a label such as {@code enterprise}, not prose. */
  public static final int MAX_PLAN_LENGTH = 100;

  public static final int MAX_NOTES_LENGTH = 2000;

  /**
   * Most seats a subscription may grant, and most overage beyond them: one billion each. Every
   * reader of the signed document can then hold the numbers exactly and add them: the SDK refuses a
   * subscription whose quantity plus overage overflows a {@code long} (it would make the whole
   * application unreadable), and a JavaScript reader (the console, another SDK) loses whole numbers
   * above 2^53. A billion seats is beyond any real contract.
   */
  public static final long MAX_SEATS = 1_000_000_000L;

  private SubscriptionRules() {}

  /**
   * The period is {@code [validFrom, validUntil)}, in whole seconds (what the instance's document
   * shows), and not empty.
   *
   * @throws ProblemException {@code INVALID_REQUEST}
   */
  public static void requirePeriod(Instant validFrom, Instant validUntil) {
    requireWholeSeconds("validFrom", validFrom);
    if (validUntil != null) {
      requireWholeSeconds("validUntil", validUntil);
      if (!validUntil.isAfter(validFrom)) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST,
            "validUntil (" + validUntil + ") must be after validFrom (" + validFrom + ")");
      }
    }
  }

  /**
   * @throws ProblemException {@code INVALID_REQUEST} for a quantity or overage below 0 or above
   *     {@link #MAX_SEATS}
   */
  public static void requireCounts(long quantity, long overage) {
    requireCount("quantity", quantity);
    requireCount("overage", overage);
  }

  /**
   * @throws ProblemException {@code INVALID_REQUEST} for a count below 0 or above {@link
   *     #MAX_SEATS}
   */
  public static void requireCount(String name, long value) {
    if (value < 0 || value > MAX_SEATS) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          name + " must be a whole number from 0 to " + MAX_SEATS + ", was " + value);
    }
  }

  /**
   * A change that cuts a subscription's seats (quantity plus overage) to 0, or by more than half,
   * is refused unless it carries a reason to force it (FAULTS C3: a fat-fingered {@code 500 -> 0}
   * takes seats from a whole customer at once). The reason goes to the audit log with the change.
   * Raising seats back is never forced, so undoing a cut is one ordinary change.
   *
   * @throws ProblemException {@code FORCE_REQUIRED} for a deep cut without a reason
   */
  public static void requireForceForDeepCut(
      Subscription current, Subscription changed, String forceReason) {
    long before = current.quantity() + current.overage();
    long after = changed.quantity() + changed.overage();
    boolean deep = after < before && (after == 0 || before - after > before / 2);
    if (deep && forceReason == null) {
      throw new ProblemException(
          ProblemType.FORCE_REQUIRED,
          "this cuts subscription "
              + current.id()
              + " of instance '"
              + current.instance()
              + "' for application '"
              + current.application()
              + "' from "
              + before
              + " to "
              + after
              + " seats (quantity + overage), to 0 or by more than half; if that is meant, send it again with \"force\""
              + " set to the reason, which the audit log keeps");
    }
  }

  /**
   * Among the subscriptions of one instance and application that are not cancelled, no two periods
   * share an instant: at any moment at most one subscription says how many seats there are. A
   * cancelled subscription (or one being cancelled) conflicts with nothing.
   *
   * @param candidate the new or changed subscription
   * @param siblings the other subscriptions of the same instance and application
   * @throws ProblemException {@code SUBSCRIPTION_OVERLAP} naming the subscription in the way
   */
  public static void requireNoOverlap(Subscription candidate, List<Subscription> siblings) {
    if (candidate.status() == SubscriptionStatus.CANCELLED) {
      return;
    }
    for (Subscription other : siblings) {
      if (!other.id().equals(candidate.id())
          && other.status() != SubscriptionStatus.CANCELLED
          && other.overlaps(candidate.validFrom(), candidate.validUntil())) {
        throw new ProblemException(
            ProblemType.SUBSCRIPTION_OVERLAP,
            "the period "
                + period(candidate)
                + " overlaps subscription "
                + other.id()
                + " ("
                + period(other)
                + ", "
                + other.status().wireName()
                + ") of instance '"
                + candidate.instance()
                + "' for application '"
                + candidate.application()
                + "'; end or cancel that one first");
      }
    }
  }

  private static String period(Subscription s) {
    return s.validFrom()
        + " to "
        + (s.validUntil() == null ? "open end" : s.validUntil().toString());
  }

  private static void requireWholeSeconds(String name, Instant value) {
    if (value.getNano() != 0) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          name + " must be in whole seconds, such as 2026-01-01T00:00:00Z; was " + value);
    }
  }
}
