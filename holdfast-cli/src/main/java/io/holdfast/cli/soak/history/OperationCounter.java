package io.holdfast.cli.soak.history;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Counts a history's operations by kind, and its faults by kind, for the summary. */
final class OperationCounter {

  private final Map<String, Long> operations = new TreeMap<>();
  private final Map<String, Long> faults = new TreeMap<>();

  void accept(SoakEvent event) {
    String operation =
        switch (event) {
          case Published p -> "publish";
          case PublishIndeterminate p -> "publish, outcome unknown";
          case SubscriptionChanged s -> "subscription change";
          case ClientStarted c -> c.cacheKept() ? "client start on its cache" : "client cold start";
          case Observed o -> "read";
          case Decision d ->
              d.operation().name().toLowerCase(Locale.ROOT)
                  + " "
                  + d.outcome().name().toLowerCase(Locale.ROOT);
          case SeatCount c -> "seat count";
          case ApplicationError e -> "application error";
          case StatusChange s -> "status change";
          case Served s -> "replica read after heal";
          case SoakHeader h -> null;
          case Fault f -> null;
          case Heal h -> null;
        };
    if (operation != null) {
      operations.merge(operation, 1L, Long::sum);
    }
    if (event instanceof Fault f && f.phase() == Fault.Phase.START) {
      faults.merge(f.kind(), 1L, Long::sum);
    }
  }

  Map<String, Long> operations() {
    return Map.copyOf(operations);
  }

  Map<String, Long> faults() {
    return Map.copyOf(faults);
  }
}
