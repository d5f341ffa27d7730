package io.holdfast.server.fleet;

import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.store.ConfigStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The fleet view of this replica, read from the store's latest heartbeats. Metric scrapes read a
 * copy at most {@code maxAge} old, so a scrape costs at most one query however many fleet
 * metrics it reads; the admin API always reads afresh. Thread-safe.
 */
public final class Fleet {

  private final ConfigStore store;
  private final SnapshotHolder snapshots;
  private final Clock clock;
  private final Duration silentAfter;
  private final Duration maxAge;
  /** How long a view may stand in for one the store cannot give. */
  static final Duration STALE_VIEW_LIMIT = Duration.ofSeconds(30);

  private FleetView cached;
  private Instant lastAttempt;

  public Fleet(ConfigStore store, SnapshotHolder snapshots, Clock clock, Duration silentAfter, Duration maxAge) {
    this.store = store;
    this.snapshots = snapshots;
    this.clock = clock;
    this.silentAfter = silentAfter;
    this.maxAge = maxAge;
  }

  /** A fresh view; throws if the store cannot be read. */
  public FleetView view() {
    FleetView view = FleetView.of(snapshots.current(), store.latestHeartbeats(), clock.instant(), silentAfter);
    synchronized (this) {
      cached = view;
    }
    return view;
  }


  /**
   * For metric scrapes: a view at most {@code maxAge} old, computed by one caller at a time. A
   * failed read is remembered for {@code maxAge} too, so a scrape during a store outage costs at
   * most one query, not one per gauge. While the store fails the last view is served for up to
   * {@link #STALE_VIEW_LIMIT}, then {@code null}: frozen figures must not look current.
   */
  public synchronized FleetView recentView() {
    Instant now = clock.instant();
    boolean recent = lastAttempt != null && Duration.between(lastAttempt, now).compareTo(maxAge) < 0;
    if (!recent) {
      lastAttempt = now;
      try {
        return view();
      } catch (RuntimeException e) {
        // Counted by the store health gauges; the fleet figures go blank below.
      }
    }
    if (cached == null || Duration.between(cached.at(), now).compareTo(STALE_VIEW_LIMIT) > 0) {
      return null;
    }
    return cached;
  }

  public Duration silentAfter() {
    return silentAfter;
  }
}
