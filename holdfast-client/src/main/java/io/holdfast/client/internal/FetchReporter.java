package io.holdfast.client.internal;

import io.holdfast.client.FetchEvent;
import io.holdfast.client.FetchEvent.Kind;
import io.holdfast.client.FetchEvent.Outcome;
import java.net.URI;
import java.time.Duration;

/**
 * What the sync loop tells fetch listeners after each request. With no listener registered it costs
 * one list check per request: no clock read and no event built. Requests are timed in real time
 * ({@link System#nanoTime()}), not on the injected ticker, which only measures grace. Used by the
 * sync loop's thread only.
 */
final class FetchReporter {

  private final Listeners listeners;

  FetchReporter(Listeners listeners) {
    this.listeners = listeners;
  }

  boolean active() {
    return listeners.hasFetchListeners();
  }

  /** The start of a request, to pass to {@link #report}. */
  long start() {
    return active() ? System.nanoTime() : 0L;
  }

  void report(
      URI replica, String namespace, Kind kind, Outcome outcome, String reason, long started) {
    if (!active()) {
      return;
    }
    // A listener added during the request: its start was not read, so no duration is known.
    Duration duration =
        started == 0L ? Duration.ZERO : Duration.ofNanos(Math.max(0, System.nanoTime() - started));
    listeners.dispatch(new FetchEvent(replica, namespace, kind, outcome, reason, duration));
  }

  /**
   * An answer that was not used: a replica that cannot serve now (429, 5xx), or one that was
   * rejected.
   */
  void reportUnusable(
      URI replica, String namespace, Kind kind, int status, String reason, long started) {
    report(
        replica,
        namespace,
        kind,
        status == 429 || status >= 500 ? Outcome.UNAVAILABLE : Outcome.REJECTED,
        reason,
        started);
  }
}
