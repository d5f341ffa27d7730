package io.holdfast.cli.gameday;

import io.holdfast.cli.fleet.FleetView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A drill judged against its stated expectations: the fleet never EXPIRED, no seat holder was
 * denied, no error reached the application, the probe saw the fault in time (when it can see it),
 * the gate backed the bad change out (bad-change), and every canary was FRESH again in time. It
 * passes only if every expectation holds. Immutable.
 *
 * @param checks every expectation with what was observed, in the order the report lists them
 */
record Verdict(List<Check> checks) {

  /**
   * One expectation.
   *
   * @param expectation what should hold, with its bound
   * @param observed what the drill saw
   * @param met whether it held
   */
  record Check(String expectation, String observed, boolean met) {}

  Verdict {
    checks = List.copyOf(checks);
  }

  boolean passed() {
    return checks.stream().allMatch(Check::met);
  }

  static Verdict judge(Scenario scenario, DrillSettings settings, Observations seen) {
    List<Check> checks = new ArrayList<>();
    checks.add(
        new Check(
            "before any fault, every canary FRESH and the probe passing within "
                + Durations.text(settings.startWithin()),
            seen.started()
                ? "after " + Durations.span(seen.startedAfter())
                : "not reached: " + describe(seen.last()),
            seen.started()));
    if (!seen.started()) {
      return new Verdict(checks);
    }
    FleetView last = seen.last();
    checks.add(
        new Check(
            "no canary EXPIRED",
            "at most " + seen.maxExpired() + " of " + last.members() + " EXPIRED at once",
            seen.maxExpired() == 0));
    checks.add(
        new Check(
            "no seat holder denied",
            last.holdersDenied() + " holder denials",
            last.holdersDenied() == 0));
    checks.add(
        new Check(
            "no error reaches the application",
            last.applicationErrors() + " application errors",
            last.applicationErrors() == 0));
    if (scenario.probeVisible()) {
      Duration detected = seen.detectedAfter();
      checks.add(
          new Check(
              "the probe detects the fault within " + Durations.text(settings.detectWithin()),
              detected == null
                  ? "never failed"
                  : "first failed " + Durations.span(detected) + " after the first fault",
              detected != null && detected.compareTo(settings.detectWithin()) <= 0));
    }
    if (seen.change() != null) {
      Observations.ChangeOutcome change = seen.change();
      boolean refused = change.id() == 0;
      checks.add(
          new Check(
              "the health gate backs the change out within "
                  + Durations.text(settings.gateWithin()),
              refused
                  ? change.outcome()
                  : change.backedOut()
                      ? "change "
                          + change.id()
                          + " backed out "
                          + Durations.span(change.after())
                          + " after its approval: "
                          + change.outcome()
                      : "change "
                          + change.id()
                          + " ended "
                          + change.state()
                          + ": "
                          + change.outcome(),
              refused || change.backedOut()));
    }
    Duration fresh = seen.freshAfterHeal();
    checks.add(
        new Check(
            "every canary FRESH within "
                + Durations.text(settings.freshWithin())
                + (scenario == Scenario.BAD_CHANGE ? " of the back-out" : " of the heal"),
            fresh == null ? "not reached: " + describe(last) : "after " + Durations.span(fresh),
            fresh != null));
    return new Verdict(checks);
  }

  private static String describe(FleetView view) {
    if (view == null) {
      return "the fleet never reported";
    }
    return view.fresh()
        + " FRESH, "
        + view.stale()
        + " STALE, "
        + view.expired()
        + " EXPIRED, "
        + view.unstarted()
        + " unstarted of "
        + view.members();
  }
}
