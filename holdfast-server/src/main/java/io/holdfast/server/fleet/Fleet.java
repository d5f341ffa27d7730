package io.holdfast.server.fleet;

import io.holdfast.server.logging.FailureStreak;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.store.ConfigStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.LoggerFactory;

/**
 * The fleet view of this replica, read from the store's latest heartbeats. Metric scrapes read a
 * copy at most {@code maxAge} old, so a scrape costs at most one query however many fleet metrics
 * it reads; the admin API always reads afresh.
 *
 * <p>Thread-safe. {@link #recentView()} is serialised by a {@link ReentrantLock}, not a monitor: it
 * reads the store, on scrape threads that may be virtual, and a virtual thread blocked while
 * holding a monitor pins its carrier on JDK 21 to 23. A failed read is logged once per streak
 * ({@link FailureStreak}), so gauges that go blank say why.
 */
public final class Fleet {

  private final ConfigStore store;
  private final SnapshotHolder snapshots;
  private final Clock clock;
  private final Duration silentAfter;
  private final Duration maxAge;

  /** How long a view may stand in for one the store cannot give. */
  static final Duration STALE_VIEW_LIMIT = Duration.ofSeconds(30);

  private final ReentrantLock recent = new ReentrantLock();
  private final FailureStreak failures;

  /** Guarded by {@code recent}, except that {@link #view()} replaces it (volatile). */
  private volatile FleetView cached;

  /** Guarded by {@code recent}. */
  private Instant lastAttempt;

  public Fleet(
      ConfigStore store,
      SnapshotHolder snapshots,
      Clock clock,
      Duration silentAfter,
      Duration maxAge) {
    this.store = store;
    this.snapshots = snapshots;
    this.clock = clock;
    this.silentAfter = silentAfter;
    this.maxAge = maxAge;
    this.failures =
        new FailureStreak(
            LoggerFactory.getLogger(Fleet.class),
            "reading the fleet for its metrics",
            STALE_VIEW_LIMIT,
            clock);
  }

  /** A fresh view; throws if the store cannot be read. */
  public FleetView view() {
    FleetView view =
        FleetView.of(snapshots.current(), store.latestHeartbeats(), clock.instant(), silentAfter);
    cached = view;
    return view;
  }

  /**
   * For metric scrapes: a view at most {@code maxAge} old, computed by one caller at a time. A
   * failed read is remembered for {@code maxAge} too, so a scrape during a store outage costs at
   * most one query, not one per gauge. While the store fails the last view is served for up to
   * {@link #STALE_VIEW_LIMIT}, then {@code null}: frozen figures must not look current.
   */
  public FleetView recentView() {
    recent.lock();
    try {
      Instant now = clock.instant();
      boolean fresh =
          lastAttempt != null && Duration.between(lastAttempt, now).compareTo(maxAge) < 0;
      if (!fresh) {
        lastAttempt = now;
        try {
          FleetView view = view();
          failures.succeeded();
          return view;
        } catch (RuntimeException e) {
          failures.failed(e); // the fleet figures go blank below once the last view is too old
        }
      }
      FleetView last = cached;
      if (last == null || Duration.between(last.at(), now).compareTo(STALE_VIEW_LIMIT) > 0) {
        return null;
      }
      return last;
    } finally {
      recent.unlock();
    }
  }

  public Duration silentAfter() {
    return silentAfter;
  }
}
