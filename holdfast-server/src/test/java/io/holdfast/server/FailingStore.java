package io.holdfast.server;

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
import io.holdfast.server.store.AdminCredential;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.HistoryEntry;
import io.holdfast.server.store.PublishResult;
import io.holdfast.server.store.RevisionEntry;
import io.holdfast.server.store.Ring;
import io.holdfast.server.store.StoreChanges;
import io.holdfast.server.store.StoreState;
import io.holdfast.server.store.StoreUnavailableException;
import io.holdfast.server.subscription.Application;
import io.holdfast.server.subscription.NewSubscription;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionChange;
import io.holdfast.server.subscription.SubscriptionFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A failpoint around a real store: while {@link #down} is set, every call fails as an unreachable
 * database does. Used for faults a live SQLite file cannot be made to produce on demand (FAULTS.md
 * A13, A18).
 */
public final class FailingStore implements ConfigStore {

  private final ConfigStore delegate;
  public final AtomicBoolean down = new AtomicBoolean();

  /**
   * FPT {@code store.afterCommit}: a publish commits, then the call fails as if the replica died
   * before acknowledging it (FAULTS A19).
   */
  public final AtomicBoolean failAfterPublishCommit = new AtomicBoolean();

  /**
   * FPT {@code store.slowChanges}: while set, reading what changed since a revision (the start of
   * every snapshot refresh that has something to do) waits until the latch opens, as a store
   * answering slowly does.
   */
  public final AtomicReference<CountDownLatch> holdChanges = new AtomicReference<>();

  /** How many reads of changes have waited on {@link #holdChanges}. */
  public final AtomicInteger heldChanges = new AtomicInteger();

  public FailingStore(ConfigStore delegate) {
    this.delegate = delegate;
  }

  private void check() {
    if (down.get()) {
      throw new StoreUnavailableException(
          "injected failure: store.down", new java.sql.SQLException("injected"));
    }
  }

  @Override
  public long currentRevision() {
    check();
    return delegate.currentRevision();
  }

  @Override
  public StoreState loadState() {
    check();
    return delegate.loadState();
  }

  @Override
  public Optional<StoreChanges> changesSince(long since) {
    check();
    CountDownLatch hold = holdChanges.get();
    if (hold != null) {
      heldChanges.incrementAndGet();
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return delegate.changesSince(since);
  }

  @Override
  public List<Ring> listRings() {
    check();
    return delegate.listRings();
  }

  @Override
  public Ring createRing(String name, int position, Duration bakeTime, String actor) {
    check();
    return delegate.createRing(name, position, bakeTime, actor);
  }

  @Override
  public List<Instance> listInstances() {
    check();
    return delegate.listInstances();
  }

  @Override
  public Optional<Instance> findInstance(String id) {
    check();
    return delegate.findInstance(id);
  }

  @Override
  public Instance createInstance(
      String id, String ring, Map<String, String> labels, String credentialHash, String actor) {
    check();
    return delegate.createInstance(id, ring, labels, credentialHash, actor);
  }

  @Override
  public Instance updateInstance(String id, String ring, Map<String, String> labels, String actor) {
    check();
    return delegate.updateInstance(id, ring, labels, actor);
  }

  @Override
  public void replaceInstanceCredential(String id, String credentialHash, String actor) {
    check();
    delegate.replaceInstanceCredential(id, credentialHash, actor);
  }

  @Override
  public List<Namespace> listNamespaces() {
    check();
    return delegate.listNamespaces();
  }

  @Override
  public Optional<Namespace> findNamespace(String name) {
    check();
    return delegate.findNamespace(name);
  }

  @Override
  public Namespace createNamespace(String name, String description, String actor) {
    check();
    return delegate.createNamespace(name, description, actor);
  }

  @Override
  public Draft putDraft(
      String namespace, Scope scope, JsonNode content, String actor, Long expectedVersion) {
    check();
    return delegate.putDraft(namespace, scope, content, actor, expectedVersion);
  }

  @Override
  public List<Draft> listDrafts(String namespace) {
    check();
    return delegate.listDrafts(namespace);
  }

  @Override
  public List<LayerVersion> latestLayers(String namespace) {
    check();
    return delegate.latestLayers(namespace);
  }

  @Override
  public Optional<LayerVersion> layerAt(String namespace, Scope scope, long revision) {
    check();
    return delegate.layerAt(namespace, scope, revision);
  }

  @Override
  public PublishResult publish(String namespace, Set<Scope> scopes, String message, String actor) {
    check();
    PublishResult committed = delegate.publish(namespace, scopes, message, actor);
    if (failAfterPublishCommit.get()) {
      throw new StoreUnavailableException(
          "injected failure: store.afterCommit", new java.sql.SQLException("injected"));
    }
    return committed;
  }

  @Override
  public List<HistoryEntry> history(String namespace, int limit) {
    check();
    return delegate.history(namespace, limit);
  }

  @Override
  public Optional<RevisionEntry> findRevision(long revision) {
    check();
    return delegate.findRevision(revision);
  }

  @Override
  public List<AdminCredential> listAdminCredentials() {
    check();
    return delegate.listAdminCredentials();
  }

  @Override
  public AdminCredential createAdminCredential(
      String name, Role role, String tokenHash, Instant expiresAt, String actor) {
    check();
    return delegate.createAdminCredential(name, role, tokenHash, expiresAt, actor);
  }

  @Override
  public AdminCredential revokeAdminCredential(String name, String actor) {
    check();
    return delegate.revokeAdminCredential(name, actor);
  }

  @Override
  public AdminCredential rotateAdminCredential(String name, String tokenHash, String actor) {
    check();
    return delegate.rotateAdminCredential(name, tokenHash, actor);
  }

  @Override
  public AdminCredential updateAdminCredential(
      String name, io.holdfast.server.store.CredentialUpdate update, String actor) {
    check();
    return delegate.updateAdminCredential(name, update, actor);
  }

  @Override
  public void recordAdminCredentialUse(Map<String, Instant> lastUsed) {
    check();
    delegate.recordAdminCredentialUse(lastUsed);
  }

  @Override
  public void recordAuditEvent(String actor, String action, String target, JsonNode details) {
    check();
    delegate.recordAuditEvent(actor, action, target, details);
  }

  @Override
  public void ensureAdminCredential(String name, Role role, String tokenHash) {
    check();
    delegate.ensureAdminCredential(name, role, tokenHash);
  }

  @Override
  public void recordHeartbeat(String instance, JsonNode heartbeat, Instant receivedAt) {
    check();
    delegate.recordHeartbeat(instance, heartbeat, receivedAt);
  }

  @Override
  public int recordHeartbeats(List<Heartbeat> heartbeats) {
    check();
    return delegate.recordHeartbeats(heartbeats);
  }

  @Override
  public Optional<Heartbeat> lastHeartbeat(String instance) {
    check();
    return delegate.lastHeartbeat(instance);
  }

  @Override
  public List<Heartbeat> latestHeartbeats() {
    check();
    return delegate.latestHeartbeats();
  }

  @Override
  public List<Application> listApplications() {
    check();
    return delegate.listApplications();
  }

  @Override
  public Optional<Application> findApplication(String name) {
    check();
    return delegate.findApplication(name);
  }

  @Override
  public Application createApplication(String name, String displayName, String actor) {
    check();
    return delegate.createApplication(name, displayName, actor);
  }

  @Override
  public Application updateApplication(String name, String displayName, String actor) {
    check();
    return delegate.updateApplication(name, displayName, actor);
  }

  @Override
  public List<Subscription> listSubscriptions(SubscriptionFilter filter) {
    check();
    return delegate.listSubscriptions(filter);
  }

  @Override
  public Optional<Subscription> findSubscription(String id) {
    check();
    return delegate.findSubscription(id);
  }

  @Override
  public Subscription createSubscription(NewSubscription subscription, String actor) {
    check();
    return delegate.createSubscription(subscription, actor);
  }

  @Override
  public Subscription changeSubscription(String id, SubscriptionChange change, String actor) {
    check();
    return delegate.changeSubscription(id, change, actor);
  }

  @Override
  public List<AuditEntry> auditLog(AuditQuery query) {
    check();
    return delegate.auditLog(query);
  }

  @Override
  public AuditVerification verifyAuditLog() {
    check();
    return delegate.verifyAuditLog();
  }

  @Override
  public AuditVerification checkAuditLog() {
    check();
    return delegate.checkAuditLog();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
