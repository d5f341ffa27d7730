package io.holdfast.server.probe;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs probe rounds: each round probes every target replica at once and records the results in
 * {@link ProbeResults}. Rounds run every interval on one named daemon thread once {@link
 * #start(Duration)} is called; tests call {@link #runRound()} themselves instead.
 *
 * <p>A round never throws out of the schedule: a periodic task that throws is never run again, so
 * the schedule catches, logs and carries on. Each target's probe has its own deadline (see {@link
 * CanaryProber}), so a round takes at most about three request deadlines whatever the replicas do.
 *
 * <p>Thread-safe. Constructing starts nothing; {@link #close()} stops the schedule and closes the
 * prober.
 */
public final class SyntheticProbe implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SyntheticProbe.class);

  private final CanaryProber prober;
  private final List<URI> targets;
  private final ProbeResults results;
  private ScheduledExecutorService schedule; // guarded by this

  public SyntheticProbe(CanaryProber prober, List<URI> targets, ProbeResults results) {
    this.prober = Objects.requireNonNull(prober, "prober");
    this.targets = List.copyOf(targets);
    this.results = Objects.requireNonNull(results, "results");
    if (this.targets.isEmpty()) {
      throw new IllegalArgumentException("the probe needs at least one target replica");
    }
  }

  /** Probes every target once, concurrently, records the round and returns it in target order. */
  public List<ProbeResult> runRound() {
    List<ProbeResult> round = new ArrayList<>(targets.size());
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ProbeResult>> futures = new ArrayList<>();
      for (URI target : targets) {
        futures.add(executor.submit(() -> probeFenced(target)));
      }
      for (Future<ProbeResult> future : futures) {
        round.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } catch (ExecutionException e) {
      throw new IllegalStateException("probeFenced never throws", e.getCause());
    }
    Map<URI, ProbeResult> before = new HashMap<>();
    results.latest().forEach(r -> before.put(r.target(), r));
    results.record(round);
    for (ProbeResult result : round) {
      logChange(before.get(result.target()), result);
    }
    return round;
  }

  /**
   * Probes one target; a bug in the prober becomes that target's failed result instead of costing
   * the other targets their round.
   */
  private ProbeResult probeFenced(URI target) {
    try {
      return prober.probe(target);
    } catch (RuntimeException e) {
      LOG.error("probing {} failed unexpectedly", target, e);
      return new ProbeResult(
          target,
          results.clock().instant(),
          Map.of(ProbeCheck.CONTENT, CheckOutcome.FAILED),
          false,
          false,
          0,
          null,
          0,
          null,
          Duration.ZERO,
          ProbeCheck.CONTENT,
          "the probe itself failed: " + e,
          ReplicaRelease.UNKNOWN);
    }
  }

  /**
   * Logs a target's failure when it starts or its reason changes, and its recovery, not every
   * round: a replica down for an hour is one line, not 360.
   */
  private static void logChange(ProbeResult previous, ProbeResult result) {
    if (!result.passed()) {
      if (previous == null || previous.passed() || !previous.failure().equals(result.failure())) {
        LOG.warn(
            "probe of {}: {} failed: {}",
            result.target(),
            result.failedCheck().label(),
            result.failure());
      }
    } else if (previous != null && !previous.passed()) {
      LOG.info("probe of {}: every check passes again", result.target());
    }
  }

  /** Runs a round every {@code interval}, the first one interval from now. */
  public synchronized void start(Duration interval) {
    if (schedule != null) {
      throw new IllegalStateException("the probe is already started");
    }
    schedule =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "holdfast-probe");
              thread.setDaemon(true);
              return thread;
            });
    long millis = interval.toMillis();
    schedule.scheduleWithFixedDelay(this::runRoundFenced, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void runRoundFenced() {
    try {
      runRound();
    } catch (RuntimeException e) {
      LOG.error("probe round failed; the next one runs as scheduled", e);
    }
  }

  /** The targets, in the order rounds report them. */
  public List<URI> targets() {
    return targets;
  }

  /** Where the rounds are recorded. */
  public ProbeResults results() {
    return results;
  }

  @Override
  public void close() {
    ScheduledExecutorService s;
    synchronized (this) {
      s = schedule;
      schedule = null;
    }
    if (s != null) {
      s.shutdownNow();
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    prober.close();
  }
}
