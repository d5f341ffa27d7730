package io.holdfast.server.metrics;

import io.holdfast.server.edge.EdgeConnections;
import io.holdfast.server.edge.EdgeServer;
import io.holdfast.server.fleet.Fleet;
import io.holdfast.server.fleet.FleetState;
import io.holdfast.server.fleet.FleetView;
import io.holdfast.server.fleet.HeartbeatWriter;
import io.holdfast.server.keyset.PublishedKeySets;
import io.holdfast.server.logging.FailureStreak;
import io.holdfast.server.probe.CheckOutcome;
import io.holdfast.server.probe.ProbeCheck;
import io.holdfast.server.probe.ProbeResults;
import io.holdfast.server.probe.TargetStatus;
import io.holdfast.server.rollout.RolloutEngine;
import io.holdfast.server.signing.ReplicaSigningKey;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.subscription.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The replica's metrics, in one Micrometer registry scraped by Prometheus at {@code /metrics}.
 *
 * <p>Design: gauges read the live objects (snapshot holder, watch limit, probe results) when
 * scraped, so nothing is updated on the request path except the request histogram ({@link
 * RequestMetrics}). No label carries an instance id, a namespace or a user: label values come from
 * small fixed sets (route templates, status codes, states), so the number of series stays bounded
 * however large the fleet. Names follow Prometheus conventions (base units, {@code _total}
 * counters), which {@code promtool check metrics} verifies in the tests. One per replica;
 * thread-safe.
 *
 * <p>The subscription figures are recomputed from the store under a {@link ReentrantLock}, not a
 * monitor: scrapes may run on virtual threads, and one blocked on a monitor held across a store
 * read pins its carrier on JDK 21 to 23. A failed recomputation keeps the last figures and is
 * logged once per streak ({@link FailureStreak}).
 */
