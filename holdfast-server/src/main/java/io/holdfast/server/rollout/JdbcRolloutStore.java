package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.server.store.NamespaceTable;
import io.holdfast.server.store.OpenChanges;
import io.holdfast.server.store.RingLayer;
import io.holdfast.server.store.Transactions;
import io.holdfast.server.subscription.SubscriptionEdit;
import io.holdfast.server.window.ChangeDeliveries;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.FleetTimings;
import io.holdfast.server.window.WindowSettings;
import io.holdfast.server.window.WindowWrites;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link RolloutStore} over JDBC, on the same database and with the same transaction discipline as
 * {@link JdbcConfigStore}: every transition is one transaction with its audit row and, when it
 * changes what instances are served, its revision. This class only runs the transactions; the rules
 * of each transition are in the classes named for what they do ({@link DraftWrites} before a change
 * reaches a ring, {@link RingReleaseWrites} for the release path, {@link ChangeEndWrites} for
 * completing and backing out, {@link RolloutPolicyWrites} for ring policies, schemas and the
 * freeze), and the SQL in the table classes they compose ({@link ChangeTables}, {@link
 * ChangeQueries}, {@link LeaseTable}, {@link FreezeTable}, {@link RingPolicyTable}, ...).
 *
 * <p>A rolling-out change is served to the rings it has reached straight from its edits (see {@link
 * OpenChanges#ringLayers}); its content only becomes a published layer version when it completes,
 * and a back-out publishes the content from before it. Thread-safe: no mutable state of its own.
 */
public final class JdbcRolloutStore implements RolloutStore {

  private final Transactions transactions;

  /**
   * The clock at the millisecond the database stores. The writes are handed the clock rather than
   * one instant because an ending reads it again after its revision (see {@link
   * ChangeTransitions#end}).
   */
  private final InstantSource time;

  public JdbcRolloutStore(Database database, Clock clock) {
    this.transactions = new Transactions(Objects.requireNonNull(database, "database"));
    Objects.requireNonNull(clock, "clock");
    this.time = () -> clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  // ---------------------------------------------------------------- rings and schemas

  @Override
  public List<RingPolicy> ringPolicies() {
    return transactions.read(RingPolicyTable::all);
  }

  @Override
  public RingPolicy updateRing(String ring, Duration bakeTime, RingGate gate, String actor) {
    return transactions.write(
        c -> RolloutPolicyWrites.updateRing(c, ring, bakeTime, gate, actor, time));
  }

  @Override
  public RingPolicy updateRing(
      String ring,
      Duration bakeTime,
      RingGate gate,
      WindowSettings.Edit<ChangeWindow> window,
      String actor) {
    return transactions.write(
        c -> {
          RingPolicy policy =
              bakeTime != null || gate != null
                  ? RolloutPolicyWrites.updateRing(c, ring, bakeTime, gate, actor, time)
                  : RingPolicyTable.find(c, ring)
                      .orElseThrow(
                          () ->
                              new ProblemException(
                                  ProblemType.RING_NOT_FOUND,
                                  "ring '" + ring + "' does not exist"));
          if (window.changes()) {
            WindowWrites.setRingWindow(c, ring, window.value(), actor, time.instant());
          }
          return policy;
        });
  }

  @Override
  public List<RingLayer> ringLayers() {
    return transactions.read(OpenChanges::ringLayers);
  }

  @Override
  public Optional<JsonNode> namespaceSchema(String namespace) {
    return transactions.read(c -> Optional.ofNullable(NamespaceTable.schema(c, namespace)));
  }

  @Override
  public void setNamespaceSchema(String namespace, JsonNode schema, String actor) {
    transactions.write(
        c -> {
          RolloutPolicyWrites.setNamespaceSchema(c, namespace, schema, actor, time);
          return null;
        });
  }

  // ---------------------------------------------------------------- change requests

  @Override
  public ChangeRequest createChange(
      String description,
      List<ChangeEdit> edits,
      List<SubscriptionEdit> subscriptionEdits,
      int requiredApprovals,
      String actor) {
    return transactions.write(
        c ->
            DraftWrites.create(
                c, description, edits, subscriptionEdits, requiredApprovals, actor, time));
  }

  @Override
  public FleetTimings fleetTimings() {
    return transactions.readTransaction(FleetTimings::read);
  }

  @Override
  public List<ChangeDeliveries.Waiting> waitingDeliveries() {
    return transactions.readTransaction(ChangeDeliveries::waiting);
  }

  @Override
  public Map<String, ChangeDeliveries.Delivery> heldInRing(long id, String ring) {
    return transactions.readTransaction(c -> ChangeDeliveries.ofRing(c, id, ring));
  }

  @Override
  public int deliver(long id, Collection<String> instances, String actor, Lease lease) {
    return transactions.write(c -> DeliveryWrites.deliver(c, id, instances, actor, lease, time));
  }

  @Override
  public Optional<ChangeRequest> findChange(long id) {
    return transactions.readTransaction(c -> ChangeQueries.find(c, id));
  }

  @Override
  public List<ChangeRequest> listChanges(List<ChangeState> states, int limit) {
    return transactions.readTransaction(c -> ChangeQueries.list(c, states, limit));
  }

  @Override
  public ChangeRequest approve(long id, String approver, String comment) {
    return transactions.write(c -> DraftWrites.approve(c, id, approver, comment, time));
  }

  @Override
  public ChangeRequest cancel(long id, String reason, String actor) {
    return transactions.write(c -> DraftWrites.cancel(c, id, reason, actor, time));
  }

  @Override
  public ChangeRequest releaseNext(
      long id, long expectedVersion, ReleaseMode mode, String actor, Lease lease) {
    return transactions.write(
        c -> RingReleaseWrites.releaseNext(c, id, expectedVersion, mode, actor, lease, time));
  }

  @Override
  public ChangeRequest complete(
      long id, long expectedVersion, String outcome, String actor, Lease lease) {
    return transactions.write(
        c -> ChangeEndWrites.complete(c, id, expectedVersion, outcome, actor, lease, time));
  }

  @Override
  public ChangeRequest backOut(
      long id, long expectedVersion, String reason, String actor, Lease lease) {
    return transactions.write(
        c -> ChangeEndWrites.backOut(c, id, expectedVersion, reason, actor, lease, time));
  }

  @Override
  public ChangeRequest hotfix(long id, long expectedVersion, String reason, String actor) {
    return transactions.write(
        c -> RingReleaseWrites.hotfix(c, id, expectedVersion, reason, actor, time));
  }

  @Override
  public ChangeRequest setPaused(long id, long expectedVersion, boolean paused, String actor) {
    return transactions.write(
        c -> RingReleaseWrites.setPaused(c, id, expectedVersion, paused, actor, time));
  }

  // ---------------------------------------------------------------- freeze

  @Override
  public Optional<Freeze> freeze() {
    return transactions.read(FreezeTable::find);
  }

  @Override
  public Freeze setFreeze(String reason, String actor) {
    return transactions.write(c -> RolloutPolicyWrites.setFreeze(c, reason, actor, time));
  }

  @Override
  public void lift(String actor) {
    transactions.write(
        c -> {
          RolloutPolicyWrites.lift(c, actor, time);
          return null;
        });
  }

  // ---------------------------------------------------------------- lease

  @Override
  public Optional<Lease> acquireLease(String name, String holder, Duration ttl) {
    return transactions.write(c -> LeaseTable.acquire(c, name, holder, ttl, time.instant()));
  }

  @Override
  public void releaseLease(String name, String holder) {
    transactions.write(
        c -> {
          LeaseTable.release(c, name, holder);
          return null;
        });
  }
}
