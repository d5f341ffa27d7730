package io.holdfast.server.rollout;

import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.StoreUnavailableException;
import io.holdfast.server.window.ChangeDeliveries;
import io.holdfast.server.window.FleetTimings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives rollouts: starts approved changes, judges each rolling-out change with its current ring's
 * {@link HealthGate}, promotes it when the gate passes, and backs it out when it fails.
 *
 * <p>Every replica runs an engine, but only the one holding the {@link #LEASE} lease in the store
 * acts; the others keep trying to take it, and one does once the holder stops renewing it (it died,
 * or lost the store). All the engine's state is in the store: the ring a change bakes in and when
 * it was released. A restarted or newly leading engine therefore resumes exactly where the last one
 * stopped, and every transition it makes is fenced by its lease token and compare-and-set on the
 * change's version, so no ring is released twice or skipped even if two engines briefly both
 * believe they lead.
 *
 * <p>A {@link #tick()} is one pass over the changes; {@link #start(Duration)} runs ticks on a
 * daemon thread, and tests call it directly with a driven clock. Thread-safe: ticks are serialised
 * by {@code ticking}.
 *
 * <p>Shutdown does not wait for a tick: a tick makes a dozen database calls, and a replica being
 * stopped should hand the lease over at once. {@link #close()} sets {@code closed}; a tick looks at
 * it between steps and stops early. Whoever is last gives up the lease: {@code close()} if no tick
 * runs (it takes {@code ticking} without waiting), else the tick as it ends (it looks at {@code
 * closed} again after letting go of {@code ticking}). Both look after the other's step, so the
 * lease is always given up, and a tick never takes it once closed is seen.
 */
public final class RolloutEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);

  /** The name of the leader lease. */
  public static final String LEASE = "rollouts";

  private static final int MAX_CHANGES_PER_TICK = 1000;

  /**
   * How far ahead an instance's change window must open: a change that one of the ring's instances
   * cannot receive within it (a window that never opens, or a blackout longer than this) fails the
   * ring's gate rather than waiting for ever.
   */
  public static final Duration WINDOW_BOUND = Duration.ofDays(31);

  private final RolloutStore rollouts;
  private final ConfigStore store;
  private final Clock clock;
  private final String holder;
  private final Duration leaseTtl;
  private final Runnable afterWrite;
  private final Consumer<String> backOuts;
  private final ReentrantLock ticking = new ReentrantLock();
  private final Object lifecycle = new Object();
  private ScheduledExecutorService schedule;
  private volatile boolean closed;
  private volatile boolean leader;
  private volatile int active;
  private volatile int waitingForWindows;

  /**
   * @param holder this replica's name in the lease; unique among replicas
   * @param afterWrite run after every transition, to serve it from this replica at once
   * @param backOuts told of each back-out with its trigger ({@code gate} or {@code operator})
   */
  public RolloutEngine(
      RolloutStore rollouts,
      ConfigStore store,
      Clock clock,
      String holder,
      Duration leaseTtl,
      Runnable afterWrite,
      Consumer<String> backOuts) {
    this.rollouts = rollouts;
    this.store = store;
    this.clock = clock;
    this.holder = holder;
    this.leaseTtl = leaseTtl;
    this.afterWrite = afterWrite;
    this.backOuts = backOuts;
  }

  /** The name this engine takes the lease under. */
  public String holder() {
    return holder;
  }

  /** Whether this engine held the lease at its last tick. */
  public boolean leader() {
    return leader;
  }

  /** Changes rolling out at the last tick this engine led. */
  public int active() {
    return active;
  }

  /** Instances that waited for their change window at the last tick this engine led. */
  public int waitingForWindows() {
    return waitingForWindows;
  }

  /** Runs a tick every {@code interval} until closed. */
  public void start(Duration interval) {
    synchronized (lifecycle) {
      if (schedule != null || closed) {
        throw new IllegalStateException(closed ? "closed" : "already started");
      }
      schedule =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "holdfast-rollout-engine");
                t.setDaemon(true);
                return t;
              });
      schedule.scheduleWithFixedDelay(
          this::tickQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      if (closed) {
        LOG.debug("rollout engine tick ended by shutdown", e);
      } else {
        LOG.warn("rollout engine tick failed; retrying at the next one", e);
      }
    }
  }

  /**
   * One pass: take or renew the lease, then act on every rolling-out change and start approved
   * ones. Returns what it did, one line per transition, for logs and tests.
   */
  public List<String> tick() {
    ticking.lock();
    try {
      return closed ? List.of() : tickHoldingLock();
    } finally {
      ticking.unlock();
      releaseLeaseIfClosed();
    }
  }

  private List<String> tickHoldingLock() {
    Optional<Lease> held;
    try {
      held = rollouts.acquireLease(LEASE, holder, leaseTtl);
    } catch (StoreUnavailableException e) {
      leader = false;
      LOG.warn("rollout engine cannot reach the store: {}", e.getMessage());
      return List.of();
    }
    if (held.isEmpty()) {
      if (leader) {
        LOG.info("rollout engine {} no longer leads", holder);
      }
      leader = false;
      return List.of();
    }
    if (!leader) {
      LOG.info("rollout engine {} leads (lease token {})", holder, held.get().token());
    }
    leader = true;
    Lease lease = held.get();
    List<String> actions = new ArrayList<>();
    try {
      drive(lease, actions);
    } catch (LeaseLostException e) {
      leader = false;
      LOG.warn("rollout engine {} lost its lease mid-tick: {}", holder, e.getMessage());
    } finally {
      if (!actions.isEmpty()) {
        afterWrite.run();
      }
    }
    return actions;
  }

  private void drive(Lease lease, List<String> actions) {
    boolean frozen = rollouts.freeze().isPresent();
    Map<String, RingPolicy> rings = new HashMap<>();
    List<RingPolicy> order = rollouts.ringPolicies();
    for (RingPolicy ring : order) {
      rings.put(ring.ring(), ring);
    }
    List<ChangeRequest> rolling = oldestFirst(ChangeState.ROLLING_OUT);
    active = rolling.size();
    if (rolling.isEmpty()) {
      waitingForWindows = 0;
    } else {
      List<ChangeDeliveries.Waiting> waiting = rollouts.waitingDeliveries();
      FleetTimings timings = waiting.isEmpty() ? FleetTimings.NONE : rollouts.fleetTimings();
      int delivered = frozen ? 0 : deliverWhereOpen(rolling, waiting, timings, lease, actions);
      List<Instance> instances = store.listInstances();
      Map<String, String> ringOf = new HashMap<>();
      for (Instance instance : instances) {
        ringOf.put(instance.id(), instance.ring());
      }
      Map<String, Heartbeat> heartbeats = HealthGate.byInstance(store.latestHeartbeats());
      for (ChangeRequest change : rolling) {
        if (closed) {
          return; // shutting down: the next leader judges what is left
        }
        RingPolicy ring = rings.get(change.currentRing());
        // Read even when nobody waits: instances delivered late are judged from their delivery.
        RingDeliveries deliveries =
            RingDeliveries.read(rollouts, change, ringOf, timings, clock.instant());
        GateVerdict verdict =
            HealthGate.evaluate(ring, change, instances, heartbeats, clock.instant(), deliveries);
        act(change, verdict, order, frozen, lease, actions);
      }
      // Every ring's, not only the rings changes bake in: a manual promotion leaves some behind.
      waitingForWindows = waiting.size() - delivered;
    }
    if (!frozen && !closed) {
      for (ChangeRequest change : oldestFirst(ChangeState.APPROVED)) {
        if (closed) {
          return;
        }
        if (!change.paused()) {
          transition(
              actions,
              change,
              "started in ring " + order.get(0).ring(),
              () ->
                  rollouts.releaseNext(
                      change.id(), change.version(), ReleaseMode.GATE, actor(), lease));
        }
      }
    }
  }

  /**
   * Gives each rolling-out change to the instances that waited for it and whose window is open now,
   * one write per change. A paused change waits with them: pausing stops a change spreading.
   * Returns how many were delivered.
   */
  private int deliverWhereOpen(
      List<ChangeRequest> rolling,
      List<ChangeDeliveries.Waiting> waiting,
      FleetTimings timings,
      Lease lease,
      List<String> actions) {
    if (waiting.isEmpty()) {
      return 0;
    }
    Map<Long, ChangeRequest> byId = new HashMap<>();
    for (ChangeRequest change : rolling) {
      byId.put(change.id(), change);
    }
    Instant now = clock.instant();
    Map<Long, List<String>> open = new LinkedHashMap<>();
    for (ChangeDeliveries.Waiting instance : waiting) {
      ChangeRequest change = byId.get(instance.change());
      if (change != null
          && !change.paused()
          && timings.schedule(instance.instance(), instance.ring()).isOpen(now)) {
        open.computeIfAbsent(instance.change(), c -> new ArrayList<>()).add(instance.instance());
      }
    }
    int total = 0;
    for (Map.Entry<Long, List<String>> change : open.entrySet()) {
      if (closed) {
        return total;
      }
      int delivered = rollouts.deliver(change.getKey(), change.getValue(), actor(), lease);
      total += delivered;
      if (delivered > 0) {
        String line =
            "change "
                + change.getKey()
                + " reached "
                + delivered
                + " instances as their windows opened";
        LOG.info("rollout: {}", line);
        actions.add(line);
      }
    }
    return total;
  }

  private void act(
      ChangeRequest change,
      GateVerdict verdict,
      List<RingPolicy> order,
      boolean frozen,
      Lease lease,
      List<String> actions) {
    switch (verdict.decision()) {
      case FAIL -> {
        // Backing out is never held by a pause or a freeze: it is what a freeze is waiting for.
        String reason =
            "automatic back-out in ring " + change.currentRing() + ": " + verdict.reason();
        if (transition(
            actions,
            change,
            "backed out: " + verdict.reason(),
            () -> rollouts.backOut(change.id(), change.version(), reason, actor(), lease))) {
          backOuts.accept("gate");
        }
      }
      case PASS -> {
        if (change.paused() || frozen) {
          return;
        }
        Optional<RingPolicy> next =
            order.stream().filter(r -> !change.releasedTo(r.ring())).findFirst();
        if (next.isPresent()) {
          transition(
              actions,
              change,
              "promoted to ring " + next.get().ring() + ": " + verdict.reason(),
              () ->
                  rollouts.releaseNext(
                      change.id(), change.version(), ReleaseMode.GATE, actor(), lease));
        } else if (rollouts.waitingDeliveries().stream()
            .noneMatch(w -> w.change() == change.id())) {
          // Completing publishes the change to everyone: not while an instance of an earlier ring
          // (passed by an operator's promotion) still waits for its window.
          transition(
              actions,
              change,
              "completed: " + verdict.reason(),
              () ->
                  rollouts.complete(
                      change.id(),
                      change.version(),
                      "completed: " + verdict.reason(),
                      actor(),
                      lease));
        }
      }
      case WAIT -> {}
    }
  }

  /** Runs one transition; a change an operator moved meanwhile is left for the next tick. */
  private boolean transition(
      List<String> actions, ChangeRequest change, String what, Runnable write) {
    try {
      write.run();
      String line = "change " + change.id() + " " + what;
      LOG.info("rollout: {}", line);
      actions.add(line);
      return true;
    } catch (ProblemException e) {
      LOG.info("rollout: change {} not moved ({}); will look again", change.id(), e.getMessage());
      return false;
    }
  }

  private List<ChangeRequest> oldestFirst(ChangeState state) {
    List<ChangeRequest> changes =
        new ArrayList<>(rollouts.listChanges(List.of(state), MAX_CHANGES_PER_TICK));
    Collections.reverse(changes);
    return changes;
  }

  private String actor() {
    return "rollout-engine@" + holder;
  }

  /**
   * Stops ticking and gives up the lease so another replica takes over without waiting it out. Does
   * not wait for a tick in progress: that tick stops at its next step and gives up the lease itself
   * (see the class comment).
   */
  @Override
  public void close() {
    closed = true;
    ScheduledExecutorService stopping;
    synchronized (lifecycle) {
      stopping = schedule;
      schedule = null;
    }
    if (stopping != null) {
      stopping.shutdown(); // no interrupt: a tick in progress ends at its next step, not inside a
      // database call
    }
    releaseLeaseIfClosed();
  }

  /** Gives up the lease once closed, unless a tick runs: that tick calls this again as it ends. */
  private void releaseLeaseIfClosed() {
    if (!closed || !ticking.tryLock()) {
      return;
    }
    try {
      if (leader) {
        leader = false;
        try {
          rollouts.releaseLease(LEASE, holder);
        } catch (RuntimeException e) {
          LOG.warn(
              "could not give up the rollout lease; it expires on its own: {}", e.getMessage());
        }
      }
    } finally {
      ticking.unlock();
    }
  }
}
