package io.holdfast.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.Names;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.Draft;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.ChangeState;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.rollout.DryRun;
import io.holdfast.server.rollout.NamespaceSchema;
import io.holdfast.server.rollout.RolloutStore;
import io.holdfast.server.snapshot.SnapshotBuilder;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.HistoryEntry;
import io.holdfast.server.store.PublishResult;
import io.holdfast.server.store.RingLayer;
import io.holdfast.server.subscription.SubscriptionsDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What operators do with namespaces, checked before the store is asked, as {@link Changes} does for
 * change requests: names and descriptions, drafts, a direct publish that answers to the namespace's
 * JSON Schema, and a schema that what is served now (and what is rolling out) must already satisfy.
 * The admin API and the console both call it, so neither holds a copy of a rule. Thread-safe.
 */
public final class NamespaceService {

  /** Reserved for subscriptions, which reach instances through their own, checked path. */
  private static final Set<String> RESERVED = Set.of("subscriptions");

  private final ConfigStore store;
  private final RolloutStore rollouts;
  private final Changes changes;

  public NamespaceService(ConfigStore store, RolloutStore rollouts, Changes changes) {
    this.store = store;
    this.rollouts = rollouts;
    this.changes = changes;
  }

  public List<Namespace> list() {
    return store.listNamespaces();
  }

