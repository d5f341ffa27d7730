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
  private FleetView cached;

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

  /** A view at most {@code maxAge} old; the last one if the store cannot be read now, or {@code null}. */
  public FleetView recentView() {
    synchronized (this) {
      Instant now = clock.instant();
      if (cached != null && Duration.between(cached.at(), now).compareTo(maxAge) < 0) {
        return cached;
      }
    }
    try {
      return view();
    } catch (RuntimeException e) {
      synchronized (this) {
        return cached;
      }
    }
  }

  public Duration silentAfter() {
    return silentAfter;
  }
}
