package io.holdfast.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ProblemException;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.JsonDiff;
import io.holdfast.server.model.Names;
import io.holdfast.server.model.Role;
import io.holdfast.server.model.Scope;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.rollout.DryRun;
import io.holdfast.server.rollout.NamespaceSchema;
import io.holdfast.server.snapshot.SnapshotBuilder;
import io.holdfast.server.namespace.Draft;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.store.PublishResult;
import io.holdfast.server.store.RingLayer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/admin/namespaces}: namespaces, their layers and drafts, publishing, history and
 * diff. Editors stage drafts; publishers turn drafts into a new immutable revision.
 */
final class NamespaceAdminApi implements HttpService {

  /** Reserved for subscriptions, which reach instances through their own, checked path. */
  static final Set<String> RESERVED = Set.of("subscriptions");

  private static final int MAX_HISTORY = 500;

  private final AdminContext ctx;
  private final Changes changes;

  NamespaceAdminApi(AdminContext ctx, Changes changes) {
    this.ctx = ctx;
    this.changes = changes;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::list)
        .post("/", this::create)
        .any("/", Routes.methodNotAllowed("GET, POST"))
        .get("/{ns}/layers", this::layers)
        .any("/{ns}/layers", Routes.methodNotAllowed("GET"))
        .get("/{ns}/layers/{scope}", this::layer)
        .put("/{ns}/layers/{scope}", this::putDraft)
        .delete("/{ns}/layers/{scope}", this::stageRemoval)
        .any("/{ns}/layers/{scope}", Routes.methodNotAllowed("GET, PUT, DELETE"))
        .post("/{ns}/publish", this::publish)
        .any("/{ns}/publish", Routes.methodNotAllowed("POST"))
        .get("/{ns}/history", this::history)
        .any("/{ns}/history", Routes.methodNotAllowed("GET"))
        .get("/{ns}/diff", this::diff)
        .any("/{ns}/diff", Routes.methodNotAllowed("GET"))
        .get("/{ns}/effective/{instance}", this::effective)
        .any("/{ns}/effective/{instance}", Routes.methodNotAllowed("GET"))
        .get("/{ns}/schema", this::schema)
        .put("/{ns}/schema", this::setSchema)
        .delete("/{ns}/schema", this::removeSchema)
        .any("/{ns}/schema", Routes.methodNotAllowed("GET, PUT, DELETE"))
        .get("/{ns}", this::get)
        .any("/{ns}", Routes.methodNotAllowed("GET"));
  }

  private void list(ServerRequest req, ServerResponse res) {
    ctx.guard().admin(req, Role.VIEWER);
    JsonViews.send(res, Status.OK_200, JsonViews.list("namespaces", ctx.store().listNamespaces(), JsonViews::namespace));
  }

  private void get(ServerRequest req, ServerResponse res) {
    ctx.guard().admin(req, Role.VIEWER);
    JsonViews.send(res, Status.OK_200, JsonViews.namespace(namespace(req)));
  }

  private void create(ServerRequest req, ServerResponse res) {
    Principal.AdminPrincipal admin = ctx.guard().admin(req, Role.EDITOR);
    JsonObjectReader body = JsonObjectReader.of(ctx.bodies().object(req), Set.of("name", "description"));
    String name = Names.require("namespace name", body.requiredString("name"));
    if (RESERVED.contains(name)) {
      throw new ProblemException(ProblemType.INVALID_NAME, "namespace name '" + name + "' is reserved");
    }
    String description = Optional.ofNullable(body.optionalString("description")).orElse("");
    if (description.length() > 1000) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "member 'description' is longer than 1000 characters");
    }
    Namespace namespace = ctx.store().createNamespace(name, description, admin.actor());
    ctx.afterWrite();
    res.header(HeaderNames.LOCATION, "/v1/admin/namespaces/" + name);
    JsonViews.send(res, Status.CREATED_201, JsonViews.namespace(namespace));
  }

  private void layers(ServerRequest req, ServerResponse res) {
    ctx.guard().admin(req, Role.VIEWER);
    String ns = namespace(req).name();
    ObjectNode view = JsonViews.list("layers", ctx.store().latestLayers(ns), JsonViews::layer);
    ArrayNode drafts = view.putArray("drafts");
    ctx.store().listDrafts(ns).forEach(d -> drafts.add(JsonViews.draft(d)));
    JsonViews.send(res, Status.OK_200, view);
  }

  private void layer(ServerRequest req, ServerResponse res) {
    ctx.guard().admin(req, Role.VIEWER);
    String ns = namespace(req).name();
    Scope scope = scope(req);
    ObjectNode view = JsonViews.object();
    view.put("scope", scope.key());
    ctx.store().latestLayers(ns).stream().filter(l -> l.scope().equals(scope)).findFirst()
        .ifPresentOrElse(l -> view.set("published", JsonViews.layer(l)), () -> view.putNull("published"));
    Optional<Draft> draft = ctx.store().listDrafts(ns).stream().filter(d -> d.scope().equals(scope)).findFirst();
    draft.ifPresentOrElse(d -> view.set("draft", JsonViews.draft(d)), () -> view.putNull("draft"));
    res.header(HeaderNames.ETAG, draftTag(draft.map(Draft::version).orElse(0L)));
    JsonViews.send(res, Status.OK_200, view);
  }

  /**
   * The layer's draft version as an entity tag, for {@code If-Match} on the next PUT or DELETE:
   * an editor who staged from version 3 is told (412) if someone else staged since.
   */
  private static String draftTag(long version) {
    return EntityTag.strong("draft-" + version).toHeaderValue();
  }

  /** The draft version an {@code If-Match} requires, or {@code null} without one. */
  private static Long expectedDraftVersion(ServerRequest req) {
    Optional<String> ifMatch = req.headers().first(HeaderNames.IF_MATCH);
    if (ifMatch.isEmpty()) {
      return null;
    }
    try {
      EntityTag tag = EntityTag.parse(ifMatch.get().strip());
      if (!tag.weak() && tag.opaque().startsWith("draft-")) {
        return Long.parseLong(tag.opaque().substring("draft-".length()));
      }
    } catch (IllegalArgumentException e) {
      // Reported below, with the form expected.
    }
    throw new ProblemException(ProblemType.INVALID_PRECONDITION,
        "If-Match must be one draft tag as sent in the layer's ETag, such as \"draft-3\"");
  }

  private void schema(ServerRequest req, ServerResponse res) {
    ctx.guard().admin(req, Role.VIEWER);
    String ns = namespace(req).name();
    JsonNode schema = changes.store().namespaceSchema(ns).orElseThrow(() -> new ProblemException(
        ProblemType.ROUTE_NOT_FOUND, "namespace '" + ns + "' has no JSON Schema"));
    JsonViews.send(res, Status.OK_200, schema);
  }

  /** Sets the schema, refusing one that what is published now already breaks. */
  private void setSchema(ServerRequest req, ServerResponse res) {
    Principal.AdminPrincipal admin = ctx.guard().admin(req, Role.ADMIN);
    String ns = namespace(req).name();
    JsonNode schema = ctx.bodies().value(req);
    NamespaceSchema compiled = NamespaceSchema.of(schema);
    List<String> violations = DryRun.violations(ns, compiled, List.of(), ctx.store());
    if (!violations.isEmpty()) {
      throw new ProblemException(ProblemType.SCHEMA_VIOLATION, "what namespace '" + ns
          + "' serves now breaks this schema; fix the documents first: " + String.join("; ", violations));
    }
    // Approved and rolling-out changes were checked against the old schema (or none); they must
    // not complete into documents the new one forbids.
    List<String> inFlight = DryRun.violations(ns, compiled, DryRun.withInFlight(List.of(), changes.store()), ctx.store());
    if (!inFlight.isEmpty()) {
      throw new ProblemException(ProblemType.SCHEMA_VIOLATION, "approved or rolling-out changes would break this"
          + " schema once they complete; back them out or cancel them first: " + String.join("; ", inFlight));
    }
    changes.store().setNamespaceSchema(ns, schema, admin.actor());
    JsonViews.send(res, Status.OK_200, schema);
  }

  private void removeSchema(ServerRequest req, ServerResponse res) {
    Principal.AdminPrincipal admin = ctx.guard().admin(req, Role.ADMIN);
    changes.store().setNamespaceSchema(namespace(req).name(), null, admin.actor());
    res.status(Status.NO_CONTENT_204).send();
  }

  private void putDraft(ServerRequest req, ServerResponse res) {
    Principal.AdminPrincipal admin = ctx.guard().admin(req, Role.EDITOR);
    String ns = namespace(req).name();
    Scope scope = scope(req);
    JsonNode content = ctx.bodies().value(req);
    if (!content.isObject()) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "a layer must be a JSON object");
    }
    Draft draft = ctx.store().putDraft(ns, scope, content, admin.actor(), expectedDraftVersion(req));
    res.header(HeaderNames.ETAG, draftTag(draft.version()));
    JsonViews.send(res, Status.OK_200, JsonViews.draft(draft));
  }

  private void stageRemoval(ServerRequest req, ServerResponse res) {
    Principal.AdminPrincipal admin = ctx.guard().admin(req, Role.EDITOR);
    String ns = namespace(req).name();
    Scope scope = scope(req);
    Draft draft = ctx.store().putDraft(ns, scope, null, admin.actor(), expectedDraftVersion(req));
    res.header(HeaderNames.ETAG, draftTag(draft.version()));
    JsonViews.send(res, Status.OK_200, JsonViews.draft(draft));
  }

  private void publish(ServerRequest req, ServerResponse res) {
    Principal.AdminPrincipal admin = ctx.guard().admin(req, Role.PUBLISHER);
    String ns = namespace(req).name();
    JsonObjectReader body = JsonObjectReader.of(ctx.bodies().object(req), Set.of("message", "scopes"));
    String message = body.requiredString("message");
    if (message.isBlank() || message.length() > 1000) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "member 'message' must say why, in 1 to 1000 characters");
    }
    Set<Scope> scopes = new LinkedHashSet<>();
    JsonNode listed = body.optionalNode("scopes");
    if (listed != null && !listed.isNull()) {
      if (!listed.isArray()) {
        throw new ProblemException(ProblemType.INVALID_REQUEST, "member 'scopes' must be an array of scope strings");
      }
      for (JsonNode element : listed) {
        if (!element.isTextual()) {
          throw new ProblemException(ProblemType.INVALID_REQUEST, "member 'scopes' must be an array of scope strings");
        }
        scopes.add(Scope.parse(element.asText()));
      }
    }
    // A direct publish answers to the namespace's schema as a change request does. The check
    // reads the drafts before the publishing transaction; a draft staged in between is checked
    // by no one, which the If-Match on drafts makes a deliberate act.
    List<ChangeEdit> staged = new ArrayList<>();
    for (Draft draft : ctx.store().listDrafts(ns)) {
      if (scopes.isEmpty() || scopes.contains(draft.scope())) {
        staged.add(new ChangeEdit(ns, draft.scope(), draft.content(), null));
      }
    }
    if (!staged.isEmpty()) {
      List<String> violations = changes.schemaViolations(staged);
      if (!violations.isEmpty()) {
        throw new ProblemException(ProblemType.SCHEMA_VIOLATION,
            "publishing would break the namespace's JSON Schema; nothing was published: " + String.join("; ", violations));
      }
    }
    PublishResult result = ctx.store().publish(ns, scopes, message, admin.actor());
    ctx.afterWrite();
    ObjectNode view = JsonViews.object();
    view.put("namespace", result.namespace());
    view.put("revision", result.revision());
    ArrayNode published = view.putArray("scopes");
    result.scopes().forEach(s -> published.add(s.key()));
    JsonViews.send(res, Status.OK_200, view);
  }

  private void history(ServerRequest req, ServerResponse res) {
    ctx.guard().admin(req, Role.VIEWER);
    String ns = namespace(req).name();
    int limit = req.query().first("limit").map(v -> positive("limit", v)).orElse(50L).intValue();
    JsonViews.send(res, Status.OK_200,
        JsonViews.list("history", ctx.store().history(ns, Math.min(limit, MAX_HISTORY)), JsonViews::history));
  }

  /**
   * {@code ?from=R1[&to=R2|draft][&scope=S | &instance=I]}: what changed between two
   * revisions, in one layer, in one instance's effective document, or in every layer.
   */
  private void diff(ServerRequest req, ServerResponse res) {
    ctx.guard().admin(req, Role.VIEWER);
    String ns = namespace(req).name();
    long current = ctx.store().currentRevision();
    long from = revision(req.query().first("from").orElseThrow(() ->
        new ProblemException(ProblemType.INVALID_REQUEST, "query parameter 'from' (a revision) is required")), current);
    String toParam = req.query().first("to").orElse(null);
    Optional<String> scopeParam = req.query().first("scope").asOptional();
    Optional<String> instanceParam = req.query().first("instance").asOptional();
    if (scopeParam.isPresent() && instanceParam.isPresent()) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "give 'scope' or 'instance', not both");
    }
    boolean toDraft = "draft".equals(toParam);
    if (toDraft && scopeParam.isEmpty()) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "to=draft needs a 'scope'");
    }
    long to = toDraft || toParam == null ? current : revision(toParam, current);
    ObjectNode view = JsonViews.object();
    view.put("namespace", ns);
    view.put("from", from);
    if (toDraft) {
      view.put("to", "draft");
    } else {
      view.put("to", to);
    }
    if (instanceParam.isPresent()) {
      Instance instance = ctx.store().findInstance(Names.require("instance id", instanceParam.get()))
          .orElseThrow(() -> new ProblemException(ProblemType.INSTANCE_NOT_FOUND,
              "instance '" + instanceParam.get() + "' does not exist"));
      view.put("instance", instance.id());
      view.set("changes", JsonViews.changes(JsonDiff.between(effective(ns, instance, from, false),
          effective(ns, instance, to, false))));
    } else if (scopeParam.isPresent()) {
      Scope scope = Scope.parse(scopeParam.get());
      JsonNode before = content(ctx.store().layerAt(ns, scope, from));
      JsonNode after;
      if (toDraft) {
        Draft draft = ctx.store().listDrafts(ns).stream().filter(d -> d.scope().equals(scope)).findFirst()
            .orElseThrow(() -> new ProblemException(ProblemType.INVALID_REQUEST, "layer " + scope + " has no draft"));
        after = draft.content();
      } else {
        after = content(ctx.store().layerAt(ns, scope, to));
      }
      view.put("scope", scope.key());
      view.set("changes", JsonViews.changes(JsonDiff.between(before, after)));
    } else {
      ObjectNode scopes = view.putObject("scopes");
      for (LayerVersion layer : ctx.store().latestLayers(ns)) {
        List<JsonDiff.Change> changes = JsonDiff.between(
            content(ctx.store().layerAt(ns, layer.scope(), from)), content(ctx.store().layerAt(ns, layer.scope(), to)));
        if (!changes.isEmpty()) {
          scopes.set(layer.scope().key(), JsonViews.changes(changes));
        }
      }
    }
    JsonViews.send(res, Status.OK_200, view);
  }

  /** The effective content an instance receives (now, or at {@code ?revision=}), unsigned, for review. */
  private void effective(ServerRequest req, ServerResponse res) {
    ctx.guard().admin(req, Role.VIEWER);
    String ns = namespace(req).name();
    String id = Names.require("instance id", req.path().pathParameters().get("instance"));
    Instance instance = ctx.store().findInstance(id)
        .orElseThrow(() -> new ProblemException(ProblemType.INSTANCE_NOT_FOUND, "instance '" + id + "' does not exist"));
    long current = ctx.store().currentRevision();
    long at = req.query().first("revision").map(v -> revision(v, current)).orElse(current);
    ObjectNode view = JsonViews.object();
    view.put("namespace", ns);
    view.put("instance", id);
    view.put("ring", instance.ring());
    view.put("atRevision", at);
    view.set("content", effective(ns, instance, at, at == current));
    JsonViews.send(res, Status.OK_200, view);
  }

  /**
   * The published layers in force at {@code revision}; at the current revision, also the layers a
   * rolling-out change serves the instance's ring, as the instance is served them. (History holds
   * published versions only: a rollout's content before it completes is in its change request.)
   */
  private JsonNode effective(String ns, Instance instance, long revision, boolean current) {
    Map<Scope, LayerVersion> rollout = new HashMap<>();
    if (current) {
      for (RingLayer layer : changes.store().ringLayers()) {
        if (layer.ring().equals(instance.ring()) && layer.layer().namespace().equals(ns)) {
          rollout.put(layer.layer().scope(), layer.layer());
        }
      }
    }
    return SnapshotBuilder.merge(
        layer(ns, Scope.DEFAULT, revision, rollout),
        layer(ns, Scope.ring(instance.ring()), revision, rollout),
        layer(ns, Scope.instance(instance.id()), revision, rollout));
  }

  private LayerVersion layer(String ns, Scope scope, long revision, Map<Scope, LayerVersion> rollout) {
    return rollout.containsKey(scope) ? rollout.get(scope) : ctx.store().layerAt(ns, scope, revision).orElse(null);
  }

  private static JsonNode content(Optional<LayerVersion> layer) {
    return layer.map(LayerVersion::content).orElse(null);
  }

  private Namespace namespace(ServerRequest req) {
    String name = Names.require("namespace name", req.path().pathParameters().get("ns"));
    return ctx.store().findNamespace(name)
        .orElseThrow(() -> new ProblemException(ProblemType.NAMESPACE_NOT_FOUND, "namespace '" + name + "' does not exist"));
  }

  private static Scope scope(ServerRequest req) {
    return Scope.parse(req.path().pathParameters().get("scope"));
  }

  private static long revision(String value, long current) {
    long revision = positive("revision", value);
    if (revision > current) {
      throw new ProblemException(ProblemType.REVISION_NOT_FOUND,
          "revision " + revision + " does not exist yet; the newest is " + current);
    }
    return revision;
  }

  private static long positive(String name, String value) {
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= 1) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Reported below with the same message as a non-positive number.
    }
    throw new ProblemException(ProblemType.INVALID_REQUEST,
        "query parameter '" + name + "' must be a positive whole number, was '" + Routes.abbreviate(value) + "'");
  }
}
