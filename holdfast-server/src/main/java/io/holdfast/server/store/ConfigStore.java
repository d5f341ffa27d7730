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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Durable state of Holdfast: rings, instances, namespaces, layers and their immutable versions,
 * admin credentials, the applications catalogue and subscriptions, the global revision log, the
 * hash-chained audit log, and the latest heartbeat of each instance.
 *
 * <p>Every write is one transaction: it either happens completely or not at all. Every write that
 * can change what replicas serve or who may read it (everything but staging a draft) appends
 * exactly one revision to the log in that transaction; recording a heartbeat changes neither, so it
 * appends none. Writes to applications and subscriptions also append exactly one audit row in the
 * same transaction, so a rejected write leaves neither revision nor audit row. Writes that refer to
 * something missing throw a {@link io.holdfast.server.problem.ProblemException} of the matching
 * type; an unreachable or failing database throws {@link StoreUnavailableException}.
 * Implementations are thread-safe and are proven by the same contract suite ({@code
 * ConfigStoreContract}).
 */
public interface ConfigStore extends AutoCloseable {

  /** The newest revision; cheap, polled by replicas to notice changes made elsewhere. */
  long currentRevision();

  /** Everything needed to build a snapshot, read consistently. */
  StoreState loadState();

  /**
   * What changed after revision {@code since}, read consistently, for a replica that holds the
   * state at {@code since} ({@link StoreState#with}); empty when this store cannot tell, and then
   * the caller loads the whole state. This default cannot.
   */
  default Optional<StoreChanges> changesSince(long since) {
    return Optional.empty();
  }

  List<Ring> listRings();

  Ring createRing(String name, int position, Duration bakeTime, String actor);

  List<Instance> listInstances();

  Optional<Instance> findInstance(String id);

  Instance createInstance(
      String id, String ring, Map<String, String> labels, String credentialHash, String actor);

  /** Changes the ring and/or labels; a {@code null} argument leaves that field as it is. */
  Instance updateInstance(String id, String ring, Map<String, String> labels, String actor);

  void replaceInstanceCredential(String id, String credentialHash, String actor);

  List<Namespace> listNamespaces();

  Optional<Namespace> findNamespace(String name);

  Namespace createNamespace(String name, String description, String actor);

  /** Stages new content for a layer; {@code content == null} stages its removal. */
  Draft putDraft(
      String namespace, Scope scope, JsonNode content, String actor, Long expectedVersion);

  /** {@link #putDraft(String, Scope, JsonNode, String, Long)} without a version check. */
  default Draft putDraft(String namespace, Scope scope, JsonNode content, String actor) {
    return putDraft(namespace, scope, content, actor, null);
  }

  List<Draft> listDrafts(String namespace);

  /** The newest version of every layer of the namespace, removals included. */
  List<LayerVersion> latestLayers(String namespace);

  /** The version of a layer in force at {@code revision}, if the layer existed then. */
  Optional<LayerVersion> layerAt(String namespace, Scope scope, long revision);

  /**
   * Publishes the drafts of a namespace as one new revision and discards them.
   *
   * @param scopes the drafts to publish; empty publishes all of them
   */
  PublishResult publish(String namespace, Set<Scope> scopes, String message, String actor);

  /**
   * Revisions that touched the namespace, newest first: its creation, publishes, and the ring
   * releases, completions, back-outs and hot-fixes of changes that edit it.
   */
  List<HistoryEntry> history(String namespace, int limit);

  Optional<RevisionEntry> findRevision(long revision);

  List<AdminCredential> listAdminCredentials();

  /** {@link #createAdminCredential(String, Role, String, Instant, String)} without an expiry. */
  default AdminCredential createAdminCredential(
      String name, Role role, String tokenHash, String actor) {
    return createAdminCredential(name, role, tokenHash, null, actor);
  }

  /**
   * Creates an admin credential; a revoked credential's name may be taken again.
   *
   * @param expiresAt when it stops working, {@code null} for never; must be in the future
   * @throws io.holdfast.server.problem.ProblemException {@code ALREADY_EXISTS} if a credential of
   *     that name is not revoked
   */
  AdminCredential createAdminCredential(
      String name, Role role, String tokenHash, Instant expiresAt, String actor);

  /**
   * Revokes a credential for good: its token stops working on every replica at the revision this
   * appends. The row stays, so that the token is still recognised as a revoked one.
   *
   * @throws io.holdfast.server.problem.ProblemException {@code CREDENTIAL_NOT_FOUND}, {@code
   *     CREDENTIAL_REVOKED} if it already is, or {@code LAST_ADMIN} if it is the last usable admin
   *     credential
   */
  AdminCredential revokeAdminCredential(String name, String actor);

  /**
   * Gives a credential a new token hash; the old token stops working at the revision this appends.
   * Role, expiry and creation time stay.
   *
   * @throws io.holdfast.server.problem.ProblemException {@code CREDENTIAL_NOT_FOUND} or {@code
   *     CREDENTIAL_REVOKED}
   */
  AdminCredential rotateAdminCredential(String name, String tokenHash, String actor);

