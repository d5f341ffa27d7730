package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AuditTable;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.InstanceTable;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.server.store.LayerTables;
import io.holdfast.server.store.LayerTables.StoredLayer;
import io.holdfast.server.store.NamespaceTable;
import io.holdfast.server.store.OpenChanges;
import io.holdfast.server.store.RevisionLog;
import io.holdfast.server.store.RingLayer;
import io.holdfast.server.store.Transactions;
import io.holdfast.server.subscription.SubscriptionEdit;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link RolloutStore} over JDBC, on the same database and with the same transaction discipline as
 * {@link JdbcConfigStore}: every transition is one transaction with its audit row and, when it
 * changes what instances are served, its revision. The SQL is in the table classes it composes
 * ({@link ChangeTables}, {@link ChangeQueries}, {@link LeaseTable}, {@link FreezeTable}, {@link
 * RingPolicyTable}, ...); this class holds the rules of each transition.
 *
 * <p>A rolling-out change is served to the rings it has reached straight from its edits (see {@link
 * OpenChanges#ringLayers}); its content only becomes a published layer version when it completes,
 * and a back-out publishes the content from before it. Thread-safe: no mutable state of its own.
 */
public final class JdbcRolloutStore implements RolloutStore {

  private final Transactions transactions;
  private final Clock clock;

  public JdbcRolloutStore(Database database, Clock clock) {
    this.transactions = new Transactions(Objects.requireNonNull(database, "database"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---------------------------------------------------------------- rings and schemas

  @Override
  public List<RingPolicy> ringPolicies() {
    return transactions.read(RingPolicyTable::all);
  }

  @Override
  public RingPolicy updateRing(String ring, Duration bakeTime, RingGate gate, String actor) {
    return transactions.write(
        c -> {
          RingPolicy before =
              RingPolicyTable.find(c, ring)
                  .orElseThrow(
                      () ->
                          new ProblemException(
                              ProblemType.RING_NOT_FOUND, "ring '" + ring + "' does not exist"));
          RingPolicy after =
              new RingPolicy(
                  ring,
                  before.position(),
                  bakeTime == null ? before.bakeTime() : bakeTime,
                  gate == null ? before.gate() : gate);
          RingPolicyTable.update(c, after);
          AuditTable.append(
              c,
              now(),
              actor,
              "ring.update",
              "ring:" + ring,
              ChangeViews.ring(before),
              ChangeViews.ring(after));
          return after;
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
          JsonNode before = NamespaceTable.schema(c, namespace);
          NamespaceTable.setSchema(c, namespace, schema);
          AuditTable.append(
              c,
              now(),
              actor,
              schema == null ? "namespace.schema.remove" : "namespace.schema.set",
              "namespace:" + namespace,
              before,
              schema);
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
        c -> {
          Instant now = now();
          List<SubscriptionEdit> pinnedSubscriptions =
              ChangeSubscriptionEdits.pin(c, subscriptionEdits, now);
          List<ChangeEdit> pinned = new ArrayList<>();
          for (ChangeEdit edit : edits) {
            NamespaceTable.require(c, edit.namespace());
            LayerTables.requireTarget(c, edit.scope());
            long base =
                edit.baseRevision() != null
                    ? edit.baseRevision()
                    : LayerTables.publishedRevision(c, edit.namespace(), edit.scope());
            pinned.add(new ChangeEdit(edit.namespace(), edit.scope(), edit.content(), base));
          }
          long id =
              ChangeTables.insert(
                  c,
                  description,
                  actor,
                  requiredApprovals,
                  pinned,
                  pinnedSubscriptions,
                  ChangeSubscriptionEdits.applications(c, pinnedSubscriptions),
                  now);
          ChangeRequest created = requireChange(c, id);
          AuditTable.append(
              c,
              now,
              actor,
              "change.create",
              ChangeViews.target(id),
              null,
              ChangeViews.change(created));
          if (requiredApprovals == 0) {
            return toApproved(c, created, "no approval required", actor, now);
          }
          return created;
        });
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
    return transactions.write(
        c -> {
          ChangeRequest change = requireChange(c, id);
          if (change.state() != ChangeState.DRAFT) {
            throw conflict(change, "only a draft can be approved");
          }
          if (change.author().equals(approver)) {
            throw new ProblemException(
                ProblemType.FORBIDDEN,
                "'"
                    + approver
                    + "' wrote change "
                    + id
                    + " and cannot approve it: approval takes someone else");
          }
          if (change.approvals().stream().anyMatch(a -> a.approver().equals(approver))) {
            throw new ProblemException(
                ProblemType.CHANGE_CONFLICT,
                "'"
                    + approver
                    + "' has already approved change "
                    + id
                    + "; it needs another approver");
          }
          Instant now = now();
          String text = comment == null ? "" : comment;
          ChangeTables.insertApproval(c, id, approver, text, now);
          AuditTable.append(
              c,
              now,
              approver,
              "change.approve",
              ChangeViews.target(id),
              null,
              ChangeViews.object().put("approver", approver).put("comment", text));
          ChangeRequest approved = requireChange(c, id);
          if (approved.approvals().size() >= approved.requiredApprovals()) {
            return toApproved(
                c, approved, "approved by " + approved.approvals().size(), approver, now);
          }
          return approved;
        });
  }

  @Override
  public ChangeRequest cancel(long id, String reason, String actor) {
    return transactions.write(
        c -> {
          ChangeRequest change = requireChange(c, id);
          if (change.state() != ChangeState.DRAFT && change.state() != ChangeState.APPROVED) {
            throw conflict(
                change,
                change.state() == ChangeState.ROLLING_OUT
                    ? "a change that has reached a ring is backed out, not cancelled"
                    : "it has already ended");
          }
          return transition(
              c,
              change,
              change.version(),
              ChangeState.CANCELLED,
              reason,
              null,
              actor,
              "change.cancel");
        });
  }

  @Override
  public ChangeRequest releaseNext(
      long id, long expectedVersion, ReleaseMode mode, String actor, Lease lease) {
    return transactions.write(
        c -> {
          Instant now = now();
          ChangeRequest change = begin(c, id, expectedVersion, lease, now);
          if (change.state() != ChangeState.APPROVED && change.state() != ChangeState.ROLLING_OUT) {
            throw conflict(change, "only an approved or rolling-out change can reach another ring");
          }
          Optional<Freeze> freeze =
              mode == ReleaseMode.HOTFIX ? Optional.empty() : FreezeTable.find(c);
          if (freeze.isPresent()) {
            throw new ProblemException(
                ProblemType.ROLLOUTS_FROZEN,
                "rollouts are frozen: "
                    + freeze.get().reason()
                    + "; lift the freeze or use a hot-fix");
          }
          RingPolicy next =
              nextRing(c, change)
                  .orElseThrow(() -> conflict(change, "it has reached every ring already"));
          long revision =
              RevisionLog.append(
                  c,
                  "release",
                  ChangeViews.target(id),
                  actor,
                  "change " + id + " reaches ring " + next.ring(),
                  now);
          ChangeTables.insertRelease(c, id, next, revision, now, mode, actor);
          ChangeTables.markReleased(c, change, expectedVersion, next.ring(), revision, now);
          ObjectNode after =
              ChangeViews.object()
                  .put("ring", next.ring())
                  .put("revision", revision)
                  .put("mode", mode.wireName());
          AuditTable.append(
              c,
              now,
              actor,
              "change.release",
              ChangeViews.target(id),
              ChangeViews.state(change),
              after);
          return requireChange(c, id);
        });
  }

  @Override
  public ChangeRequest complete(
      long id, long expectedVersion, String outcome, String actor, Lease lease) {
    return transactions.write(
        c -> {
          Instant now = now();
          ChangeRequest change = begin(c, id, expectedVersion, lease, now);
          if (change.state() != ChangeState.ROLLING_OUT) {
            throw conflict(change, "only a rolling-out change can complete");
          }
          Optional<RingPolicy> next = nextRing(c, change);
          if (next.isPresent()) {
            throw conflict(change, "ring " + next.get().ring() + " has not received it yet");
          }
          long revision =
              RevisionLog.append(
                  c, "complete", ChangeViews.target(id), actor, "change " + id + " completed", now);
          publishEdits(c, change, revision);
          ChangeSubscriptionEdits.apply(c, change, revision, now, actor);
          return transition(
              c,
              change,
              expectedVersion,
              ChangeState.COMPLETED,
              outcome,
              revision,
              actor,
              "change.complete");
        });
  }

  @Override
  public ChangeRequest backOut(
      long id, long expectedVersion, String reason, String actor, Lease lease) {
    return transactions.write(
        c -> {
          Instant now = now();
          ChangeRequest change = begin(c, id, expectedVersion, lease, now);
          if (change.state() != ChangeState.ROLLING_OUT) {
            throw conflict(
                change,
                change.state() == ChangeState.APPROVED
                    ? "it has reached no ring yet; cancel it instead"
                    : "only a rolling-out change can be backed out");
          }
          long revision =
              RevisionLog.append(
                  c,
                  "backout",
                  ChangeViews.target(id),
                  actor,
                  "change " + id + " backed out: " + reason,
                  now);
          // Fix forward: the layers' previous content again, at a revision above every release.
          List<StoredLayer> previous = new ArrayList<>();
          for (ChangeEdit edit : change.edits()) {
            previous.add(
                new StoredLayer(
                    edit.namespace(),
                    edit.scope(),
                    LayerTables.publishedContent(c, edit.namespace(), edit.scope())));
          }
          LayerTables.insertVersions(c, revision, previous);
          // The subscriptions never changed, but instances that were served the edits must see
          // their
          // document's revision rise: the same bump a ring move makes.
          InstanceTable.bumpAssignment(
              c,
              change.subscriptionEdits().stream().map(SubscriptionEdit::instance).toList(),
              revision);
          return transition(
              c,
              change,
              expectedVersion,
              ChangeState.BACKED_OUT,
              reason,
              revision,
              actor,
              "change.backout");
        });
  }

  @Override
  public ChangeRequest hotfix(long id, long expectedVersion, String reason, String actor) {
    return transactions.write(
        c -> {
          Instant now = now();
          ChangeRequest change = begin(c, id, expectedVersion, null, now);
          if (change.state() != ChangeState.APPROVED && change.state() != ChangeState.ROLLING_OUT) {
            throw conflict(change, "only an approved or rolling-out change can be hot-fixed");
          }
          long revision =
              RevisionLog.append(
                  c,
                  "hotfix",
                  ChangeViews.target(id),
                  actor,
                  "change " + id + " hot-fixed: " + reason,
                  now);
          for (RingPolicy ring : RingPolicyTable.all(c)) {
            if (!change.releasedTo(ring.ring())) {
              ChangeTables.insertRelease(c, id, ring, revision, now, ReleaseMode.HOTFIX, actor);
            }
          }
          publishEdits(c, change, revision);
          ChangeSubscriptionEdits.apply(c, change, revision, now, actor);
          return transition(
              c,
              change,
              expectedVersion,
              ChangeState.COMPLETED,
              "hot-fix: " + reason,
              revision,
              actor,
              "change.hotfix");
        });
  }

  @Override
  public ChangeRequest setPaused(long id, long expectedVersion, boolean paused, String actor) {
    return transactions.write(
        c -> {
          ChangeRequest change = requireChange(c, id);
          expect(change, expectedVersion);
          if (change.state() != ChangeState.APPROVED && change.state() != ChangeState.ROLLING_OUT) {
            throw conflict(
                change, "only an approved or rolling-out change can be paused or resumed");
          }
          if (change.paused() == paused) {
            return change;
          }
          Instant now = now();
          ChangeTables.markPaused(c, change, expectedVersion, paused, now);
          AuditTable.append(
              c,
              now,
              actor,
              paused ? "change.pause" : "change.resume",
              ChangeViews.target(id),
              ChangeViews.object().put("paused", !paused),
              ChangeViews.object().put("paused", paused));
          return requireChange(c, id);
        });
  }

  // ---------------------------------------------------------------- freeze

  @Override
  public Optional<Freeze> freeze() {
    return transactions.read(FreezeTable::find);
  }

  @Override
  public Freeze setFreeze(String reason, String actor) {
    return transactions.write(
        c -> {
          Instant now = now();
          Optional<Freeze> before = FreezeTable.find(c);
          FreezeTable.put(c, reason, actor, now);
          AuditTable.append(
              c,
              now,
              actor,
              "rollouts.freeze",
              "rollouts",
              before.map(ChangeViews::freeze).orElse(null),
              ChangeViews.object().put("reason", reason));
          return FreezeTable.find(c).orElseThrow();
        });
  }

  @Override
  public void lift(String actor) {
    transactions.write(
        c -> {
          Optional<Freeze> before = FreezeTable.find(c);
          if (before.isPresent()) {
            FreezeTable.delete(c);
            AuditTable.append(
                c,
                now(),
                actor,
                "rollouts.unfreeze",
                "rollouts",
                ChangeViews.freeze(before.get()),
                null);
          }
          return null;
        });
  }

  // ---------------------------------------------------------------- lease

  @Override
  public Optional<Lease> acquireLease(String name, String holder, Duration ttl) {
    return transactions.write(c -> LeaseTable.acquire(c, name, holder, ttl, now()));
  }

  @Override
  public void releaseLease(String name, String holder) {
    transactions.write(
        c -> {
          LeaseTable.release(c, name, holder);
          return null;
        });
  }

  // ---------------------------------------------------------------- transitions

  /**
   * Holds the change's layers and subscriptions, once nothing moved under them and no other change
   * holds them.
   */
  private ChangeRequest toApproved(
      Connection c, ChangeRequest change, String outcome, String actor, Instant now)
      throws SQLException {
    for (ChangeEdit edit : change.edits()) {
      long published = LayerTables.publishedRevision(c, edit.namespace(), edit.scope());
      if (published != edit.baseRevision()) {
        throw new ProblemException(
            ProblemType.CHANGE_CONFLICT,
            "layer "
                + edit.scope().key()
                + " of namespace '"
                + edit.namespace()
                + "' was published at revision "
                + published
                + " after change "
                + change.id()
                + " was written against revision "
                + edit.baseRevision()
                + "; write the change again on top of it");
      }
      Optional<Long> holder = OpenChanges.layerHolder(c, edit.namespace(), edit.scope());
      if (holder.isPresent()) {
        throw new ProblemException(
            ProblemType.LAYER_HELD,
            "layer "
                + edit.scope().key()
                + " of namespace '"
                + edit.namespace()
                + "' is held by change "
                + holder.get()
                + " until it ends");
      }
    }
    for (SubscriptionEdit edit : change.subscriptionEdits()) {
      ChangeSubscriptionEdits.requireUnmoved(c, change, edit);
      String application = ChangeSubscriptionEdits.application(c, edit);
      Optional<Long> holder = OpenChanges.subscriptionHolder(c, edit.instance(), application);
      if (holder.isPresent()) {
        throw new ProblemException(
            ProblemType.LAYER_HELD,
            "the subscriptions of instance '"
                + edit.instance()
                + "' to '"
                + application
                + "' are held by change "
                + holder.get()
                + " until it ends");
      }
    }
    // A draft holds nothing: what others wrote since it was created must still leave it valid.
    ChangeSubscriptionEdits.requireValid(c, change.subscriptionEdits(), now);
    ChangeTables.markApproved(c, change, now);
    AuditTable.append(
        c,
        now,
        actor,
        "change.approved",
        ChangeViews.target(change.id()),
        ChangeViews.state(change),
        ChangeViews.object().put("state", ChangeState.APPROVED.wireName()).put("reason", outcome));
    return requireChange(c, change.id());
  }

  private ChangeRequest transition(
      Connection c,
      ChangeRequest change,
      long expectedVersion,
      ChangeState to,
      String outcome,
      Long finalRevision,
      String actor,
      String action)
      throws SQLException {
    Instant now = now();
    String text = outcome == null ? "" : outcome;
    ChangeTables.markState(c, change, expectedVersion, to, text, finalRevision, now);
    ObjectNode after = ChangeViews.object().put("state", to.wireName()).put("outcome", text);
    if (finalRevision != null) {
      after.put("revision", finalRevision);
    }
    AuditTable.append(
        c, now, actor, action, ChangeViews.target(change.id()), ChangeViews.state(change), after);
    return requireChange(c, change.id());
  }

  /** The change's edits as published layer versions at {@code revision}. */
  private static void publishEdits(Connection c, ChangeRequest change, long revision)
      throws SQLException {
    List<StoredLayer> layers = new ArrayList<>();
    for (ChangeEdit edit : change.edits()) {
      layers.add(StoredLayer.of(edit.namespace(), edit.scope(), edit.content()));
    }
    LayerTables.insertVersions(c, revision, layers);
  }

  /** The first ring in rollout order that the change has not reached. */
  private static Optional<RingPolicy> nextRing(Connection c, ChangeRequest change)
      throws SQLException {
    return RingPolicyTable.all(c).stream().filter(r -> !change.releasedTo(r.ring())).findFirst();
  }

  /**
   * The start of every transition: the lease (if the engine acts) is still this holder's, and the
   * change is still at the version the caller saw.
   */
  private static ChangeRequest begin(
      Connection c, long id, long expectedVersion, Lease lease, Instant now) throws SQLException {
    LeaseTable.check(c, lease, now);
    ChangeRequest change = requireChange(c, id);
    expect(change, expectedVersion);
    return change;
  }

  private static ChangeRequest requireChange(Connection c, long id) throws SQLException {
    return ChangeQueries.find(c, id)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.CHANGE_NOT_FOUND, "change " + id + " does not exist"));
  }

  private static void expect(ChangeRequest change, long expectedVersion) {
    if (change.version() != expectedVersion) {
      throw new ProblemException(
          ProblemType.CHANGE_CONFLICT,
          "change "
              + change.id()
              + " moved on since version "
              + expectedVersion
              + " (it is "
              + change.state().wireName()
              + " at version "
              + change.version()
              + ")");
    }
  }

  private static ProblemException conflict(ChangeRequest change, String why) {
    return new ProblemException(
        ProblemType.CHANGE_CONFLICT,
        "change " + change.id() + " is " + change.state().wireName() + ": " + why);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
