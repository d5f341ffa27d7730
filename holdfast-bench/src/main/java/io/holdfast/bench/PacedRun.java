package io.holdfast.bench;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs an operation at a fixed rate (one at a time, as one keep-alive connection does) and records
 * each one's service time, from its start to its answer, in microseconds. At 1,000/s with answers
 * far under a millisecond an operation almost never starts late; how many did is reported, so a
 * stall that delayed the next operations is not hidden.
 */
final class PacedRun {

  @FunctionalInterface
  interface Operation {
    void run() throws Exception;
  }

  /** Latencies in nanoseconds, sorted. */
  private final long[] sorted;

  /** Operations that started more than a whole interval after they were due. */
  private final int late;

  private PacedRun(long[] sorted, int late) {
    this.sorted = sorted;
    this.late = late;
  }

  static PacedRun run(Operation operation, int perSecond, int count) throws Exception {
    long interval = 1_000_000_000L / perSecond;
    long[] latencies = new long[count];
    int late = 0;
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long due = start + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 150_000) {
        // The pacing of a load generator, not a race being hidden; the last 150 µs are spun so
        // that a park's wake-up delay does not shift the start.
        LockSupport.parkNanos(wait - 150_000);
      }
      while (System.nanoTime() < due) {
        Thread.onSpinWait();
      }
      long begun = System.nanoTime();
      if (begun - due > interval) {
        late++;
      }
      operation.run();
      latencies[i] = System.nanoTime() - begun;
    }
    Arrays.sort(latencies);
    return new PacedRun(latencies, late);
  }

  double percentileMicros(double p) {
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1000.0;
  }

  String summary() {
    return String.format(
        "p50 %7.1f µs  p90 %7.1f µs  p99 %7.1f µs  p99.9 %8.1f µs  max %8.1f µs  (n=%d, %d late)",
        percentileMicros(50),
        percentileMicros(90),
        percentileMicros(99),
        percentileMicros(99.9),
        sorted[sorted.length - 1] / 1000.0,
        sorted.length,
        late);
  }
}
