package io.holdfast.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ProblemException;
import io.holdfast.server.audit.AuditEntry;
import io.holdfast.server.audit.AuditQuery;
import io.holdfast.server.audit.AuditVerification;
import io.holdfast.server.model.Role;
import io.holdfast.server.model.Scope;
import io.holdfast.server.subscription.Application;
import io.holdfast.server.subscription.NewSubscription;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionChange;
import io.holdfast.server.subscription.SubscriptionFilter;
import io.holdfast.server.subscription.SubscriptionJson;
import io.holdfast.server.subscription.SubscriptionRules;
import io.holdfast.server.subscription.SubscriptionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@link ConfigStore} over JDBC. Every write runs in one transaction on the writer pool and
 * appends exactly one row to {@code revisions} (except a heartbeat, which is not a revision);
 * every failure rolls it back completely.
 *
 * <p>Thread-safe: it holds no mutable state of its own.
 */
public final class JdbcConfigStore implements ConfigStore {

  /**
   * Heartbeat times are stored fixed-width (always three fraction digits) so that comparing the
   * text compares the times: {@link Instant#toString()} drops a zero fraction.
   */
  private static final java.time.format.DateTimeFormatter HEARTBEAT_TIME =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final Database database;
  private final Transactions transactions;
  private final Clock clock;
  private final ObjectMapper mapper = new ObjectMapper();
  private final AuditChain auditChain = new AuditChain();

