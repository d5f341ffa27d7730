package io.holdfast.server.rollout;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.subscription.SubscriptionEdit;
import io.holdfast.server.window.ChangeDeliveries;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.FleetTimings;
import io.holdfast.server.window.WindowSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What operators do with change requests, checked before the store is asked: a change must change
 * something and satisfy every schema before it is stored and again before it is approved (a schema
 * may have been set in between). Manual controls act on whichever replica receives them; the
 * store's compare-and-set keeps them and the engine from both moving a change from the same state.
 * Thread-safe.
 */
public final class Changes {

  private final ConfigStore store;
  private final RolloutStore rollouts;
  private final int requiredApprovals;
  private final Clock clock;
  private final Consumer<String> backOuts;

  /**
   * @param requiredApprovals approvals a change needs before it rolls out: 0, 1 or 2
   * @param backOuts told of each operator back-out, as the engine tells of its own
   */
  public Changes(
      ConfigStore store,
      RolloutStore rollouts,
      int requiredApprovals,
      Clock clock,
      Consumer<String> backOuts) {
    if (requiredApprovals < 0 || requiredApprovals > 2) {
      throw new IllegalArgumentException(
          "required approvals must be 0, 1 or 2, was " + requiredApprovals);
    }
    this.store = store;
    this.rollouts = rollouts;
    this.requiredApprovals = requiredApprovals;
    this.clock = clock;
    this.backOuts = backOuts;
  }

  public int requiredApprovals() {
    return requiredApprovals;
  }

  /** The newest {@code limit} changes in {@code states} (any state when empty), newest first. */
  public List<ChangeRequest> list(List<ChangeState> states, int limit) {
    return rollouts.listChanges(states, limit);
  }

  /** Every ring with its bake time and gate, in rollout order. */
  public List<RingPolicy> ringPolicies() {
    return rollouts.ringPolicies();
  }

