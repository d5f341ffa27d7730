package io.holdfast.cli.soak.history;

import java.util.Objects;

/**
 * One breach of a soak property.
 *
 * @param kind which property
 * @param nanos when, in soak time (the event that showed it, or the end of the history)
 * @param who the client, replica, publisher or instance it concerns
 * @param explanation what happened, in one line
 */
public record Violation(ViolationKind kind, long nanos, String who, String explanation) {

  public Violation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(explanation, "explanation");
  }

  @Override
  public String toString() {
    return kind + " at " + SoakTimes.format(nanos) + " by " + who + ": " + explanation;
  }
}
