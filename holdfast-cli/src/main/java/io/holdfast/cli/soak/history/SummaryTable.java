package io.holdfast.cli.soak.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Function;

/** Renders a {@link SoakSummary} as one plain-text table. Stateless. */
final class SummaryTable {

  private record Row(String section, String what, String value) {}

  private SummaryTable() {}

  static String render(SoakSummary summary) {
    List<Row> rows = new ArrayList<>();
    new TreeMap<>(summary.operations())
        .forEach((kind, count) -> rows.add(new Row("operations", kind, Long.toString(count))));
    new TreeMap<>(summary.faults())
        .forEach((kind, count) -> rows.add(new Row("faults", kind, Long.toString(count))));
    for (ViolationKind kind : ViolationKind.values()) {
      rows.add(new Row("violations", kind.name(), Long.toString(summary.count(kind))));
    }
    RecoveryTimes recovery = summary.recovery();
    rows.add(new Row("recovery", "heals", Integer.toString(recovery.heals().size())));
    rows.add(
        new Row(
            "recovery",
            "time to FRESH p50",
            recovery.p50().map(d -> SoakTimes.format(d.toNanos())).orElse("-")));
    rows.add(
        new Row(
            "recovery",
            "time to FRESH max",
            recovery.max().map(d -> SoakTimes.format(d.toNanos())).orElse("-")));
    rows.add(
        new Row(
            "recovery",
            "not FRESH before the next fault",
            Integer.toString(recovery.notRecovered())));

    int sectionWidth = width(rows, Row::section, "section");
    int whatWidth = width(rows, Row::what, "what");
    int valueWidth = width(rows, Row::value, "count");
    String format = "%-" + sectionWidth + "s  %-" + whatWidth + "s  %" + valueWidth + "s%n";
    StringBuilder out = new StringBuilder();
    out.append(headline(summary)).append(System.lineSeparator());
    out.append(String.format(Locale.ROOT, format, "section", "what", "count"));
    for (Row row : rows) {
      out.append(String.format(Locale.ROOT, format, row.section(), row.what(), row.value()));
    }
    for (Violation violation : summary.violations()) {
      out.append(violation).append(System.lineSeparator());
    }
    return out.toString();
  }

  private static String headline(SoakSummary summary) {
    String verdict =
        summary.passed() ? "PASSED" : "FAILED (" + summary.totalViolations() + " violations)";
    return "soak seed "
        + summary.seed()
        + ", "
        + SoakTimes.format(summary.durationNanos())
        + ", "
        + summary.totalOperations()
        + " operations, FRESH bound "
        + SoakTimes.format(summary.freshBound().toNanos())
        + ": "
        + verdict;
  }

  private static int width(List<Row> rows, Function<Row, String> column, String title) {
    int width = title.length();
    for (Row row : rows) {
      width = Math.max(width, column.apply(row).length());
    }
    return width;
  }
}
