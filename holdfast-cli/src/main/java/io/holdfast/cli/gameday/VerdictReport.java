package io.holdfast.cli.gameday;

import io.holdfast.cli.fleet.FleetView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The game day's verdict as Markdown: the expectations and whether each held, the figures an
 * operator asks after a drill (when the probe saw it, when its alert would have fired, how many
 * instances went STALE, admissions denied, the gate, time to FRESH), and the whole timeline.
 * Stateless.
 */
final class VerdictReport {

  private VerdictReport() {}

  static String markdown(
      Scenario scenario,
      Target target,
      DrillSettings settings,
      Instant startedAt,
      Observations seen,
      Verdict verdict,
      List<Timeline.Entry> timeline) {
    StringBuilder md = new StringBuilder();
    md.append("# Game day `")
        .append(scenario.id())
        .append("`: ")
        .append(verdict.passed() ? "PASS" : "FAIL")
        .append("\n\n");
    md.append("- Scenario: ").append(scenario.description()).append('\n');
    md.append("- Target: ").append(target.description()).append(", replicas ");
    md.append(target.replicas().stream().map(u -> "`" + u + "`").collect(Collectors.joining(", ")))
        .append('\n');
    md.append("- Canaries: ")
        .append(settings.canaries())
        .append(" (`")
        .append(Canaries.PREFIX)
        .append("1`…) in ring `")
        .append(settings.ring())
        .append("`, faults only through the game day's own proxies\n");
    md.append("- Started: ").append(startedAt).append('\n');
    md.append("- Each fault phase: ")
        .append(Durations.text(settings.faultDuration()))
        .append("; probe every ")
        .append(Durations.text(settings.probeInterval()))
        .append("; alert rules' `for`: ")
        .append(Durations.text(settings.alertFor()))
        .append("\n\n");

    md.append("## Verdict\n\n| expectation | observed | |\n|---|---|---|\n");
    for (Verdict.Check check : verdict.checks()) {
      md.append("| ")
          .append(cell(check.expectation()))
          .append(" | ")
          .append(cell(check.observed()))
          .append(" | ")
          .append(check.met() ? "met" : "**FAILED**")
          .append(" |\n");
    }

    md.append("\n## Figures\n\n| figure | value |\n|---|---|\n");
    for (String[] row : figures(scenario, settings, seen)) {
      md.append("| ").append(cell(row[0])).append(" | ").append(cell(row[1])).append(" |\n");
    }

    md.append("\n## Timeline\n\n```text\n");
    for (Timeline.Entry entry : timeline) {
      md.append(entry.render()).append('\n');
    }
    md.append("```\n");
    return md.toString();
  }

  /** The figures, label and value, as the report and the console print them. */
  static List<String[]> figures(Scenario scenario, DrillSettings settings, Observations seen) {
    FleetView last = seen.last();
    int members = last == null ? settings.canaries() : last.members();
    String detected =
        !scenario.probeVisible()
            ? "not applicable: the probe's canary is not in the change"
            : seen.detectedAfter() == null
                ? "never"
                : Durations.span(seen.detectedAfter()) + " after the first fault";
    String alerts;
    if (!scenario.probeVisible()) {
      alerts = "not applicable";
    } else {
      List<String> parts = new ArrayList<>();
      seen.firings()
          .forEach(
              f ->
                  parts.add(f.rule() + " for " + f.replica() + " at " + Durations.seconds(f.at())));
      seen.shortStreaks()
          .forEach(
              s ->
                  parts.add(
                      s.rule()
                          + " for "
                          + s.replica()
                          + " not fired: failing "
                          + Durations.span(s.lasted())
                          + ", under the rule's for: "
                          + Durations.text(settings.alertFor())));
      alerts = parts.isEmpty() ? "none" : String.join("; ", parts);
    }
    String gate =
        seen.change() == null
            ? "not applicable"
            : seen.change().backedOut()
                ? "yes, change "
                    + seen.change().id()
                    + " after "
                    + Durations.span(seen.change().after())
                : "no: " + seen.change().state() + " " + seen.change().outcome();
    return List.of(
        new String[] {"probe first detected the fault", detected},
        new String[] {"probe alerts that would have fired", alerts},
        new String[] {"canaries STALE at most at once", seen.maxStale() + " of " + members},
        new String[] {"canaries EXPIRED at most at once", seen.maxExpired() + " of " + members},
        new String[] {
          "seat admissions / denied / holders denied",
          last == null
              ? "-"
              : last.admissions() + " / " + last.denied() + " / " + last.holdersDenied()
        },
        new String[] {
          "application errors", last == null ? "-" : Long.toString(last.applicationErrors())
        },
        new String[] {"gate backed the change out", gate},
        new String[] {
          "time to every canary FRESH after the fault cleared",
          seen.freshAfterHeal() == null ? "not reached" : Durations.span(seen.freshAfterHeal())
        });
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
