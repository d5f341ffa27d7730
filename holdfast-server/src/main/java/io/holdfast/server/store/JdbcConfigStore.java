package io.holdfast.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.audit.AuditEntry;
import io.holdfast.server.audit.AuditQuery;
import io.holdfast.server.audit.AuditVerification;
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.Role;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.Draft;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.LayerTables.StoredLayer;
import io.holdfast.server.subscription.Application;
import io.holdfast.server.subscription.NewSubscription;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionChange;
import io.holdfast.server.subscription.SubscriptionFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ConfigStore} over JDBC. Every write runs in one transaction on the writer pool and appends
 * exactly one row to {@code revisions} (except a heartbeat, which is not a revision); every failure
 * rolls it back completely.
 *
 * <p>Thread-safe: it holds no mutable state of its own.
 */
public final class JdbcConfigStore implements ConfigStore {

  private final Database database;
  private final Transactions transactions;
  private final Clock clock;
  private final AuditChain auditChain = new AuditChain();

  public JdbcConfigStore(Database database, Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.transactions = new Transactions(database);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public long currentRevision() {
    return read(RevisionLog::current);
  }

  @Override
  public StoreState loadState() {
    return readTransaction(
        c -> {
          long revision = RevisionLog.current(c);
          List<Ring> rings = RingTable.all(c);
          List<Instance> instances = InstanceTable.select(c, null);
          List<Namespace> namespaces = NamespaceTable.select(c, null);
          List<LayerVersion> layers = LayerTables.latest(c, null);
          List<AdminCredential> credentials = AdminCredentialTables.all(c);
          Map<Long, Instant> times = RevisionLog.assignmentTimes(c);
          for (LayerVersion layer : layers) {
            times.put(layer.revision(), layer.publishedAt());
          }
          List<RingLayer> ringLayers = OpenChanges.ringLayers(c);
          for (RingLayer layer : ringLayers) {
            times.put(layer.layer().revision(), layer.layer().publishedAt());
          }
          List<Subscription> subscriptions =
              SubscriptionTables.subscriptions(c, SubscriptionFilter.ALL);
          List<Subscription> ringSubscriptions = OpenChanges.ringSubscriptions(c);
          for (Subscription subscription : ringSubscriptions) {
            times.put(subscription.revision(), subscription.updatedAt());
          }
          return new StoreState(
              revision,
              rings,
              instances,
              namespaces,
              layers,
              credentials,
              times,
              subscriptions,
              ringLayers,
              ringSubscriptions);
        });
  }

  @Override
  public List<Ring> listRings() {
    return read(RingTable::all);
  }

  @Override
  public List<Instance> listInstances() {
    return read(c -> InstanceTable.select(c, null));
  }

  @Override
  public Optional<Instance> findInstance(String id) {
    return read(c -> InstanceTable.find(c, id));
  }

  @Override
  public List<Namespace> listNamespaces() {
    return read(c -> NamespaceTable.select(c, null));
  }

  @Override
  public Optional<Namespace> findNamespace(String name) {
    return read(c -> NamespaceTable.select(c, name).stream().findFirst());
  }

  @Override
  public List<Draft> listDrafts(String namespace) {
    return read(
        c -> {
          NamespaceTable.require(c, namespace);
          return LayerTables.drafts(c, namespace);
        });
  }

  @Override
  public List<LayerVersion> latestLayers(String namespace) {
    return read(
        c -> {
          NamespaceTable.require(c, namespace);
          return LayerTables.latest(c, namespace);
        });
  }

  @Override
  public Optional<LayerVersion> layerAt(String namespace, Scope scope, long revision) {
    return read(c -> LayerTables.at(c, namespace, scope, revision));
  }

  @Override
  public List<HistoryEntry> history(String namespace, int limit) {
    return read(
        c -> {
          NamespaceTable.require(c, namespace);
          List<RevisionEntry> entries = RevisionLog.ofNamespace(c, namespace, limit);
          if (entries.isEmpty()) {
            return List.of();
          }
          Map<Long, List<Scope>> scopes =
              LayerTables.scopesByRevision(
                  c,
                  namespace,
                  entries.get(entries.size() - 1).revision(),
                  entries.get(0).revision());
          List<HistoryEntry> history = new ArrayList<>(entries.size());
          for (RevisionEntry entry : entries) {
            history.add(
                new HistoryEntry(
                    entry, List.copyOf(scopes.getOrDefault(entry.revision(), List.of()))));
          }
          return history;
        });
  }

  @Override
  public Optional<RevisionEntry> findRevision(long revision) {
    return read(c -> RevisionLog.find(c, revision));
  }

  @Override
  public List<AdminCredential> listAdminCredentials() {
    return read(AdminCredentialTables::all);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public Ring createRing(String name, int position, Duration bakeTime, String actor) {
    return write(
        c -> {
          RingTable.requireFree(c, name, position);
          Instant now = now();
          long revision = RevisionLog.append(c, "ring", name, actor, "create ring", now);
          Ring ring = new Ring(name, position, Duration.ofSeconds(bakeTime.toSeconds()), revision);
          RingTable.insert(c, ring);
          AuditTable.append(
              c, now, actor, "ring.create", "ring:" + name, null, AuditViews.ring(ring));
          return ring;
        });
  }

  @Override
  public Instance createInstance(
      String id, String ring, Map<String, String> labels, String credentialHash, String actor) {
    Map<String, String> givenLabels = labels == null ? Map.of() : labels;
    return write(
        c -> {
          if (InstanceTable.exists(c, id)) {
            throw new ProblemException(
                ProblemType.ALREADY_EXISTS, "instance '" + id + "' already exists");
          }
          RingTable.require(c, ring);
          Instant now = now();
          long revision =
              RevisionLog.append(c, "instance", id, actor, "create instance in ring " + ring, now);
          Instance created =
              new Instance(id, ring, Map.copyOf(givenLabels), credentialHash, revision, now, now);
          InstanceTable.insert(c, created);
          AuditTable.append(
              c,
              now,
              actor,
              "instance.create",
              "instance:" + id,
              null,
              AuditViews.instance(id, ring, givenLabels));
          return created;
        });
  }

  @Override
  public Instance updateInstance(String id, String ring, Map<String, String> labels, String actor) {
    return write(
        c -> {
          Instance current =
              InstanceTable.find(c, id)
                  .orElseThrow(
                      () ->
                          new ProblemException(
                              ProblemType.INSTANCE_NOT_FOUND,
                              "instance '" + id + "' does not exist"));
          boolean ringChanges = ring != null && !ring.equals(current.ring());
          if (ringChanges) {
            RingTable.require(c, ring);
          }
          Instant now = now();
          String message = ringChanges ? "move instance to ring " + ring : "update instance labels";
          long revision = RevisionLog.append(c, "instance", id, actor, message, now);
          // Only a ring move changes the instance's documents, so only it moves the assignment
          // revision.
          long assignment = ringChanges ? revision : current.assignmentRevision();
          String newRing = ringChanges ? ring : current.ring();
          Map<String, String> newLabels = labels != null ? labels : current.labels();
          Instance updated =
              new Instance(
                  id,
                  newRing,
                  Map.copyOf(newLabels),
                  current.credentialHash(),
                  assignment,
                  current.createdAt(),
                  now);
          InstanceTable.update(c, updated);
          AuditTable.append(
              c,
              now,
              actor,
              "instance.update",
              "instance:" + id,
              AuditViews.instance(id, current.ring(), current.labels()),
              AuditViews.instance(id, newRing, newLabels));
          return updated;
        });
  }

  @Override
  public void replaceInstanceCredential(String id, String credentialHash, String actor) {
    write(
        c -> {
          InstanceTable.require(c, id);
          Instant now = now();
          RevisionLog.append(c, "credential", id, actor, "rotate instance credential", now);
          InstanceTable.replaceCredential(c, id, credentialHash, now);
          AuditTable.append(
              c, now, actor, "instance.rotate-credential", "instance:" + id, null, null);
          return null;
        });
  }

  @Override
  public Namespace createNamespace(String name, String description, String actor) {
    return write(
        c -> {
          NamespaceTable.requireAbsent(c, name);
          Instant now = now();
          long revision = RevisionLog.append(c, "namespace", name, actor, "create namespace", now);
          Namespace created = new Namespace(name, description, revision, now);
          NamespaceTable.insert(c, created);
          AuditTable.append(
              c,
              now,
              actor,
              "namespace.create",
              "namespace:" + name,
              null,
              AuditViews.namespace(name, description));
          return created;
        });
  }

  @Override
  public Draft putDraft(
      String namespace, Scope scope, JsonNode content, String actor, Long expectedVersion) {
    return write(
        c -> {
          NamespaceTable.require(c, namespace);
          LayerTables.requireTarget(c, scope);
          long current = LayerTables.draftVersion(c, namespace, scope);
          // Checked in the writing transaction: two editors who read version 3 cannot both write 4.
          if (expectedVersion != null && expectedVersion != current) {
            throw new ProblemException(
                ProblemType.PRECONDITION_FAILED,
                "the draft of layer "
                    + scope.key()
                    + " in namespace '"
                    + namespace
                    + "' is at version "
                    + current
                    + ", not "
                    + expectedVersion
                    + ": someone else staged it since;"
                    + " read it again and reapply your edit");
          }
          Draft draft =
              new Draft(
                  namespace,
                  scope,
                  content == null ? null : content.deepCopy(),
                  current + 1,
                  actor,
                  now());
          LayerTables.putDraft(c, draft);
          // Staging is not a revision (replicas do not serve drafts) but it is an admin action.
          AuditTable.append(
              c,
              draft.updatedAt(),
              actor,
              "layer.stage",
              "namespace:" + namespace,
              null,
              AuditViews.draft(scope, content));
          return draft;
        });
  }

  @Override
  public PublishResult publish(String namespace, Set<Scope> scopes, String message, String actor) {
    return write(
        c -> {
          NamespaceTable.require(c, namespace);
          List<Draft> drafts = new ArrayList<>();
          for (Draft draft : LayerTables.drafts(c, namespace)) {
            if (scopes.isEmpty() || scopes.contains(draft.scope())) {
              drafts.add(draft);
            }
          }
          for (Scope wanted : scopes) {
            if (drafts.stream().noneMatch(d -> d.scope().equals(wanted))) {
              throw new ProblemException(
                  ProblemType.NO_PENDING_CHANGES,
                  "layer "
                      + wanted.key()
                      + " of namespace '"
                      + namespace
                      + "' has no draft to publish");
            }
          }
          Map<Scope, LayerVersion> latest = new HashMap<>();
          for (LayerVersion layer : LayerTables.latest(c, namespace)) {
            latest.put(layer.scope(), layer);
          }
          List<Draft> changed = new ArrayList<>();
          for (Draft draft : drafts) {
            LayerVersion current = latest.get(draft.scope());
            JsonNode published = current == null ? null : current.content();
            if (!Objects.equals(published, draft.content())) {
              changed.add(draft);
            }
          }
          for (Draft draft : changed) {
            // A change request owns the layer until it ends: publishing around it would be undone
            // by
            // its completion or back-out, and the rollout's health gates would judge the wrong
            // content.
            Optional<Long> holder = OpenChanges.layerHolder(c, namespace, draft.scope());
            if (holder.isPresent()) {
              throw new ProblemException(
                  ProblemType.LAYER_HELD,
                  "layer "
                      + draft.scope().key()
                      + " of namespace '"
                      + namespace
                      + "' is held by change "
                      + holder.get()
                      + " until it completes or is backed out; nothing was published");
            }
          }
          if (changed.isEmpty()) {
            throw new ProblemException(
                ProblemType.NO_PENDING_CHANGES,
                drafts.isEmpty()
                    ? "namespace '" + namespace + "' has no drafts to publish"
                    : "the drafts of namespace '"
                        + namespace
                        + "' match what is already published");
          }
          Instant now = now();
          long revision = RevisionLog.append(c, "publish", namespace, actor, message, now);
          List<Scope> published = new ArrayList<>();
          List<StoredLayer> versions = new ArrayList<>();
          for (Draft draft : changed) {
            versions.add(StoredLayer.of(namespace, draft.scope(), draft.content()));
            published.add(draft.scope());
          }
          LayerTables.insertVersions(c, revision, versions);
          LayerTables.deleteDrafts(c, drafts);
          AuditTable.append(
              c,
              now,
              actor,
              "namespace.publish",
              "namespace:" + namespace,
              null,
              AuditViews.publish(revision, message, published));
          return new PublishResult(namespace, revision, List.copyOf(published));
        });
  }

  @Override
  public AdminCredential createAdminCredential(
      String name, Role role, String tokenHash, Instant expiresAt, String actor) {
    return write(
        c -> AdminCredentialWrites.create(c, name, role, tokenHash, expiresAt, actor, now()));
  }

  @Override
  public AdminCredential revokeAdminCredential(String name, String actor) {
    return write(c -> AdminCredentialWrites.revoke(c, name, actor, now()));
  }

  @Override
  public AdminCredential rotateAdminCredential(String name, String tokenHash, String actor) {
    return write(c -> AdminCredentialWrites.rotate(c, name, tokenHash, actor, now()));
  }

  @Override
  public AdminCredential updateAdminCredential(String name, CredentialUpdate update, String actor) {
    return write(c -> AdminCredentialWrites.update(c, name, update, actor, now()));
  }

  @Override
  public void recordAdminCredentialUse(Map<String, Instant> lastUsed) {
    if (lastUsed.isEmpty()) {
      return;
    }
    // No revision: when a credential was last used changes nothing any replica serves.
    write(c -> AdminCredentialTables.recordUse(c, lastUsed));
  }

  @Override
  public void recordAuditEvent(String actor, String action, String target, JsonNode details) {
    write(c -> AuditTable.append(c, now(), actor, action, target, null, details));
  }

  @Override
  public void ensureAdminCredential(String name, Role role, String tokenHash) {
    write(
        c -> {
          AdminCredentialWrites.ensure(c, name, role, tokenHash, now());
          return null;
        });
  }

  @Override
  public void recordHeartbeat(String instance, JsonNode heartbeat, Instant receivedAt) {
    Heartbeat report = new Heartbeat(instance, receivedAt, heartbeat);
    write(
        c -> {
          InstanceTable.require(c, instance);
          HeartbeatTable.put(c, report);
          return null;
        });
  }

  @Override
  public int recordHeartbeats(List<Heartbeat> heartbeats) {
    if (heartbeats.isEmpty()) {
      return 0;
    }
    return write(c -> HeartbeatTable.putAll(c, heartbeats));
  }

  @Override
  public Optional<Heartbeat> lastHeartbeat(String instance) {
    return read(c -> HeartbeatTable.find(c, instance));
  }

  @Override
  public List<Heartbeat> latestHeartbeats() {
    return read(HeartbeatTable::all);
  }

  // ---------------------------------------------------------------- applications and subscriptions

  @Override
  public List<Application> listApplications() {
    return read(c -> SubscriptionTables.applications(c, null));
  }

  @Override
  public Optional<Application> findApplication(String name) {
    return read(c -> SubscriptionTables.applications(c, name).stream().findFirst());
  }

  @Override
  public Application createApplication(String name, String displayName, String actor) {
    return write(c -> SubscriptionWrites.createApplication(c, name, displayName, actor, now()));
  }

  @Override
  public Application updateApplication(String name, String displayName, String actor) {
    return write(c -> SubscriptionWrites.updateApplication(c, name, displayName, actor, now()));
  }

  @Override
  public List<Subscription> listSubscriptions(SubscriptionFilter filter) {
    return read(c -> SubscriptionTables.subscriptions(c, filter));
  }

  @Override
  public Optional<Subscription> findSubscription(String id) {
    return read(c -> SubscriptionTables.subscription(c, id).stream().findFirst());
  }

  @Override
  public Subscription createSubscription(NewSubscription wanted, String actor) {
    return write(c -> SubscriptionWrites.create(c, wanted, actor, now()));
  }

  @Override
  public Subscription changeSubscription(String id, SubscriptionChange change, String actor) {
    return write(c -> SubscriptionWrites.change(c, id, change, actor, now()));
  }

  // ---------------------------------------------------------------- audit

  @Override
  public List<AuditEntry> auditLog(AuditQuery query) {
    return read(c -> AuditTable.query(c, query));
  }

  @Override
  public AuditVerification verifyAuditLog() {
    return auditChain.checkAll(verifier -> readTransaction(c -> AuditTable.walk(c, verifier)));
  }

  @Override
  public AuditVerification checkAuditLog() {
    return auditChain.checkSinceCheckpoint(
        verifier -> readTransaction(c -> AuditTable.walk(c, verifier)));
  }

  @Override
  public void close() {
    database.close();
  }

  // ---------------------------------------------------------------- helpers

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private <T> T read(Transactions.SqlWork<T> work) {
    return transactions.read(work);
  }

  private <T> T readTransaction(Transactions.SqlWork<T> work) {
    return transactions.readTransaction(work);
  }

  private <T> T write(Transactions.SqlWork<T> work) {
    return transactions.write(work);
  }
}