  /** The ring named {@code ring}; {@code RING_NOT_FOUND} if there is none. */
  public RingPolicy ringPolicy(String ring) {
    return ringPolicies().stream()
        .filter(r -> r.ring().equals(ring))
        .findFirst()
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.RING_NOT_FOUND, "ring '" + ring + "' does not exist"));
  }

  /** Changes a ring's bake time or gate; {@code null} leaves either as it is. */
  public RingPolicy updateRing(String ring, Duration bakeTime, RingGate gate, String actor) {
    return rollouts.updateRing(ring, bakeTime, gate, actor);
  }

  /**
   * Changes a ring's bake time and gate ({@code null} keeps each) and its change window, all or
   * nothing.
   */
  public RingPolicy updateRing(
      String ring,
      Duration bakeTime,
      RingGate gate,
      WindowSettings.Edit<ChangeWindow> window,
      String actor) {
    return rollouts.updateRing(ring, bakeTime, gate, window, actor);
  }

  /** The freeze in force, if rollouts are frozen. */
  public Optional<Freeze> currentFreeze() {
    return rollouts.freeze();
  }

  /** Freezes every rollout, or changes the reason of the freeze in force. */
  public Freeze freeze(String reason, String actor) {
    return rollouts.setFreeze(reason, actor);
  }

  /** Lifts the freeze; does nothing if there is none. */
  public void liftFreeze(String actor) {
    rollouts.lift(actor);
  }

  public DryRun.Report dryRun(List<ChangeEdit> edits, List<SubscriptionEdit> subscriptionEdits) {
    return DryRun.of(edits, subscriptionEdits, store, rollouts);
  }

  /** How {@code edits}, with every change in flight, would break their namespaces' schemas. */
  public List<String> schemaViolations(List<ChangeEdit> edits) {
    return DryRun.schemaViolations(edits, store, rollouts);
  }

  /**
   * @throws ProblemException {@code NO_PENDING_CHANGES} if no effective document would change,
   *     {@code SCHEMA_VIOLATION} listing what would break a schema
   */
  public ChangeRequest create(
      String description,
      List<ChangeEdit> edits,
      List<SubscriptionEdit> subscriptionEdits,
      String actor) {
    check(dryRun(edits, subscriptionEdits));
    return rollouts.createChange(description, edits, subscriptionEdits, requiredApprovals, actor);
  }

  public ChangeRequest approve(long id, String approver, String comment) {
    ChangeRequest change = require(id);
    if (change.state() == ChangeState.DRAFT) {
      List<String> violations = schemaViolations(change.edits());
      if (!violations.isEmpty()) {
        throw schemaViolation(violations);
      }
    }
    return rollouts.approve(id, approver, comment);
  }

  /**
   * Releases the next ring now, bake and gate notwithstanding; completes after the last ring.
   *
   * @param expectedVersion the version the operator saw, or {@code null} for whatever is current;
   *     with it, a change the engine moved meanwhile is not promoted a second ring by mistake
   */
  public ChangeRequest promote(long id, Long expectedVersion, String actor) {
    ChangeRequest change = require(id, expectedVersion);
    if (change.state() == ChangeState.ROLLING_OUT
        && rollouts.ringPolicies().stream().allMatch(r -> change.releasedTo(r.ring()))) {
      if (rollouts.freeze().isPresent()) {
        throw new ProblemException(
            ProblemType.ROLLOUTS_FROZEN,
            "rollouts are frozen: " + rollouts.freeze().get().reason());
      }
      return rollouts.complete(id, change.version(), "completed early by " + actor, actor, null);
    }
    return rollouts.releaseNext(id, change.version(), ReleaseMode.MANUAL, actor, null);
  }

  public ChangeRequest pause(long id, Long expectedVersion, String actor) {
    return rollouts.setPaused(id, require(id, expectedVersion).version(), true, actor);
  }

  public ChangeRequest resume(long id, Long expectedVersion, String actor) {
    return rollouts.setPaused(id, require(id, expectedVersion).version(), false, actor);
  }

  public ChangeRequest backOut(long id, Long expectedVersion, String reason, String actor) {
    ChangeRequest backedOut =
        rollouts.backOut(id, require(id, expectedVersion).version(), reason, actor, null);
    backOuts.accept("operator");
    return backedOut;
  }

  public ChangeRequest hotfix(long id, Long expectedVersion, String reason, String actor) {
    return rollouts.hotfix(id, require(id, expectedVersion).version(), reason, actor);
  }

  public ChangeRequest cancel(long id, Long expectedVersion, String reason, String actor) {
    require(id, expectedVersion);
    return rollouts.cancel(id, reason, actor);
  }

  /**
   * For each ring a rolling-out change has reached, how many of its instances have the change and
   * how many wait for their change window, and when the next window opens; empty when it is not
   * rolling out.
   */
  public List<RingWindowStatus> windows(ChangeRequest change) {
    if (change.state() != ChangeState.ROLLING_OUT) {
      return List.of();
    }
    Map<String, Integer> perRing = new HashMap<>();
    Map<String, String> ringOf = new HashMap<>();
    for (Instance instance : store.listInstances()) {
      perRing.merge(instance.ring(), 1, Integer::sum);
      ringOf.put(instance.id(), instance.ring());
    }
    Instant now = clock.instant();
    FleetTimings timings = null;
    List<RingWindowStatus> status = new ArrayList<>();
    for (RingRelease release : change.releases()) {
      String ring = release.ring();
      int waiting = 0;
      Instant next = null;
      String nextInstance = null;
      for (ChangeDeliveries.Delivery delivery : rollouts.heldInRing(change.id(), ring).values()) {
        if (!delivery.waiting() || !ring.equals(ringOf.get(delivery.instance()))) {
          continue;
        }
        waiting++;
        timings = timings == null ? rollouts.fleetTimings() : timings;
        Optional<Instant> opens =
            timings
                .schedule(delivery.instance(), ring)
                .nextOpening(now, RolloutEngine.WINDOW_BOUND);
        if (opens.isPresent() && (next == null || opens.get().isBefore(next))) {
          next = opens.get();
          nextInstance = delivery.instance();
        }
      }
      int instances = perRing.getOrDefault(ring, 0);
      Optional<String> first = Optional.ofNullable(nextInstance);
      FleetTimings zones = timings;
      status.add(
          new RingWindowStatus(
              ring,
              instances,
              instances - waiting,
              waiting,
              Optional.ofNullable(next),
              first,
              first.map(i -> zones.schedule(i, ring).zone())));
    }
    return status;
  }

  /** The gate's verdict on the change right now, if it is rolling out. */
  public Optional<GateVerdict> gate(ChangeRequest change) {
    if (change.state() != ChangeState.ROLLING_OUT) {
      return Optional.empty();
    }
    Optional<RingPolicy> ring =
        rollouts.ringPolicies().stream()
            .filter(r -> r.ring().equals(change.currentRing()))
            .findFirst();
    if (ring.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Heartbeat> heartbeats = HealthGate.byInstance(store.latestHeartbeats());
    List<Instance> instances = store.listInstances();
    Map<String, String> ringOf = new HashMap<>();
    for (Instance instance : instances) {
      ringOf.put(instance.id(), instance.ring());
    }
    Instant now = clock.instant();
    RingDeliveries deliveries =
        RingDeliveries.read(rollouts, change, ringOf, rollouts.fleetTimings(), now);
    return Optional.of(
        HealthGate.evaluate(ring.get(), change, instances, heartbeats, now, deliveries));
  }

  /**
   * A change id as written in a URL.
   *
   * @throws ProblemException {@code CHANGE_NOT_FOUND} if it is not a positive whole number
   */
  public static long parseId(String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    String shown = text.length() <= 80 ? text : text.substring(0, 80) + "…";
    throw new ProblemException(
        ProblemType.CHANGE_NOT_FOUND,
        "change ids are positive whole numbers; '" + shown + "' is not one");
  }

  public ChangeRequest require(long id) {
    return rollouts
        .findChange(id)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.CHANGE_NOT_FOUND, "change " + id + " does not exist"));
  }

  /**
   * The change, which must be at {@code expectedVersion} if one is given.
   *
   * @throws ProblemException {@code PRECONDITION_FAILED} if it has moved on since
   */
  private ChangeRequest require(long id, Long expectedVersion) {
    ChangeRequest change = require(id);
    if (expectedVersion != null && change.version() != expectedVersion) {
      throw new ProblemException(
          ProblemType.PRECONDITION_FAILED,
          "change "
              + id
              + " is at version "
              + change.version()
              + " ("
              + change.state().wireName()
              + (change.currentRing() == null ? "" : " in ring " + change.currentRing())
              + "), not "
              + expectedVersion
              + ": it moved since you read it; read it again and decide again");
    }
    return change;
  }

  private static void check(DryRun.Report report) {
    if (!report.changesAnything()) {
      throw new ProblemException(
          ProblemType.NO_PENDING_CHANGES,
          "the change leaves every effective document as it is; nothing to roll out");
    }
    if (!report.violations().isEmpty()) {
      throw schemaViolation(report.violations());
    }
  }

  private static ProblemException schemaViolation(List<String> violations) {
    return new ProblemException(
        ProblemType.SCHEMA_VIOLATION,
        "the change would break the namespace's JSON Schema: " + String.join("; ", violations));
  }
}
