package io.holdfast.client.internal;

import io.holdfast.protocol.http.Backoff;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client's one background loop: asks replicas whether anything changed, fetches what did,
 * verifies it and hands it to the trackers; fails over between replicas; backs off with jitter when
 * all of them fail.
 *
 * <p>Design memo. A cycle walks the replicas in preference order until every namespace has been
 * confirmed or adopted. It first asks for the instance's signed checksums, through the long-poll
 * watch when the checksums are already known (the server answers 304 after the watch timeout if
 * nothing changed), or through a plain GET at least every poll interval, so a watch that silently
 * stalls can never leave the client stale for longer than that (FAULTS A21). Namespaces whose ETag
 * differs are fetched with {@code If-None-Match}. If the checksums cannot be had or verified (the
 * incident: FAULTS A9), each namespace is fetched conditionally instead: the configuration keeps
 * flowing and the problem is reported. A namespace becomes STALE only when every replica failed it
 * in a cycle, so a failover that works costs no staleness (A1). Every failure keeps the
 * last-known-good document; only a verified, not older document replaces it.
 *
 * <p>A document that passed every check then goes to the application's validator, if the namespace
 * has one. One it rejects is not adopted; the namespace fails with the application's reason, but
 * the replica did its job, so it is neither demoted nor retried in a backoff loop. The rejected
 * ETag is remembered: while the replica still lists it, the namespace stays failed without
 * downloading the document again before the poll interval has passed (then it is tried once more,
 * in case the validator's verdict depends on something that changed), and a watch on those
 * checksums may wait for the next change. Any other document is fetched at once, and adopting or
 * confirming any document ends the rejection. Nothing about a rejected revision is recorded for the
 * rollback check, so a fix published as a newer revision is adopted.
 *
 * <p>This class is the scheduling and the failover: which replica to ask in a cycle, how long to
 * wait before the next, backoff, and what a failed cycle does to the namespaces; the work with one
 * replica (fetch, verify, adopt) is {@link ReplicaSync}'s.
 *
 * <p>Runs on one daemon thread; {@link #stop()} ends it promptly.
 */
final class SyncLoop implements Runnable, SyncProgress {

  private final ReplicaSync sync;
  private final Map<String, NamespaceTracker> trackers;
  private final Replicas replicas;
  private final Listeners listeners;
  private final LastKnownGoodWriter writer;
  private final Duration pollInterval;
  private final Backoff backoff;
  private final ChecksumsHedge hedge;
  private final Clock clock;
  private final Random random;
  private final System.Logger log;
  private final CountDownLatch stopped;
  private final Runnable onCycle;

  private volatile String lastError;
  private volatile Instant lastSuccess;

  private SyncLoop(
      ReplicaSync sync,
      Map<String, NamespaceTracker> trackers,
      Replicas replicas,
      Listeners listeners,
      LastKnownGoodWriter writer,
      SyncSettings settings,
      Clock clock,
      Random random,
      System.Logger log,
      CountDownLatch stopped,
      Runnable onCycle) {
    this.sync = sync;
    this.trackers = trackers;
    this.replicas = replicas;
    this.listeners = listeners;
    this.writer = writer;
    this.pollInterval = settings.pollInterval();
    this.backoff =
        new Backoff(
            settings.backoffBase(), settings.backoffCap(), settings.maxRetryAfter(), random);
    this.hedge =
        new ChecksumsHedge(sync::requestChecksums, new ReplicaLatency(settings.requestTimeout()));
    this.clock = clock;
    this.random = random;
    this.log = log;
    this.stopped = stopped;
    this.onCycle = onCycle;
  }

  /**
   * A loop over the trackers, in their order, with the settings' timings.
   *
   * @param cache where last-known-good copies are written, or {@code null}
   * @param onCycle told, on the loop's thread, after every cycle; must not block
   * @param onRejection told, on the loop's thread, when the application rejects a document it had
   *     not rejected before; must not block
   */
  static SyncLoop create(
      ClientSettings settings,
      Map<String, NamespaceTracker> trackers,
      Transport transport,
      DocumentVerifier verifier,
      KeySetSync keySets,
      ClockSkew skew,
      Validators validators,
      Replicas replicas,
      DiskCache cache,
      Listeners listeners,
      System.Logger log,
      Runnable onCycle,
      Runnable onRejection) {
    CountDownLatch stopped = new CountDownLatch(1);
    SyncSettings timings = settings.sync();
    LastKnownGoodWriter writer =
        new LastKnownGoodWriter(
            cache, timings.persistInterval(), settings.ticker(), settings.clock());
    ReplicaSync sync =
        new ReplicaSync(
            settings.instance(),
            trackers,
            transport,
            verifier,
            keySets,
            skew,
            validators,
            listeners,
            writer,
            timings,
            settings.ticker(),
            log,
            stopped,
            onRejection);
    return new SyncLoop(
        sync,
        trackers,
        replicas,
        listeners,
        writer,
        timings,
        settings.clock(),
        settings.random(),
        log,
        stopped,
        onCycle);
  }

  @Override
  public void run() {
    while (stopped.getCount() > 0) {
      Duration wait;
      try {
        wait = cycle();
      } catch (RuntimeException e) {
        // A bug must not kill the loop: the client would then go stale silently.
        log.log(Level.ERROR, "sync cycle failed unexpectedly", e);
        lastError = "internal error: " + e;
        wait = backoff.next(null);
      }
      for (NamespaceTracker tracker : trackers.values()) {
        listeners.dispatch(tracker.tick());
        writer.persistIfDue(tracker, false);
      }
      onCycle.run();
      if (!wait.isZero()) {
        try {
          if (stopped.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Ends the loop; a cycle in progress finishes its current request first. */
  public void stop() {
    stopped.countDown();
  }

  @Override
  public String lastError() {
    return lastError;
  }

  @Override
  public Instant lastSuccess() {
    return lastSuccess;
  }

  /** One cycle; returns how long to wait before the next. */
  Duration cycle() {
    Set<String> pending = new LinkedHashSet<>(trackers.keySet());
    Map<String, String> reasons = new LinkedHashMap<>();
    Duration retryAfter = null;
    List<URI> order = replicas.order();
    // A watch is held open on purpose, so silence says nothing: only a plain poll is hedged.
    ChecksumsHedge.Race race =
        order.size() > 1 && !sync.usesWatch(pending) ? hedge.run(order) : null;
    List<URI> plan = order;
    if (race != null) {
      plan = race.order(order);
      race.abandoned()
          .forEach(
              (replica, silence) -> {
                replicas.failure(replica);
                for (String namespace : pending) {
                  ReplicaSync.addReason(
                      reasons,
                      namespace,
                      replica + ": silent for " + silence.toMillis() + " ms; asked another");
                }
              });
    }
    boolean allRefused = true;
    for (URI replica : plan) {
      if (stopped.getCount() == 0) {
        return Duration.ZERO;
      }
      if (race != null && race.abandoned().containsKey(replica)) {
        allRefused = false;
        continue;
      }
      try {
        sync.syncWith(replica, pending, reasons, race == null ? null : race.answer(replica));
        noteChecksumsProblem();
        if (pending.isEmpty()) {
          if (sync.replicaDraining()) {
            replicas.failure(replica); // demoted: the next cycle watches another replica
          } else {
            replicas.success(replica);
          }
          break;
        }
        replicas.failure(replica);
        allRefused = false;
      } catch (ReplicaFailure failure) {
        noteChecksumsProblem();
        replicas.failure(replica);
        allRefused &= failure.refused;
        for (String namespace : pending) {
          ReplicaSync.addReason(reasons, namespace, replica + ": " + failure.getMessage());
        }
        if (failure.retryAfter != null) {
          retryAfter = failure.retryAfter;
        }
      }
    }
    if (pending.isEmpty()) {
      backoff.reset();
      lastSuccess = clock.instant();
      if (sync.checksumsProblem() == null) {
        lastError = null;
      }
      // With a usable watch the next request itself waits for a change; otherwise poll.
      return sync.watchNext() || sync.replicaDraining() ? Duration.ZERO : jittered(pollInterval);
    }
    if (stopped.getCount() == 0) {
      // Closing interrupted the requests: that is no replica's failure.
      return Duration.ZERO;
    }
    for (String namespace : pending) {
      String reason = reasons.getOrDefault(namespace, "no replica answered");
      listeners.dispatch(
          trackers
              .get(namespace)
              .fail(
                  reason + (order.size() > 1 ? " (all " + order.size() + " replicas tried)" : "")));
      lastError = reason;
    }
    // Every replica refused the connection: they are down or restarting, and asking them costs
    // them nothing, so the wait stays short and the fleet is back soon after one is (issue 21).
    return allRefused && retryAfter == null ? backoff.nextRefused() : backoff.next(retryAfter);
  }

  /**
   * Unusable checksums are reported as the last error even when the documents still flow (FAULTS
   * A9).
   */
  private void noteChecksumsProblem() {
    String problem = sync.checksumsProblem();
    if (problem != null) {
      lastError = problem;
    }
  }

  private Duration jittered(Duration interval) {
    double factor = 0.9 + 0.2 * random.nextDouble();
    return Duration.ofNanos((long) (interval.toNanos() * factor));
  }
}
