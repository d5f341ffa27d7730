package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.store.RingLayer;
import io.holdfast.server.subscription.SubscriptionEdit;
import io.holdfast.server.window.ChangeDeliveries;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.FleetTimings;
import io.holdfast.server.window.WindowSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable state of staged rollouts: change requests, their approvals and ring releases, ring gates,
 * namespace schemas, the freeze and the leader lease.
 *
 * <p>Every transition is one transaction that appends one audit row, and every transition that
 * changes what instances are served (a release, a completion, a back-out) also appends one
 * revision. Transitions name the {@link ChangeRequest#version()} they start from and fail with
 * {@code CHANGE_CONFLICT} if another actor moved the change first, so a change is never released to
 * the same ring twice nor skips one. Transitions made by the engine also carry its lease and fail
 * with {@link LeaseLostException} once another replica holds it. Implementations are thread-safe.
 */
public interface RolloutStore {

  /** Every ring in rollout order with its bake time and gate. */
  List<RingPolicy> ringPolicies();

  /**
   * Changes a ring's bake time and gate; a {@code null} argument keeps that part.
   *
   * @throws io.holdfast.server.problem.ProblemException {@code RING_NOT_FOUND}
   */
  RingPolicy updateRing(String ring, Duration bakeTime, RingGate gate, String actor);

  /**
   * Changes a ring's bake time and gate ({@code null} keeps each) and its change window, in one
   * transaction.
   *
   * @throws io.holdfast.server.problem.ProblemException {@code RING_NOT_FOUND}
   */
  RingPolicy updateRing(
      String ring,
      Duration bakeTime,
      RingGate gate,
      WindowSettings.Edit<ChangeWindow> window,
      String actor);

  /**
   * The layers rolling-out changes serve to the rings they have reached, as replicas serve them.
   */
  List<RingLayer> ringLayers();

  /** The namespace's JSON Schema, if it has one. */
  Optional<JsonNode> namespaceSchema(String namespace);

  /** Sets ({@code schema != null}) or removes the namespace's JSON Schema. */
  void setNamespaceSchema(String namespace, JsonNode schema, String actor);

  /**
   * Stores a new change in state {@code draft}, or {@code approved} at once when no approval is
   * required. An edit without a base revision is pinned to the layer's published revision now, a
   * subscription change to the subscription's revision now; a new subscription gets its id.
   * Subscription edits are checked as the subscription writes themselves are (counts, period, no
   * overlap, nothing cancelled changes).
   *
   * @throws io.holdfast.server.problem.ProblemException {@code NAMESPACE_NOT_FOUND}, {@code
   *     RING_NOT_FOUND}, {@code INSTANCE_NOT_FOUND}, or {@code CHANGE_CONFLICT} when approval is
   *     immediate and a layer is stale or held by another change
   */
  ChangeRequest createChange(
      String description,
      List<ChangeEdit> edits,
      List<SubscriptionEdit> subscriptionEdits,
      int requiredApprovals,
      String actor);

  Optional<ChangeRequest> findChange(long id);

  /** Changes newest first; {@code states} empty means all. */
  List<ChangeRequest> listChanges(List<ChangeState> states, int limit);

  /**
   * Records {@code approver}'s approval of a draft; with enough approvals the change becomes {@code
   * approved}, which holds its layers.
   *
   * @throws io.holdfast.server.problem.ProblemException {@code CHANGE_NOT_FOUND}, {@code FORBIDDEN}
   *     for the author or a second approval by the same approver, {@code CHANGE_CONFLICT} when the
   *     change is not a draft, a layer moved on since the edit was written, or another change holds
   *     a layer
   */
  ChangeRequest approve(long id, String approver, String comment);

  /** Every window setting of the fleet (issue 22). */
  FleetTimings fleetTimings();

  /** Every instance that waits for its change window, for changes still rolling out. */
  List<ChangeDeliveries.Waiting> waitingDeliveries();

  /** The instances of {@code ring} held back from change {@code id} at its release, by instance. */
  Map<String, ChangeDeliveries.Delivery> heldInRing(long id, String ring);

  /**
   * Gives rolling-out change {@code id} to those of {@code instances} that wait for their window,
   * at one new revision; returns how many. Fenced by the engine's lease.
   *
   * @throws LeaseLostException if another replica holds the lease now
   */
  int deliver(long id, Collection<String> instances, String actor, Lease lease);

  /** Ends a draft or approved change without it reaching any ring. */
  ChangeRequest cancel(long id, String reason, String actor);

  /**
   * Releases the change to the next ring in order (the first, if it has reached none): its
   * instances are served the change from the new revision on.
   *
   * @param lease the engine's lease, or {@code null} for an operator's action
   * @throws io.holdfast.server.problem.ProblemException {@code CHANGE_CONFLICT} if the change moved
   *     since {@code expectedVersion}, is not approved or rolling out, or has reached every ring
   */
  ChangeRequest releaseNext(
      long id, long expectedVersion, ReleaseMode mode, String actor, Lease lease);

  /**
   * Ends a change that has reached every ring: its edits become the published layers at a new
   * revision, for every ring, present and future.
   */
  ChangeRequest complete(long id, long expectedVersion, String outcome, String actor, Lease lease);

  /**
   * Takes a rolling-out change back by fixing forward: the layers it edited are published again
   * with the content they had before it, at a new revision higher than any the change was served
   * at, so clients accept it.
   */
  ChangeRequest backOut(long id, long expectedVersion, String reason, String actor, Lease lease);

  /**
   * Releases every ring the change has not reached and completes it, in one revision, ignoring bake
   * times and gates.
   */
  ChangeRequest hotfix(long id, long expectedVersion, String reason, String actor);

  ChangeRequest setPaused(long id, long expectedVersion, boolean paused, String actor);

  Optional<Freeze> freeze();

  /** Freezes rollouts; freezing again replaces the reason. */
  Freeze setFreeze(String reason, String actor);

  /** Lifts the freeze; does nothing if there is none. */
  void lift(String actor);

  /**
   * Takes or renews the named lease for {@code holder} until now + {@code ttl}; empty if another
   * holder's lease has not expired.
   */
  Optional<Lease> acquireLease(String name, String holder, Duration ttl);

  /** Gives the lease up at once if {@code holder} holds it, so another replica takes over. */
  void releaseLease(String name, String holder);
}
