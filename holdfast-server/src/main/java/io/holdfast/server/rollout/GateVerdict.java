package io.holdfast.server.rollout;

/**
 * What a ring's health gate concluded about a change baking there.
 *
 * @param watched instances of the ring that read a namespace the change edits (the denominator)
 * @param acknowledged those that confirmed, FRESH, a revision at or above the release
 * @param failing those that reported a changed namespace STALE or EXPIRED since the release
 * @param erroring those whose application reported itself FAILING since the release
 * @param reason one sentence an operator can act on
 */
public record GateVerdict(
    Decision decision, int watched, int acknowledged, int failing, int erroring, String reason) {

  /** What the engine does with the change. */
  public enum Decision {
    /** Healthy and baked: promote to the next ring, or complete after the last. */
    PASS,
    /** Nothing wrong yet, but the bake or the acknowledgements are not done. */
    WAIT,
    /** Unhealthy: back the change out. */
    FAIL
  }
}
