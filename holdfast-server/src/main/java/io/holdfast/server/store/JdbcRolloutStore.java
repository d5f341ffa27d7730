package io.holdfast.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ProblemException;
import io.holdfast.server.model.Scope;
import io.holdfast.server.rollout.Approval;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.ChangeState;
import io.holdfast.server.rollout.Freeze;
import io.holdfast.server.rollout.Lease;
import io.holdfast.server.rollout.LeaseLostException;
import io.holdfast.server.rollout.ReleaseMode;
import io.holdfast.server.rollout.RingGate;
import io.holdfast.server.rollout.RingPolicy;
import io.holdfast.server.rollout.RingRelease;
import io.holdfast.server.rollout.RolloutStore;
import io.holdfast.server.rollout.SubscriptionEdit;
import io.holdfast.server.subscription.NewSubscription;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionFilter;
import io.holdfast.server.subscription.SubscriptionJson;
import io.holdfast.server.subscription.SubscriptionRules;
import io.holdfast.server.subscription.SubscriptionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RolloutStore} over JDBC, on the same database and with the same transaction discipline
 * as {@link JdbcConfigStore}: every transition is one transaction with its audit row and, when
 * it changes what instances are served, its revision.
 *
 * <p>A rolling-out change is served to the rings it has reached straight from its edits (see
 * {@link #ringLayers}); its content only becomes a published layer version when it completes, and
 * a back-out publishes the content from before it. Thread-safe: no mutable state of its own.
 */
public final class JdbcRolloutStore implements RolloutStore {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String CHANGE_COLUMNS = "id, description, author, state, required_approvals, paused, current_ring,"
      + " released_at, release_revision, outcome, final_revision, version, created_at, updated_at";

  private final Transactions transactions;
  private final Clock clock;
  private final ObjectMapper mapper = new ObjectMapper();

  public JdbcRolloutStore(Database database, Clock clock) {
    this.transactions = new Transactions(Objects.requireNonNull(database, "database"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---------------------------------------------------------------- rings and schemas

  @Override
  public List<RingPolicy> ringPolicies() {
    return transactions.read(JdbcRolloutStore::queryRingPolicies);
  }

  @Override
  public RingPolicy updateRing(String ring, Duration bakeTime, RingGate gate, String actor) {
    return transactions.write(c -> {
      RingPolicy before = queryRingPolicies(c).stream().filter(r -> r.ring().equals(ring)).findFirst()
          .orElseThrow(() -> new ProblemException(ProblemType.RING_NOT_FOUND, "ring '" + ring + "' does not exist"));
      RingPolicy after = new RingPolicy(ring, before.position(), bakeTime == null ? before.bakeTime() : bakeTime,
          gate == null ? before.gate() : gate);
      try (PreparedStatement ps = c.prepareStatement("UPDATE rings SET bake_seconds = ?, min_ack_ratio = ?,"
          + " ack_deadline_seconds = ?, max_failing_ratio = ?, max_error_ratio = ? WHERE name = ?")) {
        ps.setLong(1, after.bakeTime().toSeconds());
        ps.setDouble(2, after.gate().minAckRatio());
        ps.setLong(3, after.gate().ackDeadline().toSeconds());
        ps.setDouble(4, after.gate().maxFailingRatio());
        ps.setDouble(5, after.gate().maxErrorRatio());
        ps.setString(6, ring);
        ps.executeUpdate();
      }
      AuditTable.append(c, now(), actor, "ring.update", "ring:" + ring, ringView(before), ringView(after));
      return after;
    });
  }

  @Override
  public List<RingLayer> ringLayers() {
    return transactions.read(c -> ringLayers(c, mapper));
  }

  @Override
  public Optional<JsonNode> namespaceSchema(String namespace) {
    return transactions.read(c -> Optional.ofNullable(schemaOf(c, namespace)));
  }

  @Override
  public void setNamespaceSchema(String namespace, JsonNode schema, String actor) {
    transactions.write(c -> {
      JsonNode before = schemaOf(c, namespace);
      try (PreparedStatement ps = c.prepareStatement("UPDATE namespaces SET json_schema = ? WHERE name = ?")) {
        ps.setString(1, schema == null ? null : CanonicalJson.toText(schema));
        ps.setString(2, namespace);
        ps.executeUpdate();
      }
      AuditTable.append(c, now(), actor, schema == null ? "namespace.schema.remove" : "namespace.schema.set",
          "namespace:" + namespace, before, schema);
      return null;
    });
  }

  // ---------------------------------------------------------------- change requests

  @Override
  public ChangeRequest createChange(String description, List<ChangeEdit> edits, List<SubscriptionEdit> subscriptionEdits,
      int requiredApprovals, String actor) {
    return transactions.write(c -> {
      Instant now = now();
      List<SubscriptionEdit> pinnedSubscriptions = pinSubscriptionEdits(c, subscriptionEdits, now);
      List<ChangeEdit> pinned = new ArrayList<>();
      for (ChangeEdit edit : edits) {
        if (!JdbcConfigStore.exists(c, "SELECT 1 FROM namespaces WHERE name = ?", edit.namespace())) {
          throw new ProblemException(ProblemType.NAMESPACE_NOT_FOUND, "namespace '" + edit.namespace() + "' does not exist");
        }
        JdbcConfigStore.requireScopeTarget(c, edit.scope());
        long base = edit.baseRevision() != null ? edit.baseRevision() : publishedRevision(c, edit.namespace(), edit.scope());
        pinned.add(new ChangeEdit(edit.namespace(), edit.scope(), edit.content(), base));
      }
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO changes (description, author, state,"
          + " required_approvals, version, created_at, updated_at) VALUES (?, ?, 'draft', ?, 1, ?, ?) RETURNING id")) {
        ps.setString(1, description);
        ps.setString(2, actor);
        ps.setInt(3, requiredApprovals);
        ps.setString(4, now.toString());
        ps.setString(5, now.toString());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_edits"
          + " (change_id, position, namespace, scope, content, base_revision) VALUES (?, ?, ?, ?, ?, ?)")) {
        int position = 0;
        for (ChangeEdit edit : pinned) {
          ps.setLong(1, id);
          ps.setInt(2, position++);
          ps.setString(3, edit.namespace());
          ps.setString(4, edit.scope().key());
          ps.setString(5, edit.removes() ? null : CanonicalJson.toText(edit.content()));
          ps.setLong(6, edit.baseRevision());
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_subscription_edits (change_id, position,"
          + " subscription_id, instance, application, kind, body, base_revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        int position = 0;
        for (SubscriptionEdit edit : pinnedSubscriptions) {
          ps.setLong(1, id);
          ps.setInt(2, position++);
          ps.setString(3, edit.subscriptionId());
          ps.setString(4, edit.instance());
          ps.setString(5, application(c, edit));
          ps.setString(6, edit.create() != null ? "create" : "change");
          ps.setString(7, CanonicalJson.toText(edit.body()));
          ps.setLong(8, edit.baseRevision());
          ps.executeUpdate();
        }
      }
      ChangeRequest created = requireChange(c, id);
      AuditTable.append(c, now, actor, "change.create", target(id), null, changeView(created));
      if (requiredApprovals == 0) {
        return toApproved(c, created, "no approval required", actor, now);
      }
      return created;
    });
  }

  @Override
  public Optional<ChangeRequest> findChange(long id) {
    return transactions.readTransaction(c -> queryChange(c, id));
  }

  @Override
  public List<ChangeRequest> listChanges(List<ChangeState> states, int limit) {
    return transactions.readTransaction(c -> {
      StringBuilder sql = new StringBuilder("SELECT id FROM changes");
      if (!states.isEmpty()) {
        sql.append(" WHERE state IN (").append("?,".repeat(states.size() - 1)).append("?)");
      }
      sql.append(" ORDER BY id DESC LIMIT ?");
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        for (ChangeState state : states) {
          ps.setString(i++, state.wireName());
        }
        ps.setInt(i, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
      List<ChangeRequest> changes = new ArrayList<>();
      for (long id : ids) {
        changes.add(requireChange(c, id));
      }
      return changes;
    });
  }

  @Override
  public ChangeRequest approve(long id, String approver, String comment) {
    return transactions.write(c -> {
      ChangeRequest change = requireChange(c, id);
      if (change.state() != ChangeState.DRAFT) {
        throw conflict(change, "only a draft can be approved");
      }
      if (change.author().equals(approver)) {
        throw new ProblemException(ProblemType.FORBIDDEN,
            "'" + approver + "' wrote change " + id + " and cannot approve it: approval takes someone else");
      }
      if (change.approvals().stream().anyMatch(a -> a.approver().equals(approver))) {
        throw new ProblemException(ProblemType.CHANGE_CONFLICT,
            "'" + approver + "' has already approved change " + id + "; it needs another approver");
      }
      Instant now = now();
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO change_approvals (change_id, approver, comment, approved_at) VALUES (?, ?, ?, ?)")) {
        ps.setLong(1, id);
        ps.setString(2, approver);
        ps.setString(3, comment == null ? "" : comment);
        ps.setString(4, now.toString());
        ps.executeUpdate();
      }
      ObjectNode approval = JSON.objectNode().put("approver", approver).put("comment", comment == null ? "" : comment);
      AuditTable.append(c, now, approver, "change.approve", target(id), null, approval);
      ChangeRequest approved = requireChange(c, id);
      if (approved.approvals().size() >= approved.requiredApprovals()) {
        return toApproved(c, approved, "approved by " + approved.approvals().size(), approver, now);
      }
      return approved;
    });
  }

  @Override
  public ChangeRequest cancel(long id, String reason, String actor) {
    return transactions.write(c -> {
      ChangeRequest change = requireChange(c, id);
      if (change.state() != ChangeState.DRAFT && change.state() != ChangeState.APPROVED) {
        throw conflict(change, change.state() == ChangeState.ROLLING_OUT
            ? "a change that has reached a ring is backed out, not cancelled" : "it has already ended");
      }
      return transition(c, change, change.version(), ChangeState.CANCELLED, reason, null, actor, "change.cancel");
    });
  }

  @Override
  public ChangeRequest releaseNext(long id, long expectedVersion, ReleaseMode mode, String actor, Lease lease) {
    return transactions.write(c -> {
      Instant now = now();
      ChangeRequest change = begin(c, id, expectedVersion, lease, now);
      if (change.state() != ChangeState.APPROVED && change.state() != ChangeState.ROLLING_OUT) {
        throw conflict(change, "only an approved or rolling-out change can reach another ring");
      }
      if (mode != ReleaseMode.HOTFIX && frozen(c).isPresent()) {
        throw new ProblemException(ProblemType.ROLLOUTS_FROZEN,
            "rollouts are frozen: " + frozen(c).get().reason() + "; lift the freeze or use a hot-fix");
      }
      RingPolicy next = nextRing(c, change).orElseThrow(() -> conflict(change, "it has reached every ring already"));
      long revision = RevisionLog.append(c, "release", target(id), actor,
          "change " + id + " reaches ring " + next.ring(), now);
      insertRelease(c, id, next, revision, now, mode, actor);
      try (PreparedStatement ps = c.prepareStatement("UPDATE changes SET state = 'rolling_out', current_ring = ?,"
          + " released_at = ?, release_revision = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?")) {
        ps.setString(1, next.ring());
        ps.setString(2, now.toString());
        ps.setLong(3, revision);
        ps.setString(4, now.toString());
        ps.setLong(5, id);
        ps.setLong(6, expectedVersion);
        requireOneRow(ps.executeUpdate(), change);
      }
      ObjectNode after = JSON.objectNode().put("ring", next.ring()).put("revision", revision).put("mode", mode.wireName());
      AuditTable.append(c, now, actor, "change.release", target(id), stateView(change), after);
      return requireChange(c, id);
    });
  }

  @Override
  public ChangeRequest complete(long id, long expectedVersion, String outcome, String actor, Lease lease) {
    return transactions.write(c -> {
      Instant now = now();
      ChangeRequest change = begin(c, id, expectedVersion, lease, now);
      if (change.state() != ChangeState.ROLLING_OUT) {
        throw conflict(change, "only a rolling-out change can complete");
      }
      Optional<RingPolicy> next = nextRing(c, change);
      if (next.isPresent()) {
        throw conflict(change, "ring " + next.get().ring() + " has not received it yet");
      }
      long revision = RevisionLog.append(c, "complete", target(id), actor, "change " + id + " completed", now);
      publishEdits(c, change, revision);
      applySubscriptionEdits(c, change, revision, now, actor);
      return transition(c, change, expectedVersion, ChangeState.COMPLETED, outcome, revision, actor, "change.complete");
    });
  }

  @Override
  public ChangeRequest backOut(long id, long expectedVersion, String reason, String actor, Lease lease) {
    return transactions.write(c -> {
      Instant now = now();
      ChangeRequest change = begin(c, id, expectedVersion, lease, now);
      if (change.state() != ChangeState.ROLLING_OUT) {
        throw conflict(change, change.state() == ChangeState.APPROVED
            ? "it has reached no ring yet; cancel it instead" : "only a rolling-out change can be backed out");
      }
      long revision = RevisionLog.append(c, "backout", target(id), actor, "change " + id + " backed out: " + reason, now);
      // Fix forward: the layers' previous content again, at a revision above every release.
      List<String> previous = new ArrayList<>();
      for (ChangeEdit edit : change.edits()) {
        previous.add(publishedContent(c, edit.namespace(), edit.scope()));
      }
      insertLayerVersions(c, change.edits(), previous, revision);
      // The subscriptions never changed, but instances that were served the edits must see their
      // document's revision rise: the same bump a ring move makes.
      try (PreparedStatement bump = c.prepareStatement("UPDATE instances SET assignment_revision = ? WHERE id = ?")) {
        for (SubscriptionEdit edit : change.subscriptionEdits()) {
          bump.setLong(1, revision);
          bump.setString(2, edit.instance());
          bump.executeUpdate();
        }
      }
      return transition(c, change, expectedVersion, ChangeState.BACKED_OUT, reason, revision, actor, "change.backout");
    });
  }

  @Override
  public ChangeRequest hotfix(long id, long expectedVersion, String reason, String actor) {
    return transactions.write(c -> {
      Instant now = now();
      ChangeRequest change = begin(c, id, expectedVersion, null, now);
      if (change.state() != ChangeState.APPROVED && change.state() != ChangeState.ROLLING_OUT) {
        throw conflict(change, "only an approved or rolling-out change can be hot-fixed");
      }
      long revision = RevisionLog.append(c, "hotfix", target(id), actor, "change " + id + " hot-fixed: " + reason, now);
      for (RingPolicy ring : queryRingPolicies(c)) {
        if (!change.releasedTo(ring.ring())) {
          insertRelease(c, id, ring, revision, now, ReleaseMode.HOTFIX, actor);
        }
      }
      publishEdits(c, change, revision);
      applySubscriptionEdits(c, change, revision, now, actor);
      return transition(c, change, expectedVersion, ChangeState.COMPLETED, "hot-fix: " + reason, revision, actor,
          "change.hotfix");
    });
  }

  @Override
  public ChangeRequest setPaused(long id, long expectedVersion, boolean paused, String actor) {
    return transactions.write(c -> {
      ChangeRequest change = requireChange(c, id);
      expect(change, expectedVersion);
      if (change.state() != ChangeState.APPROVED && change.state() != ChangeState.ROLLING_OUT) {
        throw conflict(change, "only an approved or rolling-out change can be paused or resumed");
      }
      if (change.paused() == paused) {
        return change;
      }
      Instant now = now();
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE changes SET paused = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?")) {
        ps.setInt(1, paused ? 1 : 0);
        ps.setString(2, now.toString());
        ps.setLong(3, id);
        ps.setLong(4, expectedVersion);
        requireOneRow(ps.executeUpdate(), change);
      }
      AuditTable.append(c, now, actor, paused ? "change.pause" : "change.resume", target(id),
          JSON.objectNode().put("paused", !paused), JSON.objectNode().put("paused", paused));
      return requireChange(c, id);
    });
  }

  // ---------------------------------------------------------------- freeze

  @Override
  public Optional<Freeze> freeze() {
    return transactions.read(JdbcRolloutStore::frozen);
  }

  @Override
  public Freeze setFreeze(String reason, String actor) {
    return transactions.write(c -> {
      Instant now = now();
      Optional<Freeze> before = frozen(c);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_freeze (id, reason, actor, since) VALUES (1, ?, ?, ?)"
          + " ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, actor = excluded.actor")) {
        ps.setString(1, reason);
        ps.setString(2, actor);
        ps.setString(3, now.toString());
        ps.executeUpdate();
      }
      AuditTable.append(c, now, actor, "rollouts.freeze", "rollouts", before.map(JdbcRolloutStore::freezeView).orElse(null),
          JSON.objectNode().put("reason", reason));
      return frozen(c).orElseThrow();
    });
  }

  @Override
  public void lift(String actor) {
    transactions.write(c -> {
      Optional<Freeze> before = frozen(c);
      if (before.isPresent()) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM rollout_freeze")) {
          ps.executeUpdate();
        }
        AuditTable.append(c, now(), actor, "rollouts.unfreeze", "rollouts", freezeView(before.get()), null);
      }
      return null;
    });
  }

  // ---------------------------------------------------------------- lease

  @Override
  public Optional<Lease> acquireLease(String name, String holder, Duration ttl) {
    return transactions.write(c -> {
      Instant now = now();
      Instant expires = now.plus(ttl);
      Optional<Lease> current = lease(c, name);
      long token;
      if (current.isEmpty()) {
        token = 1;
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO leases (name, holder, token, expires_at) VALUES (?, ?, ?, ?)")) {
          ps.setString(1, name);
          ps.setString(2, holder);
          ps.setLong(3, token);
          ps.setString(4, expires.toString());
          ps.executeUpdate();
        }
        return Optional.of(new Lease(name, holder, token, expires));
      }
      Lease held = current.get();
      if (held.holder().equals(holder)) {
        token = held.token();
      } else if (!held.expiresAt().isAfter(now)) {
        token = held.token() + 1;
      } else {
        return Optional.empty();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE leases SET holder = ?, token = ?, expires_at = ? WHERE name = ?")) {
        ps.setString(1, holder);
        ps.setLong(2, token);
        ps.setString(3, expires.toString());
        ps.setString(4, name);
        ps.executeUpdate();
      }
      return Optional.of(new Lease(name, holder, token, expires));
    });
  }

  @Override
  public void releaseLease(String name, String holder) {
    transactions.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?")) {
        ps.setString(1, Instant.EPOCH.toString());
        ps.setString(2, name);
        ps.setString(3, holder);
        ps.executeUpdate();
      }
      return null;
    });
  }

  // ---------------------------------------------------------------- what JdbcConfigStore reads

  /**
   * The layers rolling-out changes serve to the rings they have reached, each stamped with the
   * revision and time of its ring's release.
   */
  static List<RingLayer> ringLayers(Connection c, ObjectMapper mapper) throws SQLException {
    List<RingLayer> layers = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT r.ring, e.namespace, e.scope, r.revision, e.content, r.released_at"
        + " FROM change_releases r JOIN changes ch ON ch.id = r.change_id AND ch.state = 'rolling_out'"
        + " JOIN change_edits e ON e.change_id = r.change_id ORDER BY r.ring, e.namespace, e.scope");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String content = rs.getString(5);
        layers.add(new RingLayer(rs.getString(1), new LayerVersion(rs.getString(2), Scope.parse(rs.getString(3)),
            rs.getLong(4), content == null ? null : parse(mapper, content), Instant.parse(rs.getString(6)))));
      }
    }
    return layers;
  }

  /** The approved or rolling-out change whose edits include this layer, if any. */
  static Optional<Long> holderOf(Connection c, String namespace, Scope scope) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT ch.id FROM change_edits e JOIN changes ch ON ch.id = e.change_id"
        + " WHERE e.namespace = ? AND e.scope = ? AND ch.state IN ('approved', 'rolling_out')")) {
      ps.setString(1, namespace);
      ps.setString(2, scope.key());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private ChangeRequest toApproved(Connection c, ChangeRequest change, String outcome, String actor, Instant now)
      throws SQLException {
    for (ChangeEdit edit : change.edits()) {
      long published = publishedRevision(c, edit.namespace(), edit.scope());
      if (published != edit.baseRevision()) {
        throw new ProblemException(ProblemType.CHANGE_CONFLICT, "layer " + edit.scope().key() + " of namespace '"
            + edit.namespace() + "' was published at revision " + published + " after change " + change.id()
            + " was written against revision " + edit.baseRevision() + "; write the change again on top of it");
      }
      Optional<Long> holder = holderOf(c, edit.namespace(), edit.scope());
      if (holder.isPresent()) {
        throw new ProblemException(ProblemType.LAYER_HELD, "layer " + edit.scope().key() + " of namespace '"
            + edit.namespace() + "' is held by change " + holder.get() + " until it ends");
      }
    }
    for (SubscriptionEdit edit : change.subscriptionEdits()) {
      if (edit.change() != null) {
        long current = SubscriptionTables.subscription(c, edit.subscriptionId()).get(0).revision();
        if (current != edit.baseRevision()) {
          throw new ProblemException(ProblemType.CHANGE_CONFLICT, "subscription " + edit.subscriptionId()
              + " changed at revision " + current + " after change " + change.id() + " was written against revision "
              + edit.baseRevision() + "; write the change again on top of it");
        }
      }
      String application = application(c, edit);
      Optional<Long> holder = subscriptionHolderOf(c, edit.instance(), application);
      if (holder.isPresent()) {
        throw new ProblemException(ProblemType.LAYER_HELD, "the subscriptions of instance '" + edit.instance()
            + "' to '" + application + "' are held by change " + holder.get() + " until it ends");
      }
    }
    // A draft holds nothing: what others wrote since it was created must still leave it valid.
    requireSubscriptionEditsValid(c, change.subscriptionEdits(), now);
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE changes SET state = 'approved', version = version + 1, updated_at = ? WHERE id = ? AND version = ?")) {
      ps.setString(1, now.toString());
      ps.setLong(2, change.id());
      ps.setLong(3, change.version());
      requireOneRow(ps.executeUpdate(), change);
    }
    AuditTable.append(c, now, actor, "change.approved", target(change.id()), stateView(change),
        JSON.objectNode().put("state", ChangeState.APPROVED.wireName()).put("reason", outcome));
    return requireChange(c, change.id());
  }

  private ChangeRequest transition(Connection c, ChangeRequest change, long expectedVersion, ChangeState to,
      String outcome, Long finalRevision, String actor, String action) throws SQLException {
    Instant now = now();
    try (PreparedStatement ps = c.prepareStatement("UPDATE changes SET state = ?, outcome = ?, final_revision = ?,"
        + " paused = 0, version = version + 1, updated_at = ? WHERE id = ? AND version = ?")) {
      ps.setString(1, to.wireName());
      ps.setString(2, outcome == null ? "" : outcome);
      if (finalRevision == null) {
        ps.setNull(3, Types.BIGINT);
      } else {
        ps.setLong(3, finalRevision);
      }
      ps.setString(4, now.toString());
      ps.setLong(5, change.id());
      ps.setLong(6, expectedVersion);
      requireOneRow(ps.executeUpdate(), change);
    }
    ObjectNode after = JSON.objectNode().put("state", to.wireName()).put("outcome", outcome == null ? "" : outcome);
    if (finalRevision != null) {
      after.put("revision", finalRevision);
    }
    AuditTable.append(c, now, actor, action, target(change.id()), stateView(change), after);
    return requireChange(c, change.id());
  }

  /**
   * Pins each subscription edit (a new subscription gets its id, a change its instance and base
   * revision), then checks them all as {@code createSubscription} and {@code changeSubscription}
   * would.
   */
  private static List<SubscriptionEdit> pinSubscriptionEdits(Connection c, List<SubscriptionEdit> edits, Instant now)
      throws SQLException {
    List<SubscriptionEdit> pinned = new ArrayList<>();
    for (SubscriptionEdit edit : edits) {
      if (edit.create() != null) {
        NewSubscription wanted = edit.create();
        if (!JdbcConfigStore.exists(c, "SELECT 1 FROM instances WHERE id = ?", wanted.instance())) {
          throw new ProblemException(ProblemType.INSTANCE_NOT_FOUND, "instance '" + wanted.instance() + "' does not exist");
        }
        if (!JdbcConfigStore.exists(c, "SELECT 1 FROM applications WHERE name = ?", wanted.application())) {
          throw new ProblemException(ProblemType.APPLICATION_NOT_FOUND,
              "application '" + wanted.application() + "' does not exist");
        }
        pinned.add(new SubscriptionEdit(UUID.randomUUID().toString(), wanted.instance(), wanted, null, 0L));
      } else {
        Subscription current = SubscriptionTables.subscription(c, edit.subscriptionId()).stream().findFirst()
            .orElseThrow(() -> new ProblemException(ProblemType.SUBSCRIPTION_NOT_FOUND,
                "subscription '" + edit.subscriptionId() + "' does not exist"));
        if (pinned.stream().anyMatch(p -> p.subscriptionId().equals(current.id()))) {
          throw new ProblemException(ProblemType.INVALID_REQUEST,
              "subscription " + current.id() + " is edited twice; one edit per subscription");
        }
        pinned.add(new SubscriptionEdit(current.id(), current.instance(), null, edit.change(),
            edit.baseRevision() != null ? edit.baseRevision() : current.revision()));
      }
    }
    requireSubscriptionEditsValid(c, pinned, now);
    return pinned;
  }

  /**
   * The pinned edits, applied to the subscriptions as they are now, break no rule: nothing
   * cancelled changes, counts and periods are valid, and no two subscriptions of an instance and
   * application overlap (counting the edits' own results). Run when a change is written and
   * again when it is approved, since a draft holds nothing and others may write meanwhile.
   */
  private static void requireSubscriptionEditsValid(Connection c, List<SubscriptionEdit> edits, Instant now)
      throws SQLException {
    List<Subscription> candidates = new ArrayList<>();
    for (SubscriptionEdit edit : edits) {
      Subscription candidate;
      if (edit.create() != null) {
        candidate = edit.applyTo(null, 0, now);
      } else {
        Subscription current = SubscriptionTables.subscription(c, edit.subscriptionId()).get(0);
        if (current.status() == SubscriptionStatus.CANCELLED) {
          throw new ProblemException(ProblemType.SUBSCRIPTION_ENDED,
              "subscription '" + current.id() + "' is cancelled and cannot change; create a new one instead");
        }
        candidate = edit.applyTo(current, current.revision(), now);
        SubscriptionRules.requireCounts(candidate.quantity(), candidate.overage());
        SubscriptionRules.requireForceForDeepCut(current, candidate, edit.change().forceReason());
        SubscriptionRules.requirePeriod(candidate.validFrom(), candidate.validUntil());
      }
      List<Subscription> siblings = new ArrayList<>(SubscriptionTables.subscriptions(c,
          new SubscriptionFilter(candidate.instance(), candidate.application(), null)));
      siblings.removeIf(s -> candidates.stream().anyMatch(x -> x.id().equals(s.id())));
      for (Subscription other : candidates) {
        if (other.instance().equals(candidate.instance()) && other.application().equals(candidate.application())) {
          siblings.add(other);
        }
      }
      SubscriptionRules.requireNoOverlap(candidate, siblings);
      candidates.add(candidate);
    }
  }

  /** The edits become the stored subscriptions at {@code revision}, checked once more. */
  private static void applySubscriptionEdits(Connection c, ChangeRequest change, long revision, Instant now, String actor)
      throws SQLException {
    for (SubscriptionEdit edit : change.subscriptionEdits()) {
      Subscription current = edit.create() != null ? null : SubscriptionTables.subscription(c, edit.subscriptionId()).get(0);
      Subscription stored = edit.applyTo(current, revision, now);
      List<Subscription> siblings = SubscriptionTables.subscriptions(c,
          new SubscriptionFilter(stored.instance(), stored.application(), null));
      SubscriptionRules.requireNoOverlap(stored, siblings);
      if (current == null) {
        SubscriptionTables.insertSubscription(c, stored);
        AuditTable.append(c, now, actor, "subscription.create", "subscription:" + stored.id(), null,
            SubscriptionJson.subscription(stored));
      } else {
        SubscriptionTables.updateSubscription(c, stored);
        AuditTable.append(c, now, actor, "subscription.change", "subscription:" + stored.id(),
            SubscriptionJson.subscription(current), SubscriptionJson.subscription(stored));
      }
    }
  }

  /** The approved or rolling-out change with a subscription edit for this instance and application. */
  static Optional<Long> subscriptionHolderOf(Connection c, String instance, String application) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT ch.id FROM change_subscription_edits e"
        + " JOIN changes ch ON ch.id = e.change_id"
        + " WHERE e.instance = ? AND e.application = ? AND ch.state IN ('approved', 'rolling_out')")) {
      ps.setString(1, instance);
      ps.setString(2, application);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /**
   * The subscriptions as rolling-out changes serve them to instances whose ring they have
   * reached, each stamped with the revision and time of that release.
   */
  static List<Subscription> ringSubscriptions(Connection c, ObjectMapper mapper) throws SQLException {
    List<Subscription> overlaid = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT e.subscription_id, e.instance, e.kind, e.body,"
        + " e.base_revision, r.revision, r.released_at FROM change_subscription_edits e"
        + " JOIN changes ch ON ch.id = e.change_id AND ch.state = 'rolling_out'"
        + " JOIN instances i ON i.id = e.instance"
        + " JOIN change_releases r ON r.change_id = e.change_id AND r.ring = i.ring"
        + " ORDER BY e.change_id, e.position");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        boolean creates = rs.getString(3).equals("create");
        SubscriptionEdit edit = SubscriptionEdit.fromBody(rs.getString(1), rs.getString(2), creates,
            parse(mapper, rs.getString(4)), rs.getLong(5));
        Subscription current = creates ? null : SubscriptionTables.subscription(c, edit.subscriptionId()).get(0);
        overlaid.add(edit.applyTo(current, rs.getLong(6), Instant.parse(rs.getString(7))));
      }
    }
    return overlaid;
  }

  private static String application(Connection c, SubscriptionEdit edit) throws SQLException {
    return edit.create() != null ? edit.create().application()
        : SubscriptionTables.subscription(c, edit.subscriptionId()).get(0).application();
  }

  /** The change's edits as published layer versions at {@code revision}. */
  private static void publishEdits(Connection c, ChangeRequest change, long revision) throws SQLException {
    List<String> contents = new ArrayList<>();
    for (ChangeEdit edit : change.edits()) {
      contents.add(edit.removes() ? null : CanonicalJson.toText(edit.content()));
    }
    insertLayerVersions(c, change.edits(), contents, revision);
  }

  /** One layer version per edited layer at {@code revision}; {@code contents} in edit order, null removes. */
  private static void insertLayerVersions(Connection c, List<ChangeEdit> edits, List<String> contents, long revision)
      throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO layer_versions (namespace, scope, revision, content) VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < edits.size(); i++) {
        insert.setString(1, edits.get(i).namespace());
        insert.setString(2, edits.get(i).scope().key());
        insert.setLong(3, revision);
        insert.setString(4, contents.get(i));
        insert.executeUpdate();
      }
    }
  }

  private static void insertRelease(Connection c, long id, RingPolicy ring, long revision, Instant now, ReleaseMode mode,
      String actor) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_releases"
        + " (change_id, ring, position, revision, released_at, mode, actor) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, ring.ring());
      ps.setInt(3, ring.position());
      ps.setLong(4, revision);
      ps.setString(5, now.toString());
      ps.setString(6, mode.wireName());
      ps.setString(7, actor);
      ps.executeUpdate();
    }
  }

  /** The first ring in rollout order that the change has not reached. */
  private static Optional<RingPolicy> nextRing(Connection c, ChangeRequest change) throws SQLException {
    return queryRingPolicies(c).stream().filter(r -> !change.releasedTo(r.ring())).findFirst();
  }

  /**
   * The start of every transition: the lease (if the engine acts) is still this holder's, and
   * the change is still at the version the caller saw.
   */
  private ChangeRequest begin(Connection c, long id, long expectedVersion, Lease lease, Instant now) throws SQLException {
    checkLease(c, lease, now);
    ChangeRequest change = requireChange(c, id);
    expect(change, expectedVersion);
    return change;
  }

  private static void checkLease(Connection c, Lease lease, Instant now) throws SQLException {
    if (lease == null) {
      return;
    }
    Optional<Lease> current = lease(c, lease.name());
    if (current.isEmpty() || !current.get().holder().equals(lease.holder()) || current.get().token() != lease.token()
        || !current.get().expiresAt().isAfter(now)) {
      throw new LeaseLostException("lease '" + lease.name() + "' (token " + lease.token() + ") is no longer held by "
          + lease.holder());
    }
  }

  private static Optional<Lease> lease(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT holder, token, expires_at FROM leases WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Lease(name, rs.getString(1), rs.getLong(2), Instant.parse(rs.getString(3))))
            : Optional.empty();
      }
    }
  }

  private static Optional<Freeze> frozen(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT reason, actor, since FROM rollout_freeze");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(new Freeze(rs.getString(1), rs.getString(2), Instant.parse(rs.getString(3))))
          : Optional.empty();
    }
  }

  private static void expect(ChangeRequest change, long expectedVersion) {
    if (change.version() != expectedVersion) {
      throw new ProblemException(ProblemType.CHANGE_CONFLICT, "change " + change.id() + " moved on since version "
          + expectedVersion + " (it is " + change.state().wireName() + " at version " + change.version() + ")");
    }
  }

  private static void requireOneRow(int updated, ChangeRequest change) {
    if (updated != 1) {
      throw new ProblemException(ProblemType.CHANGE_CONFLICT, "change " + change.id() + " moved on concurrently");
    }
  }

  private static ProblemException conflict(ChangeRequest change, String why) {
    return new ProblemException(ProblemType.CHANGE_CONFLICT,
        "change " + change.id() + " is " + change.state().wireName() + ": " + why);
  }

  /** The revision of the layer's newest published version, 0 if it never existed. */
  private static long publishedRevision(Connection c, String namespace, Scope scope) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT max(revision) FROM layer_versions WHERE namespace = ? AND scope = ?")) {
      ps.setString(1, namespace);
      ps.setString(2, scope.key());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The stored text of the layer's newest published version; {@code null} if removed or absent. */
  private static String publishedContent(Connection c, String namespace, Scope scope) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT content FROM layer_versions WHERE namespace = ? AND scope = ?"
        + " ORDER BY revision DESC LIMIT 1")) {
      ps.setString(1, namespace);
      ps.setString(2, scope.key());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private JsonNode schemaOf(Connection c, String namespace) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT json_schema FROM namespaces WHERE name = ?")) {
      ps.setString(1, namespace);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new ProblemException(ProblemType.NAMESPACE_NOT_FOUND, "namespace '" + namespace + "' does not exist");
        }
        String text = rs.getString(1);
        return text == null ? null : parse(mapper, text);
      }
    }
  }

  private static List<RingPolicy> queryRingPolicies(Connection c) throws SQLException {
    List<RingPolicy> rings = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, position, bake_seconds, min_ack_ratio,"
        + " ack_deadline_seconds, max_failing_ratio, max_error_ratio FROM rings ORDER BY position");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rings.add(new RingPolicy(rs.getString(1), rs.getInt(2), Duration.ofSeconds(rs.getLong(3)),
            new RingGate(rs.getDouble(4), Duration.ofSeconds(rs.getLong(5)), rs.getDouble(6), rs.getDouble(7))));
      }
    }
    return rings;
  }

  private ChangeRequest requireChange(Connection c, long id) throws SQLException {
    return queryChange(c, id).orElseThrow(
        () -> new ProblemException(ProblemType.CHANGE_NOT_FOUND, "change " + id + " does not exist"));
  }

  private Optional<ChangeRequest> queryChange(Connection c, long id) throws SQLException {
    List<ChangeEdit> edits = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT namespace, scope, content, base_revision FROM change_edits"
        + " WHERE change_id = ? ORDER BY position")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String content = rs.getString(3);
          edits.add(new ChangeEdit(rs.getString(1), Scope.parse(rs.getString(2)),
              content == null ? null : parse(mapper, content), rs.getLong(4)));
        }
      }
    }
    List<SubscriptionEdit> subscriptionEdits = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT subscription_id, instance, kind, body, base_revision"
        + " FROM change_subscription_edits WHERE change_id = ? ORDER BY position")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          subscriptionEdits.add(SubscriptionEdit.fromBody(rs.getString(1), rs.getString(2),
              rs.getString(3).equals("create"), parse(mapper, rs.getString(4)), rs.getLong(5)));
        }
      }
    }
    List<Approval> approvals = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT approver, comment, approved_at FROM change_approvals"
        + " WHERE change_id = ? ORDER BY approved_at, approver")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          approvals.add(new Approval(rs.getString(1), rs.getString(2), Instant.parse(rs.getString(3))));
        }
      }
    }
    List<RingRelease> releases = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT ring, position, revision, released_at, mode, actor"
        + " FROM change_releases WHERE change_id = ? ORDER BY revision, position")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          releases.add(new RingRelease(rs.getString(1), rs.getInt(2), rs.getLong(3), Instant.parse(rs.getString(4)),
              ReleaseMode.fromWire(rs.getString(5)), rs.getString(6)));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT " + CHANGE_COLUMNS + " FROM changes WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String releasedAt = rs.getString(8);
        return Optional.of(new ChangeRequest(rs.getLong(1), rs.getString(2), rs.getString(3),
            ChangeState.fromWire(rs.getString(4)), rs.getInt(5), rs.getInt(6) == 1, rs.getString(7),
            releasedAt == null ? null : Instant.parse(releasedAt), nullableLong(rs, 9), rs.getString(10),
            nullableLong(rs, 11), rs.getLong(12), Instant.parse(rs.getString(13)), Instant.parse(rs.getString(14)),
            edits, subscriptionEdits, approvals, releases));
      }
    }
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static JsonNode parse(ObjectMapper mapper, String text) throws SQLException {
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored content is not JSON", e);
    }
  }

  private static String target(long id) {
    return "change:" + id;
  }

  private static ObjectNode stateView(ChangeRequest change) {
    ObjectNode node = JSON.objectNode().put("state", change.state().wireName());
    if (change.currentRing() != null) {
      node.put("ring", change.currentRing());
    }
    return node;
  }

  private static ObjectNode changeView(ChangeRequest change) {
    ObjectNode node = JSON.objectNode();
    node.put("description", change.description());
    node.put("requiredApprovals", change.requiredApprovals());
    var edits = node.putArray("edits");
    for (ChangeEdit edit : change.edits()) {
      ObjectNode e = edits.addObject();
      e.put("namespace", edit.namespace());
      e.put("scope", edit.scope().key());
      e.set("content", edit.content());
      e.put("baseRevision", edit.baseRevision());
    }
    var subscriptions = node.putArray("subscriptionEdits");
    for (SubscriptionEdit edit : change.subscriptionEdits()) {
      ObjectNode e = subscriptions.addObject();
      e.put("subscription", edit.subscriptionId());
      e.put("instance", edit.instance());
      e.put("kind", edit.create() != null ? "create" : "change");
      e.set("fields", edit.body());
    }
    return node;
  }

  private static ObjectNode ringView(RingPolicy ring) {
    return JSON.objectNode()
        .put("bakeTime", ring.bakeTime().toString())
        .put("minAckRatio", ring.gate().minAckRatio())
        .put("ackDeadline", ring.gate().ackDeadline().toString())
        .put("maxFailingRatio", ring.gate().maxFailingRatio())
        .put("maxErrorRatio", ring.gate().maxErrorRatio());
  }

  private static ObjectNode freezeView(Freeze freeze) {
    return JSON.objectNode().put("reason", freeze.reason()).put("actor", freeze.actor()).put("since", freeze.since().toString());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
