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
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.admin.NamespaceService;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.JsonDiff;
import io.holdfast.server.model.Names;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.Draft;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.PublishResult;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/admin/namespaces}: namespaces, their layers and drafts, publishing, history and diff.
 * Editors stage drafts; publishers turn drafts into a new immutable revision.
 */
final class NamespaceAdminApi implements HttpService {

  private static final int MAX_HISTORY = 500;

  private final AdminContext ctx;
  private final NamespaceService namespaces;

  NamespaceAdminApi(AdminContext ctx, NamespaceService namespaces) {
    this.ctx = ctx;
    this.namespaces = namespaces;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/namespaces")
        .add(AdminOperation.LIST_NAMESPACES, this::list)
        .add(AdminOperation.CREATE_NAMESPACE, this::create)
        .add(AdminOperation.GET_LAYERS, this::layers)
        .add(AdminOperation.GET_LAYER, this::layer)
        .add(AdminOperation.PUT_DRAFT, this::putDraft)
        .add(AdminOperation.STAGE_REMOVAL, this::stageRemoval)
        .add(AdminOperation.PUBLISH, this::publish)
        .add(AdminOperation.GET_HISTORY, this::history)
        .add(AdminOperation.GET_DIFF, this::diff)
        .add(AdminOperation.GET_EFFECTIVE, this::effective)
        .add(AdminOperation.GET_SCHEMA, this::schema)
        .add(AdminOperation.SET_SCHEMA, this::setSchema)
        .add(AdminOperation.REMOVE_SCHEMA, this::removeSchema)
        .add(AdminOperation.GET_NAMESPACE, this::get)
        .done();
  }

  private void list(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonViews.send(
        res, Status.OK_200, JsonViews.list("namespaces", namespaces.list(), JsonViews::namespace));
  }

  private void get(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonViews.send(res, Status.OK_200, JsonViews.namespace(namespace(req)));
  }

  private void create(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonObjectReader body =
        JsonObjectReader.of(ctx.bodies().object(req), Set.of("name", "description"));
    String name = body.requiredString("name");
    String description = Optional.ofNullable(body.optionalString("description")).orElse("");
    Namespace namespace = namespaces.create(name, description, admin.actor());
    res.header(HeaderNames.LOCATION, "/v1/admin/namespaces/" + name);
    JsonViews.send(res, Status.CREATED_201, JsonViews.namespace(namespace));
  }

  private void layers(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String ns = namespace(req).name();
    ObjectNode view = JsonViews.list("layers", namespaces.layers(ns), JsonViews::layer);
    ArrayNode drafts = view.putArray("drafts");
    namespaces.drafts(ns).forEach(d -> drafts.add(JsonViews.draft(d)));
    JsonViews.send(res, Status.OK_200, view);
  }

  private void layer(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String ns = namespace(req).name();
    Scope scope = scope(req);
    ObjectNode view = JsonViews.object();
    view.put("scope", scope.key());
    namespaces
        .layer(ns, scope)
        .ifPresentOrElse(
            l -> view.set("published", JsonViews.layer(l)), () -> view.putNull("published"));
    Optional<Draft> draft = namespaces.draft(ns, scope);
    draft.ifPresentOrElse(d -> view.set("draft", JsonViews.draft(d)), () -> view.putNull("draft"));
    res.header(HeaderNames.ETAG, draftTag(draft.map(Draft::version).orElse(0L)));
    JsonViews.send(res, Status.OK_200, view);
  }

  /**
   * The layer's draft version as an entity tag, for {@code If-Match} on the next PUT or DELETE: an
   * editor who staged from version 3 is told (412) if someone else staged since.
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
    throw new ProblemException(
        ProblemType.INVALID_PRECONDITION,
        "If-Match must be one draft tag as sent in the layer's ETag, such as \"draft-3\"");
  }

  private void schema(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String ns = namespace(req).name();
    JsonNode schema =
        namespaces
            .schema(ns)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.ROUTE_NOT_FOUND, "namespace '" + ns + "' has no JSON Schema"));
    JsonViews.send(res, Status.OK_200, schema);
  }

  /** Sets the schema, refusing one that what is published now (or rolling out) already breaks. */
  private void setSchema(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String ns = namespace(req).name();
    JsonNode schema = ctx.bodies().value(req);
    namespaces.setSchema(ns, schema, admin.actor());
    JsonViews.send(res, Status.OK_200, schema);
  }

  private void removeSchema(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    namespaces.removeSchema(namespace(req).name(), admin.actor());
    res.status(Status.NO_CONTENT_204).send();
  }

