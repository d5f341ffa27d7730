package io.holdfast.cli.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.soak.history.HistoryChecker;
import io.holdfast.cli.soak.history.SoakSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The summary of one soak: the history checker's verdict and table (operations, faults, time to
 * FRESH after each heal, violations), preceded by what only the runner knows (the setup, ops/s,
 * faults it skipped, how cache faults were made, convergence, replica memory). Written as
 * summary.txt (also printed) and summary.json.
 */
final class SoakReport {

  /** How soon after the final heal every client must be FRESH: the convergence wait's bound. */
  static final Duration FRESH_BOUND = SoakRun.CONVERGENCE_TIMEOUT;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SoakSettings settings;
  private final SoakOutcome outcome;
  private final SoakSummary summary;

  private SoakReport(SoakSettings settings, SoakOutcome outcome, SoakSummary summary) {
    this.settings = settings;
    this.outcome = outcome;
    this.summary = summary;
  }

  /** Checks the run's history. */
  static SoakReport of(SoakSettings settings, SoakOutcome outcome) {
    return new SoakReport(settings, outcome, HistoryChecker.check(outcome.history(), FRESH_BOUND));
  }

  SoakOutcome outcome() {
    return outcome;
  }

  SoakSummary summary() {
    return summary;
  }

  long violations() {
    return summary.totalViolations();
  }

  String table() {
    StringBuilder table = new StringBuilder();
    row(
        table,
        "setup",
        settings.store().name().toLowerCase(Locale.ROOT)
            + ", "
            + settings.replicas()
            + " replica processes, "
            + settings.clients()
            + " clients, nemesis "
            + settings.duration()
            + ", seed "
            + settings.seed());
    row(
        table,
        "ops/s",
        String.format(
            Locale.ROOT,
            "%.1f (%d operations in %.0f s)",
            summary.totalOperations() / outcome.seconds(),
            summary.totalOperations(),
            outcome.seconds()));
    outcome.faults().entrySet().stream()
        .filter(e -> e.getKey().startsWith("skipped") || e.getKey().startsWith("fault failed"))
        .forEach(e -> row(table, "faults " + e.getKey(), e.getValue().toString()));
    row(
        table,
        "cache faults made by",
        outcome.cacheFaults() == null
            ? "-"
            : outcome.cacheFaults() == CacheDirectory.Mode.TMPFS
                ? "tmpfs (filled up, remounted read-only)"
                : "replacing the directory by a file (mount not permitted)");
    row(
        table,
        "converged after final heal",
        outcome.convergence() == null
            ? "NO, not within " + FRESH_BOUND.toSeconds() + " s"
            : outcome.convergence().toMillis() + " ms");
    outcome
        .rssAtStartKib()
        .forEach(
            (replica, start) ->
                row(
                    table,
                    "RSS " + replica,
                    mib(start)
                        + " at start, "
                        + mib(outcome.rssAtEndKib().get(replica))
                        + " at end"));
    table.append(summary.table());
    return table.toString();
  }

  void write(Path dir) throws IOException {
    Files.writeString(dir.resolve("summary.txt"), table(), StandardCharsets.UTF_8);
    ObjectNode json = (ObjectNode) JSON.readTree(summary.json());
    ObjectNode runner = json.putObject("runner");
    runner.put("store", settings.store().name().toLowerCase(Locale.ROOT));
    runner.put("replicas", settings.replicas());
    runner.put("clients", settings.clients());
    runner.put("nemesisSeconds", settings.duration().toSeconds());
    runner.put("seconds", outcome.seconds());
    runner.put("opsPerSecond", summary.totalOperations() / outcome.seconds());
    runner.set("faultsAsPlayed", JSON.valueToTree(outcome.faults()));
    runner.put(
        "cacheFaults",
        outcome.cacheFaults() == null
            ? null
            : outcome.cacheFaults().name().toLowerCase(Locale.ROOT));
    runner.put(
        "convergenceMillis",
        outcome.convergence() == null ? null : outcome.convergence().toMillis());
    runner.set("rssAtStartKib", JSON.valueToTree(outcome.rssAtStartKib()));
    runner.set("rssAtEndKib", JSON.valueToTree(outcome.rssAtEndKib()));
    JSON.writeValue(dir.resolve("summary.json").toFile(), json);
  }

  private static String mib(Long kib) {
    return kib == null || kib < 0 ? "?" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
  }

  private static void row(StringBuilder table, String name, String value) {
    table.append(String.format(Locale.ROOT, "%-28s %s%n", name, value));
  }
}
