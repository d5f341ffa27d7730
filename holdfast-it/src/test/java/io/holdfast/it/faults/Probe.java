package io.holdfast.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.ChangeListener;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.client.StatusListener;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches one client the way the application would see it, and checks the global invariants on
 * everything it sees: every read it makes, every change and every status event the client delivers.
 *
 * <ul>
 *   <li>I1: once a document was loaded, content is never empty or INITIALIZING again (except
 *       EXPIRED under {@link ExpiredPolicy#USE_DEFAULTS}, which is empty by design);
 *   <li>I4: revisions seen by reads never decrease, and each change is to a higher revision;
 *   <li>I5: every snapshot carries a status and a non-blank reason; each status event is a real
 *       change of status;
 *   <li>reads never throw.
 * </ul>
 *
 * Violations are collected, not thrown (listeners run on the client's thread), and checked by
 * {@link #assertHeld()}.
 */
final class Probe implements ChangeListener, StatusListener {

  /** One status event as a StatusListener received it. */
  record Event(Status from, Status to, String reason) {
    @Override
    public String toString() {
      return from + "->" + to + " (" + reason + ")";
    }
  }

  private final HoldfastClient client;
  private final boolean emptyWhenExpired;
  private final Queue<String> violations = new ConcurrentLinkedQueue<>();
  private final List<ConfigSnapshot> changes = new CopyOnWriteArrayList<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<Freshness> eventFreshness = new CopyOnWriteArrayList<>();
  private final AtomicLong readHighWater = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private long changeHighWater; // the listener thread only

  private Probe(HoldfastClient client, ExpiredPolicy policy) {
    this.client = client;
    this.emptyWhenExpired = policy == ExpiredPolicy.USE_DEFAULTS;
  }

  /** Attaches to a client (before {@code start()}, so the first load is seen too). */
  static Probe on(HoldfastClient client) {
    return on(client, ExpiredPolicy.SERVE_LAST_KNOWN_GOOD);
  }

  static Probe on(HoldfastClient client, ExpiredPolicy policy) {
    Probe probe = new Probe(client, policy);
    client.addChangeListener(probe);
    client.addStatusListener(probe);
    return probe;
  }

  HoldfastClient client() {
    return client;
  }

  /** A read as the application makes it, checked. */
  ConfigSnapshot read() {
    ConfigSnapshot snapshot;
    try {
      snapshot = client.snapshot(FaultFixture.NAMESPACE);
    } catch (RuntimeException e) {
      violations.add("a read threw " + e);
      throw e;
    }
    reads.incrementAndGet();
    long before = readHighWater.getAndAccumulate(snapshot.revision(), Math::max);
    inspect(snapshot, "read", before);
    return snapshot;
  }

  Status status() {
    return read().status();
  }

  long revision() {
    return read().revision();
  }

  @Override
  public void onChange(ConfigSnapshot previous, ConfigSnapshot current) {
    changes.add(current);
    if (current.revision() <= changeHighWater) {
      violations.add(
          "a change to revision " + current.revision() + " after revision " + changeHighWater);
    }
    long before = changeHighWater;
    changeHighWater = Math.max(changeHighWater, current.revision());
    inspect(current, "change", before);
  }

  @Override
  public void onStatus(String namespace, Freshness previous, Freshness current) {
    events.add(new Event(previous.status(), current.status(), current.reason()));
    eventFreshness.add(current);
    if (previous.status() == current.status()) {
      violations.add("a status event without a change of status: " + current.status());
    }
    if (!FaultFixture.NAMESPACE.equals(namespace)) {
      violations.add("a status event for namespace " + namespace);
    }
  }

  private void inspect(ConfigSnapshot snapshot, String where, long highWaterBefore) {
    Freshness freshness = snapshot.freshness();
    if (freshness.reason().isBlank()) {
      violations.add(where + ": blank reason for " + snapshot);
    }
    if (snapshot.revision() < highWaterBefore) {
      violations.add(
          where + ": revision went back from " + highWaterBefore + " to " + snapshot.revision());
    }
    if (highWaterBefore > 0 && snapshot.status() == Status.INITIALIZING) {
      violations.add(where + ": INITIALIZING again after revision " + highWaterBefore);
    }
    boolean emptyAllowed = emptyWhenExpired && snapshot.status() == Status.EXPIRED;
    if (snapshot.revision() > 0 && snapshot.content().isEmpty() && !emptyAllowed) {
      violations.add(
          where + ": empty content at revision " + snapshot.revision() + " " + snapshot.status());
    }
    if (snapshot.status() == Status.EXPIRED && !freshness.graceRemaining().isZero()) {
      violations.add(where + ": EXPIRED with grace remaining " + freshness.graceRemaining());
    }
  }

  /** Every status event so far, in order. */
  List<Event> events() {
    return List.copyOf(events);
  }

  /** The freshness each status event reported, in order. */
  List<Freshness> eventFreshness() {
    return List.copyOf(eventFreshness);
  }

  /** How many events went from one status to the other. */
  long count(Status from, Status to) {
    return events.stream().filter(e -> e.from() == from && e.to() == to).count();
  }

  /** Whether any event entered the status. */
  boolean entered(Status status) {
    return events.stream().anyMatch(e -> e.to() == status);
  }

  /** The snapshots delivered to change listeners, in order. */
  List<ConfigSnapshot> changes() {
    return List.copyOf(changes);
  }

  /** The revisions delivered to change listeners, in order. */
  List<Long> changedRevisions() {
    return changes.stream().map(ConfigSnapshot::revision).toList();
  }

  long reads() {
    return reads.get();
  }

  /** Fails if any invariant was broken by anything the probe saw. */
  void assertHeld() {
    assertThat(violations).as("invariant violations (I1, I4, I5, non-throwing reads)").isEmpty();
  }
}
