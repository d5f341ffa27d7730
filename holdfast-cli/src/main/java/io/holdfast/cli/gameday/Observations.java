package io.holdfast.cli.gameday;

import io.holdfast.cli.fleet.FleetView;
import java.time.Duration;
import java.util.List;

/**
 * What one drill saw, for the verdict. Immutable.
 *
 * @param started the fleet was FRESH and the probe passing before any fault
 * @param startedAfter how long that took
 * @param faultLasted from the first fault to the heal (for bad-change: approval to back-out seen)
 * @param detectedAfter first failing probe round after the first fault; {@code null} if none
 * @param firings the alert rules that would have fired
 * @param shortStreaks failing streaks that ended before their rule's {@code for}
 * @param maxStale most canaries STALE at once
 * @param maxExpired most canaries EXPIRED at once
 * @param last the fleet's last view
 * @param freshAfterHeal from the heal to every canary FRESH; {@code null} if not within the bound
 * @param change bad-change: what became of the change; {@code null} for other scenarios
 */
record Observations(
    boolean started,
    Duration startedAfter,
    Duration faultLasted,
    Duration detectedAfter,
    List<ProbeWatch.Firing> firings,
    List<ProbeWatch.ShortStreak> shortStreaks,
    int maxStale,
    int maxExpired,
    FleetView last,
    Duration freshAfterHeal,
    ChangeOutcome change) {

  /**
   * What became of the bad change.
   *
   * @param id the change's id; 0 if it was never created
   * @param backedOut the gate backed it out (state {@code backed_out}, not by an operator)
   * @param after from its approval to the back-out seen; {@code null} if it was not backed out
   * @param state its last state
   * @param outcome the API's {@code outcome}, or why it never ran
   */
  record ChangeOutcome(long id, boolean backedOut, Duration after, String state, String outcome) {}
}
