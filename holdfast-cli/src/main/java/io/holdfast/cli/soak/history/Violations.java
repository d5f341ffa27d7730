package io.holdfast.cli.soak.history;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the checks' violations. Every violation is counted; only the first {@link
 * #KEPT_PER_KIND} of each kind are kept, so a systematic failure over a long soak cannot exhaust
 * memory. Not thread-safe: the {@link HistoryChecker} feeds one event at a time.
 */
final class Violations {

  /** How many violations of one kind are kept for the report. */
  static final int KEPT_PER_KIND = 100;

  private final Map<ViolationKind, Long> counts = new EnumMap<>(ViolationKind.class);
  private final List<Violation> kept = new ArrayList<>();
  private final Set<Object> reportedSubjects = new HashSet<>();

  void report(ViolationKind kind, long nanos, String who, String explanation) {
    long count = counts.merge(kind, 1L, Long::sum);
    if (count <= KEPT_PER_KIND) {
      kept.add(new Violation(kind, nanos, who, explanation));
    }
  }

  /**
   * Reports a violation unless one of this kind was already reported for the subject: a client that
   * holds a bad document is read many times, and that is one violation, not thousands.
   *
   * @param subject what the violation is about, compared by equality ({@code List.of(client, key,
   *     revision)})
   */
  void reportOnce(ViolationKind kind, Object subject, long nanos, String who, String explanation) {
    if (reportedSubjects.add(List.of(kind, subject))) {
      report(kind, nanos, who, explanation);
    }
  }

  Map<ViolationKind, Long> counts() {
    return Map.copyOf(counts);
  }

  List<Violation> kept() {
    return List.copyOf(kept);
  }
}
