package io.holdfast.client.internal;

import io.holdfast.client.Ticker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The replicas in order of preference, with health-based demotion: a replica that failed is tried
 * after the healthy ones until its demotion ends (30 s, doubling to 5 min while it keeps failing),
 * so one dead replica costs one failed attempt, not one per cycle. Thread-safe.
 */
final class Replicas {

  private static final Duration FIRST_DEMOTION = Duration.ofSeconds(30);
  private static final Duration MAX_DEMOTION = Duration.ofMinutes(5);

  private final List<URI> preferred;
  private final long[] demotedUntil;
  private final int[] failures;
  private final Ticker ticker;

  Replicas(List<URI> preferred, Ticker ticker) {
    this.preferred = List.copyOf(preferred);
    this.demotedUntil = new long[preferred.size()];
    this.failures = new int[preferred.size()];
    this.ticker = ticker;
  }

  /** Healthy replicas in preference order, then demoted ones, soonest-recovering first. */
  public synchronized List<URI> order() {
    long now = ticker.read();
    List<Integer> healthy = new ArrayList<>();
    List<Integer> demoted = new ArrayList<>();
    for (int i = 0; i < preferred.size(); i++) {
      if (failures[i] == 0 || now - demotedUntil[i] >= 0) {
        healthy.add(i);
      } else {
        demoted.add(i);
      }
    }
    demoted.sort(Comparator.comparingLong(i -> demotedUntil[i]));
    List<URI> order = new ArrayList<>(preferred.size());
    healthy.forEach(i -> order.add(preferred.get(i)));
    demoted.forEach(i -> order.add(preferred.get(i)));
    return order;
  }

  public synchronized void success(URI replica) {
    int i = preferred.indexOf(replica);
    failures[i] = 0;
    demotedUntil[i] = 0;
  }

  public synchronized void failure(URI replica) {
    int i = preferred.indexOf(replica);
    failures[i]++;
    long demotion = FIRST_DEMOTION.toNanos() << Math.min(failures[i] - 1, 10);
    demotedUntil[i] = ticker.read() + Math.min(demotion, MAX_DEMOTION.toNanos());
  }

  public List<URI> all() {
    return preferred;
  }
}
