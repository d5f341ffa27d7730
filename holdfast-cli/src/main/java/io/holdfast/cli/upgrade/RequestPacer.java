package io.holdfast.cli.upgrade;

import java.util.concurrent.TimeUnit;

/**
 * Spaces requests evenly at a rate (per second) across every thread that asks, so that the check
 * never loads the replicas more than the operator allowed. Each caller is given the next free slot
 * and waits for it; slots are not saved up while nobody asks, so there is no burst after a pause.
 * Thread-safe.
 */
final class RequestPacer {

  private final long intervalNanos;
  private long next; // guarded by this; nano time of the next free slot

  private RequestPacer(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** No pacing at all: {@link #acquire()} returns at once. */
  static RequestPacer unlimited() {
    return new RequestPacer(0);
  }

  /**
   * @param perSecond requests a second; positive
   */
  static RequestPacer perSecond(double perSecond) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("a rate must be a positive number, was " + perSecond);
    }
    return new RequestPacer(Math.max(1, (long) (TimeUnit.SECONDS.toNanos(1) / perSecond)));
  }

  /** Waits for this caller's slot. */
  void acquire() throws InterruptedException {
    if (intervalNanos == 0) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long slot = next - now > 0 ? next : now;
      next = slot + intervalNanos;
      wait = slot - now;
    }
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
