package io.holdfast.testkit;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rules of a {@link FaultyReplica} and the counts of what they were applied to: which fault a
 * request-target meets, and how many requests arrived, per target and faulted. Kept apart from the
 * connection handling so that the selection of a fault can be read (and changed) on its own.
 *
 * <p><b>Thread safety.</b> Safe for use from any number of threads; the owner serialises rule
 * changes with its listener state.
 */
final class FaultRules {

  /** A fault for the request-targets that contain {@code pathContains}. */
  record Rule(String pathContains, Fault fault, long sequence) {}

  /** Rules, the most recently added first. */
  private final CopyOnWriteArrayList<Rule> rules = new CopyOnWriteArrayList<>();

  /** How many rules were ever added: each rule's sequence number. */
  private final AtomicLong added = new AtomicLong();

  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger faulted = new AtomicInteger();

  /** Requests read per request-target since the last reset: few distinct targets in a test. */
  private final ConcurrentHashMap<String, AtomicInteger> targets = new ConcurrentHashMap<>();

  void add(String pathContains, Fault fault) {
    rules.add(0, new Rule(pathContains, fault, added.incrementAndGet()));
  }

  /** The sequence number of the latest rule added: rules added later have higher ones. */
  long sequence() {
    return added.get();
  }

  /** Whether a rule added after {@code sequence}, and still in force, matches {@code target}. */
  boolean addedSince(long sequence, String target) {
    for (Rule rule : rules) {
      if (rule.sequence() > sequence && matches(rule.pathContains(), target)) {
        return true;
      }
    }
    return false;
  }

  void clear() {
    rules.clear();
  }

  /** Whether the highest-precedence rule for every path refuses connections. */
  boolean refusesConnections() {
    for (Rule rule : rules) {
      if (rule.pathContains().isEmpty()) {
        return rule.fault().refusesConnections();
      }
    }
    return false;
  }

  /** The fault {@code target} meets, or {@code null} to forward it untouched. */
  Fault faultFor(String target) {
    for (Rule rule : rules) {
      if (!rule.fault().refusesConnections() && matches(rule.pathContains(), target)) {
        return rule.fault();
      }
    }
    return null;
  }

  /**
   * Whether a rule for {@code pathContains} applies to {@code target}: where the target contains
   * it, and for the checksums event stream ({@code .../events}) also where the target would contain
   * it if it asked for {@code .../checksums} or {@code .../watch} instead. The stream carries the
   * checksums and replaces the watch as the push channel, so a test that makes "the checksums
   * unavailable" or "the watch stall" means the stream too, whichever way the client reads them.
   */
  static boolean matches(String pathContains, String target) {
    if (target.contains(pathContains)) {
      return true;
    }
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    if (!path.endsWith("/events")) {
      return false;
    }
    String base = path.substring(0, path.length() - "/events".length());
    return (base + "/checksums").contains(pathContains) || (base + "/watch").contains(pathContains);
  }

  /** Counts a request whose fault has been chosen, and wakes {@link #awaitRequests}. */
  void count(String target, boolean wasFaulted) {
    targets.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
    if (wasFaulted) {
      faulted.incrementAndGet();
    }
    synchronized (requests) {
      requests.incrementAndGet();
      requests.notifyAll();
    }
  }

  int requests() {
    return requests.get();
  }

  int requests(String pathContains) {
    return targets.entrySet().stream()
        .filter(e -> e.getKey().contains(pathContains))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  int faulted() {
    return faulted.get();
  }

  void resetCount() {
    requests.set(0);
    faulted.set(0);
    targets.clear();
  }

  boolean awaitRequests(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (requests) {
      for (long left = timeout.toNanos(); requests.get() < count; ) {
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(requests, left);
        left = deadline - System.nanoTime();
      }
      return true;
    }
  }

  @Override
  public String toString() {
    return rules.toString();
  }
}
