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
   *
   * <p>While a key holds places, entering and leaving are one compare-and-set on its counter: many
   * requests of one credential at once (a busy tenant, a benchmark) would otherwise queue on the
   * map's lock for that key twice per request (issue 21). The map's lock is taken only to create a
   * key's counter and to retire it at zero; a counter at zero is never raised again, so a place is
   * never taken on a counter that has left the map.
   */
  public boolean tryEnter(String key) {
    AtomicInteger count = held.get(key);
    while (count != null) {
      int now = count.get();
      if (now <= 0) {
        break; // being retired: take the locked path, which finds it gone
      }
      if (now >= max) {
        return false;
      }
      if (count.compareAndSet(now, now + 1)) {
        return true;
      }
    }
    return tryEnterLocked(key);
  }

  private boolean tryEnterLocked(String key) {
    boolean[] entered = {false};
    held.compute(
        key,
        (k, count) -> {
          if (count == null) {
            entered[0] = true;
            return new AtomicInteger(1);
          }
          // Present under the lock, so above zero; others may move it with their CAS meanwhile.
          entered[0] = raiseBelowMax(count);
          return count;
        });
    return entered[0];
  }

  private boolean raiseBelowMax(AtomicInteger count) {
    while (true) {
      int now = count.get();
      if (now >= max) {
        return false;
      }
      if (count.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  public void exit(String key) {
    AtomicInteger count = held.get(key);
    if (count == null) {
      return;
    }
    while (true) {
      int now = count.get();
      if (now <= 1) {
        break; // the last place: retire the counter under the map's lock
      }
      if (count.compareAndSet(now, now - 1)) {
        return;
      }
    }
    held.computeIfPresent(key, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
  }

  /** Places held for {@code key} now. */
  public int held(String key) {
    AtomicInteger count = held.get(key);
    return count == null ? 0 : count.get();
  }

  /** How many keys hold places now. */
  int keys() {
    return held.size();
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
