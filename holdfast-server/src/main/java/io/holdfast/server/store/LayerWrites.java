package io.holdfast.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.Draft;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.LayerTables.StoredLayer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of the namespace and layer writes, inside the caller's write transaction: creating a
 * namespace, staging a draft and publishing drafts. Each checks, changes {@link NamespaceTable} or
 * {@link LayerTables}, appends its revision (staging is none) and its audit row. Stateless.
 */
final class LayerWrites {

  private LayerWrites() {}

  static Namespace createNamespace(
      Connection c, String name, String description, String actor, Instant now)
      throws SQLException {
    NamespaceTable.requireAbsent(c, name);
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
  }

  /** Stages a draft; {@code expectedVersion}, if given, must be the draft's current version. */
  static Draft putDraft(
      Connection c,
      String namespace,
      Scope scope,
      JsonNode content,
      String actor,
      Long expectedVersion,
      Instant now)
      throws SQLException {
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
            namespace, scope, content == null ? null : content.deepCopy(), current + 1, actor, now);
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
  }

  /** Publishes the drafts of {@code scopes} (all drafts if empty) that change something. */
  static PublishResult publish(
      Connection c, String namespace, Set<Scope> scopes, String message, String actor, Instant now)
      throws SQLException {
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
            "layer " + wanted.key() + " of namespace '" + namespace + "' has no draft to publish");
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
              : "the drafts of namespace '" + namespace + "' match what is already published");
    }
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
  }
}
