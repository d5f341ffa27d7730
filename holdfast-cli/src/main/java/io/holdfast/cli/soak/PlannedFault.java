package io.holdfast.cli.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One fault of the nemesis schedule, fixed by the seed before the run starts.
 *
 * @param at when it starts, from the start of the nemesis
 * @param kind what it does
 * @param target which replica, tenant or node it hits: an index, taken modulo their count
 * @param lifetime how long it lasts before it is undone (0 for an instantaneous one)
 * @param size the fault's magnitude: a burst's publish count, a clock step's minutes
 */
record PlannedFault(Duration at, FaultKind kind, int target, Duration lifetime, int size) {

  /**
   * A seeded schedule over {@code duration}: a fault every 1 to 5 seconds, each lasting 2 to 20
   * seconds, so several overlap. {@code kinds} are the ones this run may use.
   */
  static List<PlannedFault> schedule(Random random, Duration duration, List<FaultKind> kinds) {
    List<PlannedFault> schedule = new ArrayList<>();
    long at = 3_000 + random.nextInt(2_000);
    long end = duration.toMillis();
    while (at < end) {
      FaultKind kind = kinds.get(random.nextInt(kinds.size()));
      long lifetime = kind.instantaneous() ? 0 : 2_000 + random.nextInt(18_000);
      // Nothing may outlive the nemesis: the final heal would cut it short anyway.
      lifetime = Math.min(lifetime, Math.max(0, end - at));
      int size =
          kind == FaultKind.PUBLISH_BURST ? 10 + random.nextInt(30) : 1 + random.nextInt(120);
      schedule.add(
          new PlannedFault(
              Duration.ofMillis(at),
              kind,
              random.nextInt(1_000),
              Duration.ofMillis(lifetime),
              size));
      at += 1_000 + random.nextInt(4_000);
    }
    return schedule;
  }
}
