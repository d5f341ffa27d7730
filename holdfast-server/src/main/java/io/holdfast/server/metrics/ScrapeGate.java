package io.holdfast.server.metrics;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Scrapes are sent one at a time, in the order they arrive; one that cannot get its turn within
 * {@link #MAX_WAIT} is refused (FAULTS.md F3).
 *
 * <p>Why: even rendered once a second ({@link ScrapeMemo}), each answer is about 150 KB to copy
 * onto a socket. Twenty connections looping on {@code /metrics} kept both of a two-core replica's
 * carrier threads copying, and instance reads queued behind them: p99 went from about 0.2 ms to
 * 12–18 ms. Sent one at a time, the scrapes can take at most one carrier, and the reads' p99 stayed
 * at about 2 ms (measured by {@code UnauthenticatedFloodTest}) while the flood still got over two
 * thousand answers a second. Scrapers wait in line rather than being refused, so Prometheus is
 * still served during such a flood: a turn is well under a millisecond.
 *
 * <p>Limit: a scraper that stops reading holds its turn while its answer cannot be written; others
 * then wait {@link #MAX_WAIT} and get 503. Instance reads are not affected, and the management port
 * is reachable only from the operators' network. Thread-safe.
 */
final class ScrapeGate {

  /** Longest a scrape waits for its turn; well inside Prometheus' default 10 s scrape timeout. */
  static final Duration MAX_WAIT = Duration.ofSeconds(5);

  private final Semaphore turn = new Semaphore(1, true);
  private final Duration maxWait;

  ScrapeGate(Duration maxWait) {
    this.maxWait = maxWait;
  }

  /**
   * Waits for the turn; {@code true} once it is this caller's, who must then {@link #leave()};
   * {@code false} if it did not come within the wait.
   */
  boolean enter() {
    try {
      return turn.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void leave() {
    turn.release();
  }
}
