package io.holdfast.server.edge;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code max} holders at once per key: one tenant's share of a replica (FAULTS F5, D16).
 * The key is the request's credential as sent, so a flood of bad or other credentials never uses up
 * a real tenant's share. Entries exist only while held, so memory follows what is in flight.
 * Thread-safe.
 */
public final class KeyedLimit {

  private final int max;
  private final ConcurrentHashMap<String, AtomicInteger> held = new ConcurrentHashMap<>();

  public KeyedLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    this.max = max;
  }

  /**
   * Takes a place for {@code key} if it holds fewer than the max; never waits. Every {@code true}
   * needs an {@link #exit}.
   */
  public boolean tryEnter(String key) {
    boolean[] entered = {false};
    held.compute(
        key,
        (k, count) -> {
          AtomicInteger c = count == null ? new AtomicInteger() : count;
          if (c.get() < max) {
            c.incrementAndGet();
            entered[0] = true;
          }
          return c.get() == 0 ? null : c;
        });
    return entered[0];
  }

  public void exit(String key) {
    held.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  /** Places held for {@code key} now. */
  public int held(String key) {
    AtomicInteger count = held.get(key);
    return count == null ? 0 : count.get();
  }

  public int max() {
    return max;
  }

  /** How long a request refused for its tenant's share waits before its answer. */
  public static final java.time.Duration REFUSAL_DELAY = java.time.Duration.ofSeconds(1);

  /**
   * Waits {@link #REFUSAL_DELAY} before a refusal is sent. A client looping on its refusals would
   * otherwise turn them into a flood that takes the cores from every other tenant; waiting costs a
   * parked virtual thread and no CPU, and bounds such a client to one request per connection per
   * second (its connections are bounded per address). A well-behaved client waits longer anyway:
   * the answer's {@code Retry-After}.
   */
  public static void delayRefusal() {
    java.util.concurrent.locks.LockSupport.parkNanos(REFUSAL_DELAY.toNanos());
  }
}
