package io.holdfast.client.internal;

import io.holdfast.client.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes the trackers' last-known-good copies to the disk cache: at once when a document changed,
 * and otherwise at most once per persist interval, so confirmations every few seconds do not turn
 * into disk writes (FAULTS E6). Without a cache it writes nothing. Used by the sync loop's thread
 * only.
 */
final class LastKnownGoodWriter {

  private final DiskCache cache; // null: memory only
  private final Duration persistInterval;
  private final Ticker ticker;
  private final Clock clock;
  private final Map<String, Long> lastSaved = new HashMap<>();

  LastKnownGoodWriter(DiskCache cache, Duration persistInterval, Ticker ticker, Clock clock) {
    this.cache = cache;
    this.persistInterval = persistInterval;
    this.ticker = ticker;
    this.clock = clock;
  }

  void persistIfDue(NamespaceTracker tracker, boolean changed) {
    VerifiedDocument document = tracker.lastKnownGood();
    if (document == null || cache == null) {
      return;
    }
    long now = ticker.read();
    Long saved = lastSaved.get(tracker.namespace());
    if (!changed && saved != null && now - saved < persistInterval.toNanos()) {
      return;
    }
    Instant verifiedAt = tracker.lastVerifiedAt();
    cache.save(
        tracker.namespace(),
        document,
        verifiedAt == null ? clock.instant() : verifiedAt,
        tracker.graceConsumed());
    lastSaved.put(tracker.namespace(), now);
  }
}