public final class ServerMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Clock clock;
  private final Timer propagation;
  private final RequestMetrics requests = new RequestMetrics();
  private static final Duration USAGE_REFRESH = Duration.ofSeconds(5);

  private volatile Supplier<List<Usage>> usage;
  private final ReentrantLock usageRefresh = new ReentrantLock();
  private final FailureStreak usageFailures;

  /** Guarded by {@code usageRefresh}. */
  private Instant lastUsageRefresh;

  private MultiGauge overAllocated;
  private MultiGauge utilisation;

  public ServerMetrics(Clock clock) {
    this.clock = clock;
    this.usageFailures =
        new FailureStreak(
            LoggerFactory.getLogger(ServerMetrics.class),
            "recomputing the subscription metrics",
            Duration.ofMinutes(1),
            clock);
    // Two of Micrometer's standard meters break Prometheus naming rules (promtool check
    // metrics): a counter in nanoseconds, and a gauge named like a histogram's count.
    registry
        .config()
        .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
              }
            });
    // Registered with Prometheus's registry directly: it is updated on every request, and
    // cheaper there than as a Micrometer timer (RequestMetrics says why).
    registry.getPrometheusRegistry().register(requests);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    propagation =
        Timer.builder("holdfast.propagation")
            .description(
                "From a revision's publish to an instance's first heartbeat holding it, FRESH")
            .serviceLevelObjectives(
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(15),
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                Duration.ofMinutes(2),
                Duration.ofMinutes(5),
                Duration.ofMinutes(15),
                Duration.ofHours(1))
            .register(registry);
  }

  /** The request histogram: the filter that times every request on the instance port. */
  public RequestMetrics requests() {
    return requests;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The replica's trust in itself: its signing key's reloads, the freshness statement its checksums
   * carry, and whether the newest key set lists its key ({@link TrustMetrics}).
   */
  public void bindTrust(ReplicaSigningKey key, SnapshotHolder snapshots, PublishedKeySets keySets) {
    TrustMetrics trust = new TrustMetrics(registry, clock);
    trust.bindSigningKey(key);
    trust.bindStatement(snapshots);
    trust.bindKeyListing(key, keySets);
  }

  /** The revision served, the store's, the lag between them, and whether the store answers. */
  public void bindSnapshots(SnapshotHolder snapshots) {
    Gauge.builder("holdfast.replica.revision", snapshots, s -> revision(s.current()))
        .description("Revision of the snapshot this replica serves")
        .register(registry);
    Gauge.builder("holdfast.store.revision", snapshots, s -> (double) s.storeRevision())
        .description("Newest revision this replica has seen in the store (-1 before it answered)")
        .register(registry);
    Gauge.builder(
            "holdfast.replica.lag.revisions",
            snapshots,
            s -> s.storeRevision() < 0 ? 0 : Math.max(0, s.storeRevision() - revision(s.current())))
        .description("Revisions the served snapshot is behind the store")
        .register(registry);
    Gauge.builder("holdfast.store.up", snapshots, s -> s.storeFailingSince() == null ? 1 : 0)
        .description(
            "1 while the store answers, 0 while the replica serves from its snapshot alone")
        .register(registry);
    Gauge.builder(
            "holdfast.store.unreachable", snapshots, s -> unreachableSeconds(s.storeFailingSince()))
        .description("How long the store has been failing; 0 while it answers")
        .baseUnit("seconds")
        .register(registry);
    for (String phase : new String[] {"load", "build", "swap"}) {
      Gauge.builder(
              "holdfast.snapshot.refresh.last",
              snapshots,
              s -> refreshPhaseSeconds(s.lastRefresh(), phase))
          .description(
              "How long the last snapshot rebuild took, by phase: read the store, build, swap in and wake watchers")
          .baseUnit("seconds")
          .tag("phase", phase)
          .register(registry);
    }
    Gauge.builder(
            "holdfast.snapshot.instances",
            snapshots,
            s -> s.current() == null ? 0 : s.current().instances().size())
        .description("Instances in the served snapshot")
        .register(registry);
  }

  /** Long-poll watches waiting now, and the limit. */
  private static double refreshPhaseSeconds(SnapshotHolder.RefreshTimings timings, String phase) {
    if (timings == null) {
      return Double.NaN;
    }
    Duration d =
        switch (phase) {
          case "load" -> timings.load();
          case "build" -> timings.build();
          default -> timings.swap();
        };
    return d.toNanos() / 1e9;
  }

  public void bindWatchers(IntSupplier waiting, int max) {
    Gauge.builder("holdfast.watchers", waiting, IntSupplier::getAsInt)
        .description("Watch requests held open on this replica")
        .strongReference(true) // a method reference: nothing else holds it
        .register(registry);
    Gauge.builder("holdfast.watchers.limit", () -> max)
        .description("The most watch requests this replica holds at once (max-watchers)")
        .strongReference(true)
        .register(registry);
  }

  /**
   * The network edge: open connections against their cap, connections refused by a cap, ended by a
   * deadline or evicted, listener restarts and descriptor-exhaustion episodes (FAULTS F1, F2).
   */
  public void bindEdge(EdgeServer edge) {
    EdgeConnections connections = edge.connections();
    Gauge.builder("holdfast.connections", connections, EdgeConnections::open)
        .description("Connections open on the instance port")
        .register(registry);
    Gauge.builder("holdfast.connections.limit", connections, EdgeConnections::maxConnections)
        .description(
            "The most connections the instance port holds (max-connections, lowered to the descriptor budget)")
        .register(registry);
    FunctionCounter.builder(
            "holdfast.connections.refused", connections, EdgeConnections::refusedAtCapacity)
        .description(
            "Connections refused because max-connections was reached and no idle one could be evicted")
        .tag("cap", "total")
        .register(registry);
    FunctionCounter.builder(
            "holdfast.connections.refused", connections, EdgeConnections::refusedPerAddress)
        .description("Connections refused because their address held max-connections-per-address")
        .tag("cap", "per-address")
        .register(registry);
    for (EdgeConnections.Reason reason : EdgeConnections.Reason.values()) {
      FunctionCounter.builder("holdfast.connections.ended", connections, c -> c.ended(reason))
          .description("Connections the edge ended: past a deadline, or evicted to make room")
          .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
          .register(registry);
    }
    FunctionCounter.builder("holdfast.listener.restarts", edge, EdgeServer::restarts)
        .description("Times the instance listener was found dead (accept failed) and started again")
        .register(registry);
    FunctionCounter.builder("holdfast.descriptors.exhausted", edge, EdgeServer::exhaustionEpisodes)
        .description("Episodes in which the process ran out of file descriptors")
        .register(registry);
    Gauge.builder("holdfast.listener.accepting", edge, e -> e.accepting() ? 1 : 0)
        .description(
            "1 while the instance listener takes new connections (alive and under its cap)")
        .register(registry);
  }

  /**
   * Admission control's limit, and the counter of requests it refused with 503 {@code overloaded};
   * call the returned action once per refusal.
   */
  public Runnable bindAdmission(int max) {
    Counter refused =
        Counter.builder("holdfast.requests.refused")
            .description(
                "Instance requests refused with 503 overloaded by admission control (max-concurrent-requests)")
            .register(registry);
    Gauge.builder("holdfast.requests.concurrent.limit", () -> max)
        .description(
            "The most instance requests this replica serves at once (max-concurrent-requests)")
        .strongReference(true)
        .register(registry);
    return refused::increment;
  }

  /**
   * The fleet by state, the least grace remaining, and heartbeat ingestion. The fleet gauges read a
   * view at most a second old, so one scrape costs one store query.
   */
  public void bindFleet(Fleet fleet, HeartbeatWriter heartbeats) {
    for (FleetState state : FleetState.values()) {
      Gauge.builder(
              "holdfast.fleet.instances",
              fleet,
              f -> {
                FleetView view = f.recentView();
                return view == null ? Double.NaN : view.counts().get(state);
              })
          .description("Instances by the state their latest heartbeat reports")
          .tag("state", state.label())
          .register(registry);
    }
    Gauge.builder(
            "holdfast.fleet.grace.remaining.min",
            fleet,
            f -> {
              FleetView view = f.recentView();
              return view == null || view.minGraceRemaining() == null
                  ? Double.NaN
                  : view.minGraceRemaining().toSeconds();
            })
        .description("The least grace remaining among instances, estimated from their heartbeats")
        .baseUnit("seconds")
        .register(registry);
    FunctionCounter.builder("holdfast.heartbeats.received", heartbeats, HeartbeatWriter::received)
        .description("Heartbeats accepted by this replica")
        .register(registry);
    FunctionCounter.builder("holdfast.heartbeats.dropped", heartbeats, HeartbeatWriter::dropped)
        .description("Heartbeats refused because too many were waiting for a failing store")
        .register(registry);
    FunctionCounter.builder("holdfast.heartbeats.batches", heartbeats, HeartbeatWriter::batches)
        .description("Transactions that wrote heartbeats")
        .register(registry);
    Gauge.builder("holdfast.heartbeats.pending", heartbeats, HeartbeatWriter::pending)
        .description("Heartbeats waiting to be written")
        .register(registry);
  }

  /**
   * The synthetic probe's latest verdict per target: one gauge per check (1 passed, 0 not), how
   * many revisions the target serves behind the most advanced target, and whether it diverges.
   * Targets are the configured replicas, a small fixed set.
   */
  public void bindProbe(ProbeResults results, List<URI> targets) {
    for (URI target : targets) {
      String label = target.toString();
      for (ProbeCheck check : ProbeCheck.values()) {
        Gauge.builder(
                "holdfast.probe.success",
                results,
                r ->
                    r.status(target)
                        .map(s -> s.latest().outcome(check) == CheckOutcome.PASSED ? 1.0 : 0.0)
                        .orElse(Double.NaN))
            .description(
                "1 when the probe's last check of the target passed, 0 when it failed or could not run")
            .tag("target", label)
            .tag("check", check.label())
            .register(registry);
      }
      Gauge.builder("holdfast.probe.lag.revisions", results, r -> lag(r, target))
          .description("Revisions the target serves the canary behind the most advanced target")
          .tag("target", label)
          .register(registry);
      Gauge.builder(
              "holdfast.probe.diverged",
              results,
              r -> r.status(target).map(s -> s.diverged() ? 1.0 : 0.0).orElse(Double.NaN))
          .description("1 when the target serves another ETag than a peer for the same revision")
          .tag("target", label)
          .register(registry);
    }
  }

  private static double lag(ProbeResults results, URI target) {
    long newest = results.statuses().stream().mapToLong(TargetStatus::revision).max().orElse(0);
    return results
        .status(target)
        .map(s -> s.revision() == 0 ? Double.NaN : (double) Math.max(0, newest - s.revision()))
        .orElse(Double.NaN);
  }

  /**
   * A change was backed out on this replica: by the health gate ({@code gate}) or by an operator
   * ({@code operator}). The alert fires on gate back-outs.
   */
  public void recordBackout(String trigger) {
    Counter.builder("holdfast.rollout.backouts")
        .description("Changes backed out, by what triggered it")
        .tag("trigger", trigger)
        .register(registry)
        .increment();
  }

  /**
   * Whether this replica leads rollouts, and how many changes were rolling out when it last led.
   */
  public void bindRollouts(RolloutEngine engine) {
    Gauge.builder("holdfast.rollout.leader", engine, e -> e.leader() ? 1 : 0)
        .description("1 while this replica holds the rollout lease and drives rollouts")
        .register(registry);
    Gauge.builder("holdfast.rollouts.active", engine, e -> e.leader() ? e.active() : 0)
        .description("Changes rolling out, as seen by the leading replica (0 elsewhere)")
        .register(registry);
    Gauge.builder(
            "holdfast.rollout.instances.waiting.for.window",
            engine,
            e -> e.leader() ? e.waitingForWindows() : 0)
        .description(
            "Instances of rings that rolling-out changes have reached which wait for their change"
                + " window to open (issue 22); counted by the replica that leads rollouts")
        .register(registry);
    // Both triggers exist from the start, so a back-out shows as an increase from 0.
    Counter.builder("holdfast.rollout.backouts")
        .description("Changes backed out, by what triggered it")
        .tag("trigger", "gate")
        .register(registry);
    Counter.builder("holdfast.rollout.backouts")
        .description("Changes backed out, by what triggered it")
        .tag("trigger", "operator")
        .register(registry);
  }

  /** One instance acknowledged a published revision this long after its publish. */
  public void recordPropagation(Duration took) {
    propagation.record(took);
  }

  /**
   * Subscription utilisation by application, recomputed at each scrape from the subscriptions in
   * force and the seats the instances last reported: how many instances are over-allocated, and the
   * highest utilisation among them. Applications are a catalogue, a bounded set.
   */
  public void bindSubscriptions(Supplier<List<Usage>> usage) {
    this.usage = usage;
    this.overAllocated =
        MultiGauge.builder("holdfast.subscription.over.allocated.instances")
            .description("Instances using more seats of the application than quantity plus overage")
            .register(registry);
    this.utilisation =
        MultiGauge.builder("holdfast.subscription.utilisation")
            .description(
                "The highest seats-in-use to quantity ratio among instances, per application")
            .baseUnit("ratio")
            .register(registry);
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    refreshSubscriptions();
    return registry.scrape();
  }

  /**
   * At most once per {@link #USAGE_REFRESH}, one scrape at a time: a scrape during a store outage
   * must not wait on a failing query each time (Prometheus would time it out and lose {@code
   * holdfast_store_up} with it).
   */
  private void refreshSubscriptions() {
    usageRefresh.lock();
    try {
      Instant now = clock.instant();
      if (usage == null
          || (lastUsageRefresh != null
              && Duration.between(lastUsageRefresh, now).compareTo(USAGE_REFRESH) < 0)) {
        return;
      }
      lastUsageRefresh = now;
      List<Usage> rows;
      try {
        rows = usage.get();
        usageFailures.succeeded();
      } catch (RuntimeException e) {
        usageFailures.failed(
            e); // the last figures stay; holdfast_store_up says whether the store is down
        return;
      }
      register(rows);
    } finally {
      usageRefresh.unlock();
    }
  }

  private void register(List<Usage> rows) {
    Map<String, Long> over = new TreeMap<>();
    Map<String, Double> highest = new TreeMap<>();
    for (Usage row : rows) {
      over.merge(row.application(), row.overAllocated() ? 1L : 0L, Long::sum);
      if (row.utilisation() != null) {
        highest.merge(row.application(), row.utilisation(), Math::max);
      }
    }
    overAllocated.register(
        over.entrySet().stream()
            .map(e -> MultiGauge.Row.of(Tags.of("application", e.getKey()), e.getValue()))
            .toList(),
        true);
    utilisation.register(
        highest.entrySet().stream()
            .map(e -> MultiGauge.Row.of(Tags.of("application", e.getKey()), e.getValue()))
            .toList(),
        true);
  }

  private static double revision(EffectiveSnapshot snapshot) {
    return snapshot == null ? Double.NaN : snapshot.revision();
  }

  private double unreachableSeconds(Instant failingSince) {
    return failingSince == null
        ? 0
        : Math.max(0, Duration.between(failingSince, clock.instant()).toMillis() / 1000.0);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