  /**
   * The namespace named {@code name}.
   *
   * @throws ProblemException {@code NAMESPACE_NOT_FOUND} if there is none
   */
  public Namespace require(String name) {
    Names.require("namespace name", name);
    return store
        .findNamespace(name)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.NAMESPACE_NOT_FOUND, "namespace '" + name + "' does not exist"));
  }

  /**
   * @param description at most {@link AdminOperation#MAX_TEXT} characters, possibly empty
   * @throws ProblemException {@code INVALID_NAME} for a reserved name
   */
  public Namespace create(String name, String description, String actor) {
    Names.require("namespace name", name);
    if (RESERVED.contains(name)) {
      throw new ProblemException(
          ProblemType.INVALID_NAME, "namespace name '" + name + "' is reserved");
    }
    if (description.length() > AdminOperation.MAX_TEXT) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "member 'description' is longer than " + AdminOperation.MAX_TEXT + " characters");
    }
    return store.createNamespace(name, description, actor);
  }

  /**
   * Whether operators edit the namespace's layers; {@code subscriptions} is built from
   * subscriptions.
   */
  public static boolean editable(String namespace) {
    return !namespace.equals(SubscriptionsDocument.NAMESPACE);
  }

  /**
   * @throws ProblemException {@code INVALID_NAME} if the namespace's layers are not edited by hand
   */
  public static void requireEditable(String namespace) {
    if (!editable(namespace)) {
      throw new ProblemException(
          ProblemType.INVALID_NAME,
          "namespace '"
              + namespace
              + "' is built from subscriptions;"
              + " change subscriptions through the subscription API");
    }
  }

  /** The newest published version of each layer. */
  public List<LayerVersion> layers(String namespace) {
    return store.latestLayers(namespace);
  }

  public Optional<LayerVersion> layer(String namespace, Scope scope) {
    return layers(namespace).stream().filter(l -> l.scope().equals(scope)).findFirst();
  }

  /** The layer as published at {@code revision}. */
  public Optional<LayerVersion> layerAt(String namespace, Scope scope, long revision) {
    return store.layerAt(namespace, scope, revision);
  }

  public List<Draft> drafts(String namespace) {
    return store.listDrafts(namespace);
  }

  public Optional<Draft> draft(String namespace, Scope scope) {
    return drafts(namespace).stream().filter(d -> d.scope().equals(scope)).findFirst();
  }

  /**
   * Stages new content for a layer, or its removal ({@code content} null).
   *
   * @param expectedVersion the draft version the editor staged from, or {@code null}
   */
  public Draft stage(
      String namespace, Scope scope, JsonNode content, String actor, Long expectedVersion) {
    return store.putDraft(namespace, scope, content, actor, expectedVersion);
  }

  /**
   * Publishes the drafts of {@code scopes} (every draft when empty) as one new revision.
   *
   * @throws ProblemException {@code SCHEMA_VIOLATION} if the result, with every change in flight,
   *     would break the namespace's schema; nothing is published then
   */
  public PublishResult publish(String namespace, Set<Scope> scopes, String message, String actor) {
    // A direct publish answers to the namespace's schema as a change request does. The check
    // reads the drafts before the publishing transaction; a draft staged in between is checked
    // by no one, which the If-Match on drafts makes a deliberate act.
    List<ChangeEdit> staged = new ArrayList<>();
    for (Draft draft : drafts(namespace)) {
      if (scopes.isEmpty() || scopes.contains(draft.scope())) {
        staged.add(new ChangeEdit(namespace, draft.scope(), draft.content(), null));
      }
    }
    if (!staged.isEmpty()) {
      List<String> violations = changes.schemaViolations(staged);
      if (!violations.isEmpty()) {
        throw new ProblemException(
            ProblemType.SCHEMA_VIOLATION,
            "publishing would break the namespace's JSON Schema; nothing was published: "
                + String.join("; ", violations));
      }
    }
    return store.publish(namespace, scopes, message, actor);
  }

  public List<HistoryEntry> history(String namespace, int limit) {
    return store.history(namespace, limit);
  }

  public Optional<JsonNode> schema(String namespace) {
    return rollouts.namespaceSchema(namespace);
  }

  /**
   * Sets the schema, refusing one that what is published now already breaks.
   *
   * @throws ProblemException {@code SCHEMA_VIOLATION} naming what breaks it
   */
  public void setSchema(String namespace, JsonNode schema, String actor) {
    NamespaceSchema compiled = NamespaceSchema.of(schema);
    List<String> violations = DryRun.violations(namespace, compiled, List.of(), store);
    if (!violations.isEmpty()) {
      throw new ProblemException(
          ProblemType.SCHEMA_VIOLATION,
          "what namespace '"
              + namespace
              + "' serves now breaks this schema; fix the documents first: "
              + String.join("; ", violations));
    }
    // Approved and rolling-out changes were checked against the old schema (or none); they must
    // not complete into documents the new one forbids.
    List<String> inFlight =
        DryRun.violations(namespace, compiled, DryRun.withInFlight(List.of(), rollouts), store);
    if (!inFlight.isEmpty()) {
      throw new ProblemException(
          ProblemType.SCHEMA_VIOLATION,
          "approved or rolling-out changes would break this"
              + " schema once they complete; back them out or cancel them first: "
              + String.join("; ", inFlight));
    }
    rollouts.setNamespaceSchema(namespace, schema, actor);
  }

  public void removeSchema(String namespace, String actor) {
    rollouts.setNamespaceSchema(namespace, null, actor);
  }

  /**
   * Drafted, approved and rolling-out changes that edit the namespace, among the newest {@code
   * limit}.
   */
  public List<ChangeRequest> inFlight(String namespace, int limit) {
    return changes
        .list(List.of(ChangeState.DRAFT, ChangeState.APPROVED, ChangeState.ROLLING_OUT), limit)
        .stream()
        .filter(c -> c.namespaces().contains(namespace))
        .toList();
  }

  /**
   * The content {@code instance} receives of the namespace at {@code revision}, unsigned, for
   * review: the published layers in force then and, at the current revision, also the layers a
   * rolling-out change serves the instance's ring, as the instance is served them. (History holds
   * published versions only: a rollout's content before it completes is in its change request.)
   */
  public JsonNode effective(String namespace, Instance instance, long revision, boolean current) {
    Map<Scope, LayerVersion> rollout = new HashMap<>();
    if (current) {
      for (RingLayer layer : rollouts.ringLayers()) {
        if (layer.ring().equals(instance.ring()) && layer.layer().namespace().equals(namespace)) {
          rollout.put(layer.layer().scope(), layer.layer());
        }
      }
    }
    return SnapshotBuilder.merge(
        layerIn(namespace, Scope.DEFAULT, revision, rollout),
        layerIn(namespace, Scope.ring(instance.ring()), revision, rollout),
        layerIn(namespace, Scope.instance(instance.id()), revision, rollout));
  }

  private LayerVersion layerIn(
      String namespace, Scope scope, long revision, Map<Scope, LayerVersion> rollout) {
    return rollout.containsKey(scope)
        ? rollout.get(scope)
        : store.layerAt(namespace, scope, revision).orElse(null);
  }
}