  private void putDraft(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String ns = namespace(req).name();
    Scope scope = scope(req);
    JsonNode content = ctx.bodies().value(req);
    if (!content.isObject()) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "a layer must be a JSON object");
    }
    Draft draft = namespaces.stage(ns, scope, content, admin.actor(), expectedDraftVersion(req));
    res.header(HeaderNames.ETAG, draftTag(draft.version()));
    JsonViews.send(res, Status.OK_200, JsonViews.draft(draft));
  }

  private void stageRemoval(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String ns = namespace(req).name();
    Scope scope = scope(req);
    Draft draft = namespaces.stage(ns, scope, null, admin.actor(), expectedDraftVersion(req));
    res.header(HeaderNames.ETAG, draftTag(draft.version()));
    JsonViews.send(res, Status.OK_200, JsonViews.draft(draft));
  }

  private void publish(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String ns = namespace(req).name();
    JsonObjectReader body =
        JsonObjectReader.of(ctx.bodies().object(req), Set.of("message", "scopes"));
    String message = body.requiredString("message");
    if (message.isBlank() || message.length() > AdminOperation.MAX_TEXT) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "member 'message' must say why, in 1 to " + AdminOperation.MAX_TEXT + " characters");
    }
    Set<Scope> scopes = new LinkedHashSet<>();
    JsonNode listed = body.optionalNode("scopes");
    if (listed != null && !listed.isNull()) {
      if (!listed.isArray()) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST, "member 'scopes' must be an array of scope strings");
      }
      for (JsonNode element : listed) {
        if (!element.isTextual()) {
          throw new ProblemException(
              ProblemType.INVALID_REQUEST, "member 'scopes' must be an array of scope strings");
        }
        scopes.add(Scope.parse(element.asText()));
      }
    }
    PublishResult result = namespaces.publish(ns, scopes, message, admin.actor());
    ObjectNode view = JsonViews.object();
    view.put("namespace", result.namespace());
    view.put("revision", result.revision());
    ArrayNode published = view.putArray("scopes");
    result.scopes().forEach(s -> published.add(s.key()));
    JsonViews.send(res, Status.OK_200, view);
  }

  private void history(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String ns = namespace(req).name();
    int limit = req.query().first("limit").map(v -> positive("limit", v)).orElse(50L).intValue();
    JsonViews.send(
        res,
        Status.OK_200,
        JsonViews.list(
            "history", namespaces.history(ns, Math.min(limit, MAX_HISTORY)), JsonViews::history));
  }

  /**
   * {@code ?from=R1[&to=R2|draft][&scope=S | &instance=I]}: what changed between two revisions, in
   * one layer, in one instance's effective document, or in every layer.
   */
  private void diff(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String ns = namespace(req).name();
    long current = ctx.store().currentRevision();
    long from =
        revision(
            req.query()
                .first("from")
                .orElseThrow(
                    () ->
                        new ProblemException(
                            ProblemType.INVALID_REQUEST,
                            "query parameter 'from' (a revision) is required")),
            current);
    String toParam = req.query().first("to").orElse(null);
    Optional<String> scopeParam = req.query().first("scope").asOptional();
    Optional<String> instanceParam = req.query().first("instance").asOptional();
    if (scopeParam.isPresent() && instanceParam.isPresent()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "give 'scope' or 'instance', not both");
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
      Instance instance =
          ctx.store()
              .findInstance(Names.require("instance id", instanceParam.get()))
              .orElseThrow(
                  () ->
                      new ProblemException(
                          ProblemType.INSTANCE_NOT_FOUND,
                          "instance '" + instanceParam.get() + "' does not exist"));
      view.put("instance", instance.id());
      view.set(
          "changes",
          JsonViews.changes(
              JsonDiff.between(
                  namespaces.effective(ns, instance, from, false),
                  namespaces.effective(ns, instance, to, false))));
    } else if (scopeParam.isPresent()) {
      Scope scope = Scope.parse(scopeParam.get());
      JsonNode before = content(namespaces.layerAt(ns, scope, from));
      JsonNode after;
      if (toDraft) {
        Draft draft =
            namespaces
                .draft(ns, scope)
                .orElseThrow(
                    () ->
                        new ProblemException(
                            ProblemType.INVALID_REQUEST, "layer " + scope + " has no draft"));
        after = draft.content();
      } else {
        after = content(namespaces.layerAt(ns, scope, to));
      }
      view.put("scope", scope.key());
      view.set("changes", JsonViews.changes(JsonDiff.between(before, after)));
    } else {
      ObjectNode scopes = view.putObject("scopes");
      for (LayerVersion layer : namespaces.layers(ns)) {
        List<JsonDiff.Change> changes =
            JsonDiff.between(
                content(namespaces.layerAt(ns, layer.scope(), from)),
                content(namespaces.layerAt(ns, layer.scope(), to)));
        if (!changes.isEmpty()) {
          scopes.set(layer.scope().key(), JsonViews.changes(changes));
        }
      }
    }
    JsonViews.send(res, Status.OK_200, view);
  }

  /**
   * The effective content an instance receives (now, or at {@code ?revision=}), unsigned, for
   * review.
   */
  private void effective(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String ns = namespace(req).name();
    String id = Names.require("instance id", req.path().pathParameters().get("instance"));
    Instance instance =
        ctx.store()
            .findInstance(id)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.INSTANCE_NOT_FOUND, "instance '" + id + "' does not exist"));
    long current = ctx.store().currentRevision();
    long at = req.query().first("revision").map(v -> revision(v, current)).orElse(current);
    ObjectNode view = JsonViews.object();
    view.put("namespace", ns);
    view.put("instance", id);
    view.put("ring", instance.ring());
    view.put("atRevision", at);
    view.set("content", namespaces.effective(ns, instance, at, at == current));
    JsonViews.send(res, Status.OK_200, view);
  }

  private static JsonNode content(Optional<LayerVersion> layer) {
    return layer.map(LayerVersion::content).orElse(null);
  }

  private Namespace namespace(ServerRequest req) {
    return namespaces.require(req.path().pathParameters().get("ns"));
  }

  private static Scope scope(ServerRequest req) {
    return Scope.parse(req.path().pathParameters().get("scope"));
  }

  private static long revision(String value, long current) {
    long revision = positive("revision", value);
    if (revision > current) {
      throw new ProblemException(
          ProblemType.REVISION_NOT_FOUND,
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
    throw new ProblemException(
        ProblemType.INVALID_REQUEST,
        "query parameter '"
            + name
            + "' must be a positive whole number, was '"
            + Routes.abbreviate(value)
            + "'");
  }
}