  public JdbcConfigStore(Database database, Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.transactions = new Transactions(database);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public long currentRevision() {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT max(revision) FROM revisions");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public StoreState loadState() {
    return readTransaction(c -> {
      long revision;
      try (PreparedStatement ps = c.prepareStatement("SELECT max(revision) FROM revisions");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        revision = rs.getLong(1);
      }
      List<Ring> rings = queryRings(c);
      List<Instance> instances = queryInstances(c, null);
      List<Namespace> namespaces = queryNamespaces(c, null);
      List<LayerVersion> layers = queryLatestLayers(c, null);
      List<AdminCredential> credentials = AdminCredentialTables.all(c);
      Map<Long, Instant> times = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT revision, created_at FROM revisions WHERE revision IN ("
              + "SELECT assignment_revision FROM instances UNION SELECT revision FROM namespaces"
              + " UNION SELECT revision FROM subscriptions)");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          times.put(rs.getLong(1), Instant.parse(rs.getString(2)));
        }
      }
      for (LayerVersion layer : layers) {
        times.put(layer.revision(), layer.publishedAt());
      }
      List<RingLayer> ringLayers = JdbcRolloutStore.ringLayers(c, mapper);
      for (RingLayer layer : ringLayers) {
        times.put(layer.layer().revision(), layer.layer().publishedAt());
      }
      List<Subscription> subscriptions = SubscriptionTables.subscriptions(c, SubscriptionFilter.ALL);
      List<Subscription> ringSubscriptions = JdbcRolloutStore.ringSubscriptions(c, mapper);
      for (Subscription subscription : ringSubscriptions) {
        times.put(subscription.revision(), subscription.updatedAt());
      }
      return new StoreState(revision, rings, instances, namespaces, layers, credentials, times, subscriptions,
          ringLayers, ringSubscriptions);
    });
  }

  @Override
  public List<Ring> listRings() {
    return read(JdbcConfigStore::queryRings);
  }

  @Override
  public List<Instance> listInstances() {
    return read(c -> queryInstances(c, null));
  }

  @Override
  public Optional<Instance> findInstance(String id) {
    return read(c -> queryInstances(c, id).stream().findFirst());
  }

  @Override
  public List<Namespace> listNamespaces() {
    return read(c -> queryNamespaces(c, null));
  }

  @Override
  public Optional<Namespace> findNamespace(String name) {
    return read(c -> queryNamespaces(c, name).stream().findFirst());
  }

  @Override
  public List<Draft> listDrafts(String namespace) {
    return read(c -> {
      requireNamespace(c, namespace);
      return queryDrafts(c, namespace);
    });
  }

  @Override
  public List<LayerVersion> latestLayers(String namespace) {
    return read(c -> {
      requireNamespace(c, namespace);
      return queryLatestLayers(c, namespace);
    });
  }

  @Override
  public Optional<LayerVersion> layerAt(String namespace, Scope scope, long revision) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT lv.namespace, lv.scope, lv.revision, lv.content, r.created_at FROM layer_versions lv"
              + " JOIN revisions r ON r.revision = lv.revision"
              + " WHERE lv.namespace = ? AND lv.scope = ? AND lv.revision <= ?"
              + " ORDER BY lv.revision DESC LIMIT 1")) {
        ps.setString(1, namespace);
        ps.setString(2, scope.key());
        ps.setLong(3, revision);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(layerVersion(rs)) : Optional.<LayerVersion>empty();
        }
      }
    });
  }

  @Override
  public List<HistoryEntry> history(String namespace, int limit) {
    return read(c -> {
      requireNamespace(c, namespace);
      List<RevisionEntry> entries = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT revision, kind, subject, actor, message, created_at FROM revisions"
              + " WHERE (subject = ? AND kind = 'namespace')"
              // Publishes, and the completions and back-outs of change requests, all write layer versions.
              + " OR revision IN (SELECT revision FROM layer_versions WHERE namespace = ?)"
              + " ORDER BY revision DESC LIMIT ?")) {
        ps.setString(1, namespace);
        ps.setString(2, namespace);
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            entries.add(revisionEntry(rs));
          }
        }
      }
      if (entries.isEmpty()) {
        return List.of();
      }
      Map<Long, List<Scope>> scopes = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT revision, scope FROM layer_versions WHERE namespace = ? AND revision BETWEEN ? AND ? ORDER BY scope")) {
        ps.setString(1, namespace);
        ps.setLong(2, entries.get(entries.size() - 1).revision());
        ps.setLong(3, entries.get(0).revision());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            scopes.computeIfAbsent(rs.getLong(1), r -> new ArrayList<>()).add(Scope.parse(rs.getString(2)));
          }
        }
      }
      List<HistoryEntry> history = new ArrayList<>(entries.size());
      for (RevisionEntry entry : entries) {
        history.add(new HistoryEntry(entry, List.copyOf(scopes.getOrDefault(entry.revision(), List.of()))));
      }
      return history;
    });
  }

  @Override
  public Optional<RevisionEntry> findRevision(long revision) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT revision, kind, subject, actor, message, created_at FROM revisions WHERE revision = ?")) {
        ps.setLong(1, revision);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(revisionEntry(rs)) : Optional.<RevisionEntry>empty();
        }
      }
    });
  }

  @Override
  public List<AdminCredential> listAdminCredentials() {
    return read(AdminCredentialTables::all);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public Ring createRing(String name, int position, Duration bakeTime, String actor) {
    return write(c -> {
      if (exists(c, "SELECT 1 FROM rings WHERE name = ?", name)) {
        throw new ProblemException(ProblemType.ALREADY_EXISTS, "ring '" + name + "' already exists");
      }
      if (exists(c, "SELECT 1 FROM rings WHERE position = ?", position)) {
        throw new ProblemException(ProblemType.ALREADY_EXISTS, "another ring already has position " + position);
      }
      Instant now = now();
      long revision = appendRevision(c, "ring", name, actor, "create ring", now);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO rings (name, position, bake_seconds, revision) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, name);
        ps.setInt(2, position);
        ps.setLong(3, bakeTime.toSeconds());
        ps.setLong(4, revision);
        ps.executeUpdate();
      }
      Ring ring = new Ring(name, position, Duration.ofSeconds(bakeTime.toSeconds()), revision);
      AuditTable.append(c, now, actor, "ring.create", "ring:" + name, null, AuditViews.ring(ring));
      return ring;
    });
  }

  @Override
  public Instance createInstance(
      String id, String ring, Map<String, String> labels, String credentialHash, String actor) {
    Map<String, String> givenLabels = labels == null ? Map.of() : labels;
    return write(c -> {
      if (exists(c, "SELECT 1 FROM instances WHERE id = ?", id)) {
        throw new ProblemException(ProblemType.ALREADY_EXISTS, "instance '" + id + "' already exists");
      }
      requireRing(c, ring);
      Instant now = now();
      long revision = appendRevision(c, "instance", id, actor, "create instance in ring " + ring, now);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO instances (id, ring, labels, credential_hash, assignment_revision, created_at, updated_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, id);
        ps.setString(2, ring);
        ps.setString(3, json(givenLabels));
        ps.setString(4, credentialHash);
        ps.setLong(5, revision);
        ps.setString(6, now.toString());
        ps.setString(7, now.toString());
        ps.executeUpdate();
      }
      AuditTable.append(c, now, actor, "instance.create", "instance:" + id, null,
          AuditViews.instance(id, ring, givenLabels));
      return new Instance(id, ring, Map.copyOf(givenLabels), credentialHash, revision, now, now);
    });
  }

  @Override
  public Instance updateInstance(String id, String ring, Map<String, String> labels, String actor) {
    return write(c -> {
      Instance current = queryInstances(c, id).stream().findFirst()
          .orElseThrow(() -> new ProblemException(ProblemType.INSTANCE_NOT_FOUND, "instance '" + id + "' does not exist"));
      boolean ringChanges = ring != null && !ring.equals(current.ring());
      if (ringChanges) {
        requireRing(c, ring);
      }
      Instant now = now();
      String message = ringChanges ? "move instance to ring " + ring : "update instance labels";
      long revision = appendRevision(c, "instance", id, actor, message, now);
      // Only a ring move changes the instance's documents, so only it moves the assignment revision.
      long assignment = ringChanges ? revision : current.assignmentRevision();
      String newRing = ringChanges ? ring : current.ring();
      Map<String, String> newLabels = labels != null ? labels : current.labels();
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE instances SET ring = ?, labels = ?, assignment_revision = ?, updated_at = ? WHERE id = ?")) {
        ps.setString(1, newRing);
        ps.setString(2, json(newLabels));
        ps.setLong(3, assignment);
        ps.setString(4, now.toString());
        ps.setString(5, id);
        ps.executeUpdate();
      }
      AuditTable.append(c, now, actor, "instance.update", "instance:" + id,
          AuditViews.instance(id, current.ring(), current.labels()), AuditViews.instance(id, newRing, newLabels));
      return new Instance(id, newRing, Map.copyOf(newLabels), current.credentialHash(), assignment, current.createdAt(), now);
    });
  }

  @Override
  public void replaceInstanceCredential(String id, String credentialHash, String actor) {
    write(c -> {
      if (!exists(c, "SELECT 1 FROM instances WHERE id = ?", id)) {
        throw new ProblemException(ProblemType.INSTANCE_NOT_FOUND, "instance '" + id + "' does not exist");
      }
      Instant now = now();
      appendRevision(c, "credential", id, actor, "rotate instance credential", now);
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE instances SET credential_hash = ?, updated_at = ? WHERE id = ?")) {
        ps.setString(1, credentialHash);
        ps.setString(2, now.toString());
        ps.setString(3, id);
        ps.executeUpdate();
      }
      AuditTable.append(c, now, actor, "instance.rotate-credential", "instance:" + id, null, null);
      return null;
    });
  }

  @Override
  public Namespace createNamespace(String name, String description, String actor) {
    return write(c -> {
      if (exists(c, "SELECT 1 FROM namespaces WHERE name = ?", name)) {
        throw new ProblemException(ProblemType.ALREADY_EXISTS, "namespace '" + name + "' already exists");
      }
      Instant now = now();
      long revision = appendRevision(c, "namespace", name, actor, "create namespace", now);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO namespaces (name, description, revision, created_at) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, name);
        ps.setString(2, description);
        ps.setLong(3, revision);
        ps.setString(4, now.toString());
        ps.executeUpdate();
      }
      AuditTable.append(c, now, actor, "namespace.create", "namespace:" + name, null,
          AuditViews.namespace(name, description));
      return new Namespace(name, description, revision, now);
    });
  }

  @Override
  public Draft putDraft(String namespace, Scope scope, JsonNode content, String actor, Long expectedVersion) {
    return write(c -> {
      requireNamespace(c, namespace);
      requireScopeTarget(c, scope);
      long current = 0;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT version FROM layer_drafts WHERE namespace = ? AND scope = ?")) {
        ps.setString(1, namespace);
        ps.setString(2, scope.key());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            current = rs.getLong(1);
          }
        }
      }
      // Checked in the writing transaction: two editors who read version 3 cannot both write 4.
      if (expectedVersion != null && expectedVersion != current) {
        throw new ProblemException(ProblemType.PRECONDITION_FAILED, "the draft of layer " + scope.key() + " in namespace '"
            + namespace + "' is at version " + current + ", not " + expectedVersion + ": someone else staged it since;"
            + " read it again and reapply your edit");
      }
      long version = current + 1;
      Instant now = now();
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO layer_drafts (namespace, scope, content, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
              + " ON CONFLICT (namespace, scope) DO UPDATE SET content = excluded.content, version = excluded.version,"
              + " updated_by = excluded.updated_by, updated_at = excluded.updated_at")) {
        ps.setString(1, namespace);
        ps.setString(2, scope.key());
        ps.setString(3, content == null ? null : CanonicalJson.toText(content));
        ps.setLong(4, version);
        ps.setString(5, actor);
        ps.setString(6, now.toString());
        ps.executeUpdate();
      }
      // Staging is not a revision (replicas do not serve drafts) but it is an admin action.
      AuditTable.append(c, now, actor, "layer.stage", "namespace:" + namespace, null, AuditViews.draft(scope, content));
      return new Draft(namespace, scope, content == null ? null : content.deepCopy(), version, actor, now);
    });
  }

  @Override
  public PublishResult publish(String namespace, Set<Scope> scopes, String message, String actor) {
    return write(c -> {
      requireNamespace(c, namespace);
      List<Draft> drafts = new ArrayList<>();
      for (Draft draft : queryDrafts(c, namespace)) {
        if (scopes.isEmpty() || scopes.contains(draft.scope())) {
          drafts.add(draft);
        }
      }
      for (Scope wanted : scopes) {
        if (drafts.stream().noneMatch(d -> d.scope().equals(wanted))) {
          throw new ProblemException(ProblemType.NO_PENDING_CHANGES,
              "layer " + wanted.key() + " of namespace '" + namespace + "' has no draft to publish");
        }
      }
      Map<Scope, LayerVersion> latest = new HashMap<>();
      for (LayerVersion layer : queryLatestLayers(c, namespace)) {
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
        // A change request owns the layer until it ends: publishing around it would be undone by
        // its completion or back-out, and the rollout's health gates would judge the wrong content.
        Optional<Long> holder = JdbcRolloutStore.holderOf(c, namespace, draft.scope());
        if (holder.isPresent()) {
          throw new ProblemException(ProblemType.LAYER_HELD, "layer " + draft.scope().key() + " of namespace '" + namespace
              + "' is held by change " + holder.get() + " until it completes or is backed out; nothing was published");
        }
      }
      if (changed.isEmpty()) {
        throw new ProblemException(ProblemType.NO_PENDING_CHANGES, drafts.isEmpty()
            ? "namespace '" + namespace + "' has no drafts to publish"
            : "the drafts of namespace '" + namespace + "' match what is already published");
      }
      Instant now = now();
      long revision = appendRevision(c, "publish", namespace, actor, message, now);
      List<Scope> published = new ArrayList<>();
      try (PreparedStatement insert = c.prepareStatement(
              "INSERT INTO layer_versions (namespace, scope, revision, content) VALUES (?, ?, ?, ?)");
          PreparedStatement delete = c.prepareStatement(
              "DELETE FROM layer_drafts WHERE namespace = ? AND scope = ?")) {
        for (Draft draft : changed) {
          insert.setString(1, namespace);
          insert.setString(2, draft.scope().key());
          insert.setLong(3, revision);
          insert.setString(4, draft.content() == null ? null : CanonicalJson.toText(draft.content()));
          insert.executeUpdate();
          published.add(draft.scope());
        }
        for (Draft draft : drafts) {
          delete.setString(1, namespace);
          delete.setString(2, draft.scope().key());
          delete.executeUpdate();
        }
      }
      AuditTable.append(c, now, actor, "namespace.publish", "namespace:" + namespace, null,
          AuditViews.publish(revision, message, published));
      return new PublishResult(namespace, revision, List.copyOf(published));
    });
  }

  @Override
  public AdminCredential createAdminCredential(String name, Role role, String tokenHash, Instant expiresAt, String actor) {
    return write(c -> {
      Instant now = now();
      Optional<AdminCredential> existing = AdminCredentialTables.find(c, name);
      if (existing.isPresent() && !existing.get().revoked()) {
        throw new ProblemException(ProblemType.ALREADY_EXISTS, "credential '" + name + "' already exists");
      }
      if (expiresAt != null && !expiresAt.isAfter(now)) {
        throw new ProblemException(ProblemType.INVALID_REQUEST, "'expiresAt' must be in the future, was " + expiresAt);
      }
      long revision = appendRevision(c, "credential", name, actor, "create admin credential (" + role.wireName() + ")", now);
      if (existing.isPresent()) {
        // A revoked name may be given to a new credential; the audit log keeps the old one's story.
        AdminCredentialTables.delete(c, name);
      }
      AdminCredentialTables.insert(c, name, role, tokenHash, now, expiresAt, revision, null);
      AdminCredential created = new AdminCredential(name, role, tokenHash, now, expiresAt, null, null);
      AuditTable.append(c, now, actor, "credential.create", "credential:" + name,
          existing.map(old -> AuditViews.credential(old, now)).orElse(null), AuditViews.credential(created, now));
      return created;
    });
  }

  @Override
  public AdminCredential revokeAdminCredential(String name, String actor) {
    return write(c -> {
      Instant now = now();
      AdminCredential credential = AdminCredentialTables.requireLive(c, name);
      if (credential.role() == Role.ADMIN) {
        AdminCredentialTables.requireAnotherAdmin(c, name, now, "revoke");
      }
      long revision = appendRevision(c, "credential", name, actor, "revoke admin credential", now);
      AdminCredentialTables.revoke(c, name, now, revision);
      AdminCredential revoked = new AdminCredential(name, credential.role(), credential.tokenHash(),
          credential.createdAt(), credential.expiresAt(), now, credential.lastUsedAt());
      AuditTable.append(c, now, actor, "credential.revoke", "credential:" + name,
          AuditViews.credential(credential, now), AuditViews.credential(revoked, now));
      return revoked;
    });
  }

  @Override
  public AdminCredential rotateAdminCredential(String name, String tokenHash, String actor) {
    return write(c -> {
      Instant now = now();
      AdminCredential credential = AdminCredentialTables.requireLive(c, name);
      long revision = appendRevision(c, "credential", name, actor, "rotate admin credential", now);
      AdminCredentialTables.replaceToken(c, name, tokenHash, revision);
      // Neither view holds a hash: the row says that the token changed, by whom and when.
      AuditTable.append(c, now, actor, "credential.rotate", "credential:" + name,
          AuditViews.credential(credential, now), AuditViews.credential(credential, now));
      return new AdminCredential(name, credential.role(), tokenHash, credential.createdAt(), credential.expiresAt(),
          null, credential.lastUsedAt());
    });
  }

  @Override
  public AdminCredential updateAdminCredential(String name, CredentialUpdate update, String actor) {
    return write(c -> {
      Instant now = now();
      AdminCredential credential = AdminCredentialTables.requireLive(c, name);
      Role role = update.role() == null ? credential.role() : update.role();
      Instant expiresAt = update.changesExpiry() ? update.expiresAt() : credential.expiresAt();
      if (update.changesExpiry() && expiresAt != null && !expiresAt.isAfter(now)) {
        throw new ProblemException(ProblemType.INVALID_REQUEST, "'expiresAt' must be in the future, was " + expiresAt);
      }
      if (credential.role() == Role.ADMIN && role != Role.ADMIN) {
        AdminCredentialTables.requireAnotherAdmin(c, name, now, "demote");
      }
      if (role == Role.ADMIN && expiresAt != null && credential.expiresAt() == null) {
        AdminCredentialTables.requireAnotherAdmin(c, name, now, "set an expiry on");
      }
      long revision = appendRevision(c, "credential", name, actor,
          "update admin credential (" + role.wireName() + ", expires " + (expiresAt == null ? "never" : expiresAt) + ")", now);
      AdminCredentialTables.change(c, name, role, expiresAt, revision);
      AdminCredential updated = new AdminCredential(name, role, credential.tokenHash(), credential.createdAt(), expiresAt,
          null, credential.lastUsedAt());
      AuditTable.append(c, now, actor, "credential.update", "credential:" + name,
          AuditViews.credential(credential, now), AuditViews.credential(updated, now));
      return updated;
    });
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
    write(c -> {
      if (AdminCredentialTables.configuredHash(c, name).filter(tokenHash::equals).isPresent()) {
        // Set from this very token before: whatever was done to the credential since (rotated,
        // demoted, revoked) stands. Only a new configured token resets it.
        return null;
      }
      Instant now = now();
      long revision = appendRevision(c, "credential", name, "system", "bootstrap admin credential from configuration", now);
      AdminCredentialTables.delete(c, name);
      AdminCredentialTables.deleteHolderOf(c, tokenHash);
      AdminCredentialTables.insert(c, name, role, tokenHash, now, null, revision, tokenHash);
      AuditTable.append(c, now, "system", "credential.bootstrap", "credential:" + name, null,
          AuditViews.credential(name, role));
      return null;
    });
  }

  @Override
  public void recordHeartbeat(String instance, JsonNode heartbeat, Instant receivedAt) {
    String body = CanonicalJson.toText(heartbeat);
    String at = HEARTBEAT_TIME.format(receivedAt);
    write(c -> {
      if (!exists(c, "SELECT 1 FROM instances WHERE id = ?", instance)) {
        throw new ProblemException(ProblemType.INSTANCE_NOT_FOUND, "instance '" + instance + "' does not exist");
      }
      // No revision: a heartbeat changes nothing that replicas serve.
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO heartbeats (instance, received_at, body) VALUES (?, ?, ?)"
              + " ON CONFLICT (instance) DO UPDATE SET received_at = excluded.received_at, body = excluded.body")) {
        ps.setString(1, instance);
        ps.setString(2, at);
        ps.setString(3, body);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public int recordHeartbeats(List<Heartbeat> heartbeats) {
    if (heartbeats.isEmpty()) {
      return 0;
    }
    return write(c -> {
      // One statement per heartbeat in one transaction: a batch costs one commit (one fsync).
      // An instance deleted meanwhile matches no row in the SELECT and is skipped; an older
      // report never replaces a newer one (batches from two replicas may interleave).
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO heartbeats (instance, received_at, body) SELECT id, ?, ? FROM instances WHERE id = ?"
              + " ON CONFLICT (instance) DO UPDATE SET received_at = excluded.received_at, body = excluded.body"
              + " WHERE excluded.received_at >= heartbeats.received_at")) {
        for (Heartbeat heartbeat : heartbeats) {
          ps.setString(1, HEARTBEAT_TIME.format(heartbeat.receivedAt()));
          ps.setString(2, CanonicalJson.toText(heartbeat.body()));
          ps.setString(3, heartbeat.instance());
          ps.addBatch();
        }
        int stored = 0;
        for (int count : ps.executeBatch()) {
          stored += Math.max(0, count);
        }
        return stored;
      }
    });
  }

  @Override
  public Optional<Heartbeat> lastHeartbeat(String instance) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT instance, received_at, body FROM heartbeats WHERE instance = ?")) {
        ps.setString(1, instance);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(heartbeat(rs)) : Optional.<Heartbeat>empty();
        }
      }
    });
  }

  @Override
  public List<Heartbeat> latestHeartbeats() {
    return read(c -> {
      List<Heartbeat> heartbeats = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT instance, received_at, body FROM heartbeats ORDER BY instance");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          heartbeats.add(heartbeat(rs));
        }
      }
      return heartbeats;
    });
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
    return write(c -> {
      if (exists(c, "SELECT 1 FROM applications WHERE name = ?", name)) {
        throw new ProblemException(ProblemType.ALREADY_EXISTS, "application '" + name + "' already exists");
      }
      Instant now = now();
      long revision = appendRevision(c, "application", name, actor, "create application", now);
      Application application = new Application(name, displayName, revision, now, now);
      SubscriptionTables.insertApplication(c, application);
      AuditTable.append(c, now, actor, "application.create", "application:" + name, null,
          SubscriptionJson.application(application));
      return application;
    });
  }

  @Override
  public Application updateApplication(String name, String displayName, String actor) {
    return write(c -> {
      Application current = requireApplication(c, name);
      Instant now = now();
      long revision = appendRevision(c, "application", name, actor, "update application", now);
      Application updated = new Application(name, displayName, revision, current.createdAt(), now);
      SubscriptionTables.updateApplication(c, updated);
      AuditTable.append(c, now, actor, "application.update", "application:" + name,
          SubscriptionJson.application(current), SubscriptionJson.application(updated));
      return updated;
    });
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
    return write(c -> {
      if (!exists(c, "SELECT 1 FROM instances WHERE id = ?", wanted.instance())) {
        throw new ProblemException(ProblemType.INSTANCE_NOT_FOUND, "instance '" + wanted.instance() + "' does not exist");
      }
      requireApplication(c, wanted.application());
      requireNotHeld(c, wanted.instance(), wanted.application());
      Instant now = now();
      Subscription draft = new Subscription(UUID.randomUUID().toString(), wanted.instance(), wanted.application(),
          wanted.quantity(), wanted.overage(), wanted.seatModel(), SubscriptionStatus.ACTIVE, wanted.validFrom(),
          wanted.validUntil(), wanted.plan(), wanted.notes(), 0, now, now);
      SubscriptionRules.requireNoOverlap(draft, siblings(c, draft));
      long revision = appendRevision(c, "subscription", wanted.instance(), actor,
          "create subscription " + draft.id() + " to " + wanted.application(), now);
      Subscription created = draft.atRevision(revision);
      SubscriptionTables.insertSubscription(c, created);
      AuditTable.append(c, now, actor, "subscription.create", "subscription:" + created.id(), null,
          SubscriptionJson.subscription(created));
      return created;
    });
  }

  @Override
  public Subscription changeSubscription(String id, SubscriptionChange change, String actor) {
    return write(c -> {
      Subscription current = SubscriptionTables.subscription(c, id).stream().findFirst()
          .orElseThrow(() -> new ProblemException(ProblemType.SUBSCRIPTION_NOT_FOUND,
              "subscription '" + id + "' does not exist"));
      if (current.status() == SubscriptionStatus.CANCELLED) {
        throw new ProblemException(ProblemType.SUBSCRIPTION_ENDED,
            "subscription '" + id + "' is cancelled and cannot change; create a new one instead");
      }
      requireNotHeld(c, current.instance(), current.application());
      Instant now = now();
      Subscription changed = change.applyTo(current, current.revision(), now);
      SubscriptionRules.requireCounts(changed.quantity(), changed.overage());
      SubscriptionRules.requireForceForDeepCut(current, changed, change.forceReason());
      SubscriptionRules.requirePeriod(changed.validFrom(), changed.validUntil());
      SubscriptionRules.requireNoOverlap(changed, siblings(c, changed));
      boolean cancels = changed.status() == SubscriptionStatus.CANCELLED;
      long revision = appendRevision(c, "subscription", current.instance(), actor,
          (cancels ? "cancel subscription " : "change subscription ") + id, now);
      Subscription stored = change.applyTo(current, revision, now);
      SubscriptionTables.updateSubscription(c, stored);
      ObjectNode after = SubscriptionJson.subscription(stored);
      if (change.forceReason() != null) {
        after.put("forceReason", change.forceReason());
      }
      AuditTable.append(c, now, actor, cancels ? "subscription.cancel" : "subscription.change",
          "subscription:" + id, SubscriptionJson.subscription(current), after);
      return stored;
    });
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
    return auditChain.checkSinceCheckpoint(verifier -> readTransaction(c -> AuditTable.walk(c, verifier)));
  }

  @Override
  public void close() {
    database.close();
  }

  // ---------------------------------------------------------------- helpers

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static long appendRevision(
      Connection c, String kind, String subject, String actor, String message, Instant at) throws SQLException {
    return RevisionLog.append(c, kind, subject, actor, message, at);
  }

  static boolean exists(Connection c, String sql, Object key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void requireNamespace(Connection c, String namespace) throws SQLException {
    if (!exists(c, "SELECT 1 FROM namespaces WHERE name = ?", namespace)) {
      throw new ProblemException(ProblemType.NAMESPACE_NOT_FOUND, "namespace '" + namespace + "' does not exist");
    }
  }

  private static Application requireApplication(Connection c, String name) throws SQLException {
    return SubscriptionTables.applications(c, name).stream().findFirst()
        .orElseThrow(() -> new ProblemException(ProblemType.APPLICATION_NOT_FOUND,
            "application '" + name + "' does not exist"));
  }

  /** Refuses a direct write to subscriptions an approved or rolling-out change is about to change. */
  private static void requireNotHeld(Connection c, String instance, String application) throws SQLException {
    Optional<Long> holder = JdbcRolloutStore.subscriptionHolderOf(c, instance, application);
    if (holder.isPresent()) {
      throw new ProblemException(ProblemType.LAYER_HELD, "the subscriptions of instance '" + instance + "' to '"
          + application + "' are held by change " + holder.get() + " until it completes or is backed out;"
          + " nothing was changed");
    }
  }

  private static List<Subscription> siblings(Connection c, Subscription subscription) throws SQLException {
    return SubscriptionTables.subscriptions(c,
        new SubscriptionFilter(subscription.instance(), subscription.application(), null));
  }

  private static void requireRing(Connection c, String ring) throws SQLException {
    if (!exists(c, "SELECT 1 FROM rings WHERE name = ?", ring)) {
      throw new ProblemException(ProblemType.RING_NOT_FOUND, "ring '" + ring + "' does not exist");
    }
  }

  /** @throws ProblemException {@code RING_NOT_FOUND} or {@code INSTANCE_NOT_FOUND} for a scope naming nothing */
  static void requireScopeTarget(Connection c, Scope scope) throws SQLException {
    switch (scope.kind()) {
      case RING -> requireRing(c, scope.target());
      case INSTANCE -> {
        if (!exists(c, "SELECT 1 FROM instances WHERE id = ?", scope.target())) {
          throw new ProblemException(ProblemType.INSTANCE_NOT_FOUND, "instance '" + scope.target() + "' does not exist");
        }
      }
      case DEFAULT -> { }
    }
  }

  private static List<Ring> queryRings(Connection c) throws SQLException {
    List<Ring> rings = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT name, position, bake_seconds, revision FROM rings ORDER BY position");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rings.add(new Ring(rs.getString(1), rs.getInt(2), Duration.ofSeconds(rs.getLong(3)), rs.getLong(4)));
      }
    }
    return rings;
  }

  private List<Instance> queryInstances(Connection c, String id) throws SQLException {
    List<Instance> instances = new ArrayList<>();
    String sql = "SELECT id, ring, labels, credential_hash, assignment_revision, created_at, updated_at FROM instances"
        + (id == null ? "" : " WHERE id = ?") + " ORDER BY id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (id != null) {
        ps.setString(1, id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          instances.add(new Instance(rs.getString(1), rs.getString(2), labels(rs.getString(3)), rs.getString(4),
              rs.getLong(5), Instant.parse(rs.getString(6)), Instant.parse(rs.getString(7))));
        }
      }
    }
    return instances;
  }

  private static List<Namespace> queryNamespaces(Connection c, String name) throws SQLException {
    List<Namespace> namespaces = new ArrayList<>();
    String sql = "SELECT name, description, revision, created_at FROM namespaces"
        + (name == null ? "" : " WHERE name = ?") + " ORDER BY name";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (name != null) {
        ps.setString(1, name);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          namespaces.add(new Namespace(rs.getString(1), rs.getString(2), rs.getLong(3), Instant.parse(rs.getString(4))));
        }
      }
    }
    return namespaces;
  }

  private List<LayerVersion> queryLatestLayers(Connection c, String namespace) throws SQLException {
    List<LayerVersion> layers = new ArrayList<>();
    String sql = "SELECT lv.namespace, lv.scope, lv.revision, lv.content, r.created_at FROM layer_versions lv"
        + " JOIN revisions r ON r.revision = lv.revision"
        + " WHERE lv.revision = (SELECT max(x.revision) FROM layer_versions x"
        + " WHERE x.namespace = lv.namespace AND x.scope = lv.scope)"
        + (namespace == null ? "" : " AND lv.namespace = ?")
        + " ORDER BY lv.namespace, lv.scope";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (namespace != null) {
        ps.setString(1, namespace);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          layers.add(layerVersion(rs));
        }
      }
    }
    return layers;
  }

  private List<Draft> queryDrafts(Connection c, String namespace) throws SQLException {
    List<Draft> drafts = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT namespace, scope, content, version, updated_by, updated_at FROM layer_drafts"
            + " WHERE namespace = ? ORDER BY scope")) {
      ps.setString(1, namespace);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          drafts.add(new Draft(rs.getString(1), Scope.parse(rs.getString(2)), content(rs.getString(3)), rs.getLong(4),
              rs.getString(5), Instant.parse(rs.getString(6))));
        }
      }
    }
    return drafts;
  }

  private Heartbeat heartbeat(ResultSet rs) throws SQLException {
    return new Heartbeat(rs.getString(1), Instant.parse(rs.getString(2)), content(rs.getString(3)));
  }

  private LayerVersion layerVersion(ResultSet rs) throws SQLException {
    return new LayerVersion(rs.getString(1), Scope.parse(rs.getString(2)), rs.getLong(3), content(rs.getString(4)),
        Instant.parse(rs.getString(5)));
  }

  private static RevisionEntry revisionEntry(ResultSet rs) throws SQLException {
    return new RevisionEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        Instant.parse(rs.getString(6)));
  }

  private JsonNode content(String text) throws SQLException {
    if (text == null) {
      return null;
    }
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored layer content is not JSON", e);
    }
  }

  private Map<String, String> labels(String text) throws SQLException {
    try {
      return java.util.Collections.unmodifiableMap(new TreeMap<>(mapper.readValue(text, LABELS)));
    } catch (JsonProcessingException e) {
      throw new SQLException("stored labels are not a JSON object", e);
    }
  }

  private String json(Map<String, String> labels) {
    try {
      return mapper.writeValueAsString(new TreeMap<>(labels));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
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
