package io.holdfast.cli.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The summary of one soak: its figures and the checker's verdict, as a table for people
 * (summary.txt, also printed) and as JSON for tools (summary.json).
 */
final class SoakReport {

  private final SoakSettings settings;
  private final SoakOutcome outcome;
  private final Map<String, Long> violations;
  private final String checkerSummary;

  private SoakReport(
      SoakSettings settings,
      SoakOutcome outcome,
      Map<String, Long> violations,
      String checkerSummary) {
    this.settings = settings;
    this.outcome = outcome;
    this.violations = violations;
    this.checkerSummary = checkerSummary;
  }

  static SoakReport of(SoakSettings settings, SoakOutcome outcome) {
    return new SoakReport(settings, outcome, Map.of(), "");
  }

  SoakOutcome outcome() {
    return outcome;
  }

  long violations() {
    return violations.values().stream().mapToLong(Long::longValue).sum();
  }

  String table() {
    StringBuilder table = new StringBuilder();
    long ops = outcome.operations().values().stream().mapToLong(Long::longValue).sum();
    row(table, "seed", Long.toString(settings.seed()));
    row(
        table,
        "store",
        settings.store().name().toLowerCase(Locale.ROOT)
            + ", "
            + settings.replicas()
            + " replicas, "
            + settings.clients()
            + " clients, nemesis "
            + settings.duration());
    row(
        table,
        "operations",
        ops + String.format(Locale.ROOT, " (%.1f/s)", ops / outcome.seconds()));
    outcome.operations().forEach((kind, count) -> row(table, "  " + kind, count.toString()));
    row(table, "faults", "");
    outcome.faults().forEach((kind, count) -> row(table, "  " + kind, count.toString()));
    row(
        table,
        "cache faults by",
        outcome.cacheFaults() == null
            ? "-"
            : outcome.cacheFaults().name().toLowerCase(Locale.ROOT));
    row(
        table,
        "converged after heal",
        outcome.convergence() == null
            ? "NO (bound reached)"
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
    table.append(checkerSummary);
    row(table, "violations", Long.toString(violations()));
    violations.forEach((kind, count) -> row(table, "  " + kind, count.toString()));
    return table.toString();
  }

  void write(Path dir) throws IOException {
    Files.writeString(dir.resolve("summary.txt"), table(), StandardCharsets.UTF_8);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("seed", settings.seed());
    json.put("store", settings.store().name().toLowerCase(Locale.ROOT));
    json.put("replicas", settings.replicas());
    json.put("clients", settings.clients());
    json.put("durationSeconds", settings.duration().toSeconds());
    json.put("seconds", outcome.seconds());
    json.put("operations", outcome.operations());
    json.put("faults", outcome.faults());
    json.put("rssAtStartKib", outcome.rssAtStartKib());
    json.put("rssAtEndKib", outcome.rssAtEndKib());
    json.put(
        "convergenceMillis",
        outcome.convergence() == null ? null : outcome.convergence().toMillis());
    json.put("violations", violations);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("summary.json").toFile(), json);
  }

  private static String mib(Long kib) {
    return kib == null || kib < 0 ? "?" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
  }

  private static void row(StringBuilder table, String name, String value) {
    table.append(String.format(Locale.ROOT, "%-28s %s%n", name, value));
  }
}