  /**
   * Changes a credential's role and/or expiry.
   *
   * @throws io.holdfast.server.problem.ProblemException {@code CREDENTIAL_NOT_FOUND}, {@code
   *     CREDENTIAL_REVOKED}, {@code INVALID_REQUEST} for an expiry not in the future, or {@code
   *     LAST_ADMIN} if it would demote the last usable admin or give it an expiry
   */
  AdminCredential updateAdminCredential(String name, CredentialUpdate update, String actor);

  /**
   * Moves the named credentials' last-use times forward (never back); unknown names are skipped.
   * Appends neither revision nor audit row: replicas call it in batches, at most once a minute.
   */
  void recordAdminCredentialUse(Map<String, Instant> lastUsed);

  /**
   * Appends one audit row for an event that changes nothing else, such as a failed console login;
   * no revision.
   */
  void recordAuditEvent(String actor, String action, String target, JsonNode details);

  /**
   * Makes sure the named admin credential was set from this configured token, for the bootstrap
   * credential from the server's configuration. Does nothing if it was set from the same token
   * before, even if it has since been rotated, demoted or revoked: a restart must not bring back a
   * token an operator retired. A different configured token resets the credential to it, with this
   * role, live and without expiry (the way back in for an operator locked out). Another credential
   * holding the same token hash is replaced, since one token names one credential.
   */
  void ensureAdminCredential(String name, Role role, String tokenHash);

  /**
   * Stores {@code heartbeat} as the instance's latest, replacing the one before. Appends no
   * revision. The store keeps its own copy.
   *
   * @param receivedAt when the replica received it; kept to the millisecond
   * @throws io.holdfast.server.problem.ProblemException {@code INSTANCE_NOT_FOUND} if there is no
   *     such instance
   */
  void recordHeartbeat(String instance, JsonNode heartbeat, Instant receivedAt);

  /**
   * Stores a batch of heartbeats in one transaction, each as its instance's latest unless a later
   * one is already stored; heartbeats of instances that no longer exist are skipped. Appends no
   * revision.
   *
   * @return how many were stored
   */
  int recordHeartbeats(List<Heartbeat> heartbeats);

  /** The instance's latest heartbeat, if it has sent one (empty for an unknown instance too). */
  Optional<Heartbeat> lastHeartbeat(String instance);

  /** The latest heartbeat of every instance that has sent one, by instance id. */
  List<Heartbeat> latestHeartbeats();

  // ---------------------------------------------------------------- applications and subscriptions

  List<Application> listApplications();

  Optional<Application> findApplication(String name);

  /**
   * @throws io.holdfast.server.problem.ProblemException {@code ALREADY_EXISTS}
   */
  Application createApplication(String name, String displayName, String actor);

  /**
   * @throws io.holdfast.server.problem.ProblemException {@code APPLICATION_NOT_FOUND}
   */
  Application updateApplication(String name, String displayName, String actor);

  /** Subscriptions matching the filter, by instance, application, start of period and id. */
  List<Subscription> listSubscriptions(SubscriptionFilter filter);

  Optional<Subscription> findSubscription(String id);

  /**
   * Creates an active subscription with a new id.
   *
   * @throws io.holdfast.server.problem.ProblemException {@code INSTANCE_NOT_FOUND}, {@code
   *     APPLICATION_NOT_FOUND}, or {@code SUBSCRIPTION_OVERLAP} if its period overlaps another
   *     subscription of the instance and application that is not cancelled
   */
  Subscription createSubscription(NewSubscription subscription, String actor);

  /**
   * Changes a subscription; cancelling is a change of status. A cancelled subscription cannot
   * change any more.
   *
   * @throws io.holdfast.server.problem.ProblemException {@code SUBSCRIPTION_NOT_FOUND}, {@code
   *     SUBSCRIPTION_ENDED}, {@code INVALID_REQUEST} (the change makes the period empty or a count
   *     negative) or {@code SUBSCRIPTION_OVERLAP}
   */
  Subscription changeSubscription(String id, SubscriptionChange change, String actor);

  // ---------------------------------------------------------------- audit

  /** Audit rows matching the query, newest first. */
  List<AuditEntry> auditLog(AuditQuery query);

  /** Walks the whole audit chain from the first row and reports the first broken link. */
  AuditVerification verifyAuditLog();

  /**
   * Checks the audit chain from the last row this store found intact (its checkpoint) to the end,
   * for the check shown beside a listing: it reads only the rows written since (and the checkpoint
   * row again), so a listing costs the same however long the log. A row changed, removed or
   * inserted at or after the checkpoint is reported as by {@link #verifyAuditLog}; tampering before
   * it is found only by that full walk.
   */
  AuditVerification checkAuditLog();

  @Override
  void close();
}
