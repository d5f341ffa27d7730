package io.holdfast.cli.soak.history;

import io.holdfast.client.seats.Admission;

/** How an {@code admit()} or {@code release()} ended. */
public enum DecisionOutcome {
  ADMITTED,
  DENIED_LIMIT_REACHED,
  DENIED_NOT_SUBSCRIBED,
  DENIED_UNVERIFIED,
  /** {@code release()} gave a seat back. */
  RELEASED,
  /** {@code release()} found no seat to give back. */
  NOT_HELD;

  /** The outcome of an {@code admit()}. */
  public static DecisionOutcome of(Admission.Outcome outcome) {
    return switch (outcome) {
      case ADMITTED -> ADMITTED;
      case DENIED_LIMIT_REACHED -> DENIED_LIMIT_REACHED;
      case DENIED_NOT_SUBSCRIBED -> DENIED_NOT_SUBSCRIBED;
      case DENIED_UNVERIFIED -> DENIED_UNVERIFIED;
    };
  }

  /** The outcome of a {@code release()} that returned {@code held}. */
  public static DecisionOutcome ofRelease(boolean held) {
    return held ? RELEASED : NOT_HELD;
  }

  public boolean denied() {
    return this == DENIED_LIMIT_REACHED
        || this == DENIED_NOT_SUBSCRIBED
        || this == DENIED_UNVERIFIED;
  }
}
