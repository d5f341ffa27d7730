package io.holdfast.server.logging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * The log of one task that fails repeatedly and is kept alive by catching (a gauge, a periodic
 * read): a caught failure must leave a trace, but a store outage must not write a line per scrape.
 * The first failure of a streak is logged at WARN with its stack trace; while the streak lasts, at
 * most one line per {@code interval} says how many failed since; the first success after it is
 * logged at INFO. Time comes from the injected clock.
 *
 * <p>Thread-safe: callers may fail and succeed concurrently; a race costs at most one extra or one
 * missing "still failing" line, never the first line of a streak.
 */
public final class FailureStreak {

  private final Logger log;
  private final String task;
  private final Duration interval;
  private final Clock clock;

  /** Guarded by {@code this}; held only to update these fields, never while logging. */
  private boolean failing;

  private Instant lastLogged;
  private long failures;
  private long unlogged;

  /**
   * @param task what fails, in words that complete "... failed" (e.g. "reading the fleet for
   *     metrics")
   */
  public FailureStreak(Logger log, String task, Duration interval, Clock clock) {
    this.log = Objects.requireNonNull(log, "log");
    this.task = Objects.requireNonNull(task, "task");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records one failure, and logs it if it starts a streak or {@code interval} passed since the
   * last line.
   */
  public void failed(RuntimeException failure) {
    Instant now = clock.instant();
    boolean first;
    long since;
    synchronized (this) {
      failures++;
      first = !failing;
      if (!first && Duration.between(lastLogged, now).compareTo(interval) < 0) {
        unlogged++;
        return;
      }
      failing = true;
      lastLogged = now;
      since = unlogged;
      unlogged = 0;
    }
    if (first) {
      log.warn(
          "{} failed; it is retried, and repeats are logged at most every {} s",
          task,
          interval.toSeconds(),
          failure);
    } else {
      log.warn(
          "{} still failing ({} more failures since the last line): {}",
          task,
          since + 1,
          describe(failure));
    }
  }

  /** Records a success; logs the end of a streak. */
  public void succeeded() {
    long total;
    synchronized (this) {
      if (!failing) {
        return;
      }
      total = failures;
      failing = false;
      failures = 0;
      unlogged = 0;
    }
    log.info("{} works again after {} failures", task, total);
  }

  private static String describe(RuntimeException failure) {
    return failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
  }
}
