package io.holdfast.server.store;

import com.fasterxml.jackson.databind.JsonNode;
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
    return readTransaction(StateReads::full);
  }

  @Override
  public Optional<StoreChanges> changesSince(long since) {
    return Optional.of(readTransaction(c -> StateReads.since(c, since)));
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
          long first = entries.get(entries.size() - 1).revision();
          long last = entries.get(0).revision();
          Map<Long, List<Scope>> scopes = LayerTables.scopesByRevision(c, namespace, first, last);
          Map<Long, RingReleases.Released> releases =
              RingReleases.byRevision(c, namespace, first, last);
          List<HistoryEntry> history = new ArrayList<>(entries.size());
          for (RevisionEntry entry : entries) {
            RingReleases.Released released = releases.get(entry.revision());
            List<Scope> written = scopes.get(entry.revision());
            // A hot-fix both writes layers and releases rings; a plain release writes none.
            List<Scope> touched =
                written != null ? written : released != null ? released.scopes() : List.<Scope>of();
            history.add(
                new HistoryEntry(
                    entry, List.copyOf(touched), released == null ? List.of() : released.rings()));
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
    return write(c -> FleetWrites.createRing(c, name, position, bakeTime, actor, now()));
  }

  @Override
  public Instance createInstance(
      String id, String ring, Map<String, String> labels, String credentialHash, String actor) {
    Map<String, String> givenLabels = labels == null ? Map.of() : labels;
    return write(
        c -> FleetWrites.createInstance(c, id, ring, givenLabels, credentialHash, actor, now()));
  }

  @Override
  public Instance updateInstance(String id, String ring, Map<String, String> labels, String actor) {
    return write(c -> FleetWrites.updateInstance(c, id, ring, labels, actor, now()));
  }

  @Override
  public void replaceInstanceCredential(String id, String credentialHash, String actor) {
    write(
        c -> {
          FleetWrites.replaceCredential(c, id, credentialHash, actor, now());
          return null;
        });
  }

  @Override
  public Namespace createNamespace(String name, String description, String actor) {
    return write(c -> LayerWrites.createNamespace(c, name, description, actor, now()));
  }

  @Override
  public Draft putDraft(
      String namespace, Scope scope, JsonNode content, String actor, Long expectedVersion) {
    return write(
        c -> LayerWrites.putDraft(c, namespace, scope, content, actor, expectedVersion, now()));
  }

  @Override
  public PublishResult publish(String namespace, Set<Scope> scopes, String message, String actor) {
    return write(c -> LayerWrites.publish(c, namespace, scopes, message, actor, now()));
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
