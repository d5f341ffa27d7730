package io.holdfast.cli.gameday;

import io.holdfast.server.probe.ProbeResult;
import io.holdfast.server.probe.SyntheticProbe;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the synthetic probe through the fault proxies every interval and reads its rounds as
 * Prometheus would read {@code holdfast_probe_success}: a check failing on a replica starts a
 * streak; the alert rule ({@code ReplicaContentUnavailable}, {@code ReplicaChecksumUnavailable})
 * "would have fired" at the first round that finds the streak at least the rule's {@code for} old.
 * Detection is the first failing round after the first fault went in.
 *
 * <p>Thread-safe: rounds run on one daemon thread; the drill reads from its own.
 */
final class ProbeWatch implements AutoCloseable {

  /** The probe's view of one alert rule on one replica. */
  private enum Alert {
    CONTENT("ReplicaContentUnavailable", "content"),
    CHECKSUMS("ReplicaChecksumUnavailable", "checksums");

    final String rule;
    final String check;

    Alert(String rule, String check) {
      this.rule = rule;
      this.check = check;
    }

    boolean failing(ProbeResult result) {
      return this == CONTENT ? !result.contentAvailable() : !result.checksumsAvailable();
    }
  }

  /** An alert rule that would have fired for a replica, when. */
  record Firing(String rule, String replica, Duration at) {}

  /** A failing streak that ended before the rule's {@code for}: the alert would not have fired. */
  record ShortStreak(String rule, String replica, Duration lasted) {}

  private final SyntheticProbe probe;
  private final Map<URI, String> names;
  private final Duration alertFor;
  private final Timeline timeline;
  private final ScheduledExecutorService schedule =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "holdfast-gameday-probe");
            thread.setDaemon(true);
            return thread;
          });

  // All guarded by this.
  private final Map<String, Duration> streaks = new HashMap<>(); // "A/content" -> first failing
  private final Map<String, Boolean> fired = new HashMap<>();
  private final List<Firing> firings = new ArrayList<>();
  private final List<ShortStreak> shortStreaks = new ArrayList<>();
  private final Map<URI, Boolean> passing = new HashMap<>();
  private Duration faultSince;
  private Duration detectedAt;

  ProbeWatch(SyntheticProbe probe, Map<URI, String> names, Duration alertFor, Timeline timeline) {
    this.probe = probe;
    this.names = Map.copyOf(names);
    this.alertFor = alertFor;
    this.timeline = timeline;
  }

  /** Probes now and then every {@code interval} after each round ends. */
  void start(Duration interval) {
    schedule.scheduleWithFixedDelay(
        this::roundFenced, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void roundFenced() {
    try {
      record(probe.runRound(), timeline.now());
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again; one lost round is not worth the drill.
      timeline.print("probe round failed: " + e);
    }
  }

  /** Judges one round's results, taken at {@code at}. */
  synchronized void record(List<ProbeResult> round, Duration at) {
    for (ProbeResult result : round) {
      String replica = names.getOrDefault(result.target(), result.target().toString());
      passing.put(result.target(), result.passed());
      for (Alert alert : Alert.values()) {
        String key = replica + "/" + alert.check;
        if (!alert.failing(result)) {
          Duration began = streaks.remove(key);
          if (began != null) {
            if (fired.remove(key) == null) {
              shortStreaks.add(new ShortStreak(alert.rule, replica, at.minus(began)));
            }
            timeline.print("probe: " + alert.check + " passes again on " + replica);
          }
          continue;
        }
        Duration since = streaks.get(key);
        if (since == null) {
          streaks.put(key, at);
          since = at;
          timeline.print(
              "probe: "
                  + alert.check
                  + " FAILING on "
                  + replica
                  + (result.failure() == null ? "" : " (" + result.failure() + ")"));
          if (faultSince != null && detectedAt == null && !at.minus(faultSince).isNegative()) {
            detectedAt = at;
          }
        }
        if (at.minus(since).compareTo(alertFor) >= 0 && fired.putIfAbsent(key, true) == null) {
          firings.add(new Firing(alert.rule, replica, at));
          timeline.print(
              "alert "
                  + alert.rule
                  + " would fire for "
                  + replica
                  + " (failing since "
                  + Durations.seconds(since)
                  + ", for: "
                  + Durations.text(alertFor)
                  + ")");
        }
      }
    }
  }

  /** Marks when the first fault went in: detection counts from here. */
  synchronized void faultInjected(Duration at) {
    if (faultSince == null) {
      faultSince = at;
    }
  }

  /** How long after the first fault the probe first failed; empty if it never did. */
  synchronized Optional<Duration> detectedAfter() {
    return detectedAt == null ? Optional.empty() : Optional.of(detectedAt.minus(faultSince));
  }

  synchronized List<Firing> firings() {
    return List.copyOf(firings);
  }

  /**
   * Ends the watch's judging at {@code at}: a streak still failing that has not fired counts as a
   * short streak of its length so far.
   */
  synchronized void finish(Duration at) {
    streaks.forEach(
        (key, began) -> {
          if (!fired.containsKey(key)) {
            String[] parts = key.split("/", 2);
            String rule =
                parts[1].equals(Alert.CONTENT.check) ? Alert.CONTENT.rule : Alert.CHECKSUMS.rule;
            shortStreaks.add(new ShortStreak(rule, parts[0], at.minus(began)));
          }
        });
    streaks.clear();
    fired.clear();
  }

  /** Failing streaks that ended too soon for their alert rule to fire. */
  synchronized List<ShortStreak> shortStreaks() {
    return List.copyOf(shortStreaks);
  }

  /** Whether the latest round passed every check on every replica. */
  synchronized boolean allPassing() {
    return passing.size() == names.size() && passing.values().stream().allMatch(p -> p);
  }

  /** Replicas failing some check in the latest round, such as {@code A checksums}. */
  synchronized List<String> failing() {
    return streaks.keySet().stream().sorted().map(k -> k.replace('/', ' ')).toList();
  }

  @Override
  public void close() {
    schedule.shutdownNow();
    try {
      schedule.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    probe.close();
  }
}
