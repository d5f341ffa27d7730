package io.holdfast.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How long each replica usually takes to answer a checksums request, and from that how long a
 * hedged cycle waits in silence before it asks the next replica too: 1.5 times the replica's p95
 * over its last {@value #WINDOW} answers, at least {@link #FLOOR} (a GC pause or a scheduling
 * hiccup on a fast replica is no reason to double the load) and at most the ceiling. A replica with
 * no answers yet gets the ceiling. Real time on purpose: this paces requests and measures no grace.
 * Used by the sync loop's thread only.
 */
final class ReplicaLatency {

  static final Duration FLOOR = Duration.ofMillis(50);
  static final Duration DEFAULT_CEILING = Duration.ofMillis(150);
  static final int WINDOW = 32;

  private final long ceilingNanos;
  private final Map<URI, long[]> samples = new HashMap<>();
  private final Map<URI, Integer> counts = new HashMap<>();

  /**
   * @param requestTimeout the client's request deadline: the hedge never waits for more than half
   *     of it, so that a hedged request still has time to answer
   */
  ReplicaLatency(Duration requestTimeout) {
    this.ceilingNanos =
        Math.max(1, Math.min(DEFAULT_CEILING.toNanos(), requestTimeout.toNanos() / 2));
  }

  /** A complete answer from the replica took this long. */
  void record(URI replica, long nanos) {
    long[] window = samples.computeIfAbsent(replica, r -> new long[WINDOW]);
    int n = counts.merge(replica, 1, Integer::sum);
    window[(n - 1) % WINDOW] = nanos;
  }

  /** How long to wait for the replica before asking the next one too. */
  Duration hedgeDelay(URI replica) {
    Integer n = counts.get(replica);
    if (n == null) {
      return Duration.ofNanos(ceilingNanos);
    }
    int size = Math.min(n, WINDOW);
    long[] sorted = Arrays.copyOf(samples.get(replica), size);
    Arrays.sort(sorted);
    long p95 = sorted[(int) Math.ceil(size * 0.95) - 1];
    long delay = p95 + p95 / 2;
    return Duration.ofNanos(
        Math.min(ceilingNanos, Math.max(Math.min(FLOOR.toNanos(), ceilingNanos), delay)));
  }
}
