package io.holdfast.cli.soak.history;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The verdict of a soak: what was done, what was broken, and how fast the clients came back.
 *
 * @param seed the soak's seed, to reproduce it
 * @param durationNanos soak time of the last event
 * @param freshBound how soon after the final heal every client had to be FRESH
 * @param operations operations by kind ("read", "admit admitted", "publish" ...)
 * @param faults faults started, by kind
 * @param violationCounts violations by kind, every one counted; kinds without any are absent
 * @param violations the violations in time order, at most {@value Violations#KEPT_PER_KIND} a kind
 * @param recovery time to FRESH after every heal
 */
public record SoakSummary(
    long seed,
    long durationNanos,
    Duration freshBound,
    Map<String, Long> operations,
    Map<String, Long> faults,
    Map<ViolationKind, Long> violationCounts,
    List<Violation> violations,
    RecoveryTimes recovery) {

  public SoakSummary {
    Objects.requireNonNull(freshBound, "freshBound");
    operations = Map.copyOf(operations);
    faults = Map.copyOf(faults);
    violationCounts = Map.copyOf(violationCounts);
    violations = List.copyOf(violations);
    Objects.requireNonNull(recovery, "recovery");
  }

  /** Whether every property held. */
  public boolean passed() {
    return violationCounts.isEmpty();
  }

  /** Violations of one kind, all counted. */
  public long count(ViolationKind kind) {
    return violationCounts.getOrDefault(kind, 0L);
  }

  public long totalViolations() {
    return violationCounts.values().stream().mapToLong(Long::longValue).sum();
  }

  public long totalOperations() {
    return operations.values().stream().mapToLong(Long::longValue).sum();
  }

  /** One plain-text table, then the violations kept, one a line. */
  public String table() {
    return SummaryTable.render(this);
  }

  /** The summary as one JSON object. */
  public String json() {
    return SummaryJson.render(this);
  }
}
