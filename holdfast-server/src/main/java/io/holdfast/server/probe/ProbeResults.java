package io.holdfast.server.probe;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The latest probe result per replica, and what comparing them says: which replica is behind its
 * peers and for how long, and which replicas serve different bytes for the same revision.
 *
 * <p>Lag is judged against the highest revision among the replicas' latest results, separately for
 * the document and for the checksums (whose revision moves with every namespace the canary
 * receives). A replica is lagging once it has been behind for the tolerance: replicas pick up each
 * other's writes within a refresh interval, so a moment behind is normal. "Lagging" is computed
 * when read, from when the replica fell behind, so it turns true after the tolerance even if no
 * round has run since.
 *
 * <p>Divergence is exact: same revision, different content-addressed tag, for the document or for
 * the checksums. Every replica involved is flagged, since the probe cannot know which one is right.
 *
 * <p>Thread-safe: rounds are recorded under a lock into an immutable state that readers take
 * without locking. Metrics may read it from any thread.
 */
public final class ProbeResults {

  private final Duration lagTolerance;
  private final Clock clock;
  private volatile State state = new State(Map.of(), null);

  public ProbeResults(Duration lagTolerance, Clock clock) {
    this.lagTolerance = Objects.requireNonNull(lagTolerance, "lagTolerance");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (lagTolerance.isNegative()) {
      throw new IllegalArgumentException("lagTolerance must not be negative: " + lagTolerance);
    }
  }

  /**
   * Records one round: the results of probing each replica once. Earlier results of other replicas
   * stay.
   */
  public synchronized void record(List<ProbeResult> round) {
    Map<URI, Entry> entries = new LinkedHashMap<>();
    for (URI target : state.order()) {
      entries.put(target, state.entries().get(target));
    }
    for (ProbeResult result : round) {
      Entry previous = entries.get(result.target());
      Instant lastSuccess =
          result.passed() ? result.at() : previous == null ? null : previous.lastSuccess();
      entries.put(
          result.target(),
          new Entry(result, lastSuccess, previous == null ? null : previous.behindSince()));
    }
    List<ProbeResult> latest = entries.values().stream().map(Entry::result).toList();
    long highestDocument = highest(latest, ProbeResult::contentAvailable, ProbeResult::revision);
    long highestChecksums =
        highest(latest, ProbeResult::checksumsAvailable, ProbeResult::checksumsRevision);
    Instant now = clock.instant();
    for (Map.Entry<URI, Entry> e : entries.entrySet()) {
      ProbeResult r = e.getValue().result();
      Instant behindSince = e.getValue().behindSince();
      if (r.contentAvailable() || r.checksumsAvailable()) {
        boolean behind =
            (r.contentAvailable() && r.revision() < highestDocument)
                || (r.checksumsAvailable() && r.checksumsRevision() < highestChecksums);
        behindSince = !behind ? null : behindSince != null ? behindSince : now;
      } // else: nothing read, nothing learnt; the last verdict stands
      e.setValue(new Entry(r, e.getValue().lastSuccess(), behindSince));
    }
    Set<URI> diverged = new HashSet<>();
    diverged.addAll(
        diverged(latest, ProbeResult::contentAvailable, ProbeResult::revision, ProbeResult::etag));
    diverged.addAll(
        diverged(
            latest,
            ProbeResult::checksumsAvailable,
            ProbeResult::checksumsRevision,
            ProbeResult::checksumsEtag));
    state =
        new State(Map.copyOf(entries), now, Set.copyOf(diverged), List.copyOf(entries.keySet()));
  }

  /** The latest result of every replica probed so far, in the order they were first probed. */
  public List<ProbeResult> latest() {
    State s = state;
    return s.order().stream().map(t -> s.entries().get(t).result()).toList();
  }

  /** Every replica probed so far with its derived flags, in the order they were first probed. */
  public List<TargetStatus> statuses() {
    State s = state;
    Instant now = clock.instant();
    List<TargetStatus> statuses = new ArrayList<>();
    for (URI target : s.order()) {
      statuses.add(status(s, target, now));
    }
    return statuses;
  }

  /** One replica's status, if it was probed. */
  public Optional<TargetStatus> status(URI target) {
    State s = state;
    return s.entries().containsKey(target)
        ? Optional.of(status(s, target, clock.instant()))
        : Optional.empty();
  }

  /** When the last round was recorded; empty before the first. */
  public Optional<Instant> lastRound() {
    return Optional.ofNullable(state.lastRound());
  }

  /** The clock rounds and verdicts are judged by. */
  Clock clock() {
    return clock;
  }

  /** How long a replica may be behind before it counts as lagging. */
  public Duration lagTolerance() {
    return lagTolerance;
  }

  private TargetStatus status(State s, URI target, Instant now) {
    Entry entry = s.entries().get(target);
    Instant behindSince = entry.behindSince();
    boolean lagging = behindSince != null && !now.isBefore(behindSince.plus(lagTolerance));
    return new TargetStatus(
        target,
        entry.result(),
        lagging,
        behindSince,
        s.diverged().contains(target),
        entry.lastSuccess());
  }

  private static long highest(
      List<ProbeResult> results,
      Predicate<ProbeResult> available,
      ToLongFunction<ProbeResult> revision) {
    return results.stream().filter(available).mapToLong(revision).max().orElse(0);
  }

  /** The targets that share a revision with another target but not its tag. */
  private static Set<URI> diverged(
      List<ProbeResult> results,
      Predicate<ProbeResult> available,
      ToLongFunction<ProbeResult> revision,
      Function<ProbeResult, String> tag) {
    Map<Long, Map<String, List<URI>>> byRevision = new HashMap<>();
    for (ProbeResult r : results) {
      if (available.test(r) && tag.apply(r) != null) {
        byRevision
            .computeIfAbsent(revision.applyAsLong(r), k -> new HashMap<>())
            .computeIfAbsent(tag.apply(r), k -> new ArrayList<>())
            .add(r.target());
      }
    }
    Set<URI> diverged = new HashSet<>();
    for (Map<String, List<URI>> tags : byRevision.values()) {
      if (tags.size() > 1) {
        tags.values().forEach(diverged::addAll);
      }
    }
    return diverged;
  }

  private record Entry(ProbeResult result, Instant lastSuccess, Instant behindSince) {}

  private record State(
      Map<URI, Entry> entries, Instant lastRound, Set<URI> diverged, List<URI> order) {
    State(Map<URI, Entry> entries, Instant lastRound) {
      this(entries, lastRound, Set.of(), List.of());
    }
  }
}
