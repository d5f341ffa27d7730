package io.holdfast.server.edge;

import java.util.concurrent.Semaphore;

/**
 * Bounds how many watch requests and checksums event streams may wait at once on this replica
 * ({@code max-watchers}). A waiting watch costs a parked virtual thread, an open connection and a
 * little heap; the bound keeps a reconnect storm from turning into unbounded memory. Thread-safe.
 */
public final class WatchLimit {

  private final int max;
  private final Semaphore permits;

  public WatchLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    this.max = max;
    this.permits = new Semaphore(max);
  }

  /**
   * Takes a place if one is free; never waits. Every {@code true} must be followed by {@link
   * #exit()}.
   */
  public boolean tryEnter() {
    return permits.tryAcquire();
  }

  public void exit() {
    permits.release();
  }

  /** How many watch requests are waiting now. */
  public int waiting() {
    return max - permits.availablePermits();
  }

  public int max() {
    return max;
  }
}
