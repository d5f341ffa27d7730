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
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.admin.NamespaceService;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Names;
import io.holdfast.server.model.Scope;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.rollout.Approval;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.ChangeState;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.rollout.DryRun;
import io.holdfast.server.rollout.GateVerdict;
import io.holdfast.server.rollout.RingRelease;
import io.holdfast.server.rollout.RingWindowStatus;
import io.holdfast.server.subscription.SubscriptionEdit;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/admin/changes}: change requests and their rollouts. Editors write and cancel them,
 * publishers approve and steer them (promote, pause, resume, back out), admins hot-fix them;
 * viewers read them, with the current ring's gate verdict and a dry run.
 */
final class ChangeAdminApi implements HttpService {

  static final int MAX_EDITS = 100;
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final AdminContext ctx;
  private final Changes changes;

  ChangeAdminApi(AdminContext ctx, Changes changes) {
    this.ctx = ctx;
    this.changes = changes;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/changes")
        .add(AdminOperation.LIST_CHANGES, this::list)
        .add(AdminOperation.CREATE_CHANGE, this::create)
        .add(AdminOperation.DRY_RUN_CHANGE, this::dryRun)
        .add(AdminOperation.APPROVE_CHANGE, this::approve)
        .add(
            AdminOperation.PROMOTE_CHANGE,
            act(
                AdminOperation.PROMOTE_CHANGE,
                (id, version, actor, reason) -> changes.promote(id, version, actor)))
        .add(
            AdminOperation.PAUSE_CHANGE,
            act(
                AdminOperation.PAUSE_CHANGE,
                (id, version, actor, reason) -> changes.pause(id, version, actor)))
        .add(
            AdminOperation.RESUME_CHANGE,
            act(
                AdminOperation.RESUME_CHANGE,
                (id, version, actor, reason) -> changes.resume(id, version, actor)))
        .add(
            AdminOperation.BACK_OUT_CHANGE,
            act(
                AdminOperation.BACK_OUT_CHANGE,
                (id, version, actor, reason) -> changes.backOut(id, version, reason, actor)))
        .add(
            AdminOperation.HOTFIX_CHANGE,
            act(
                AdminOperation.HOTFIX_CHANGE,
                (id, version, actor, reason) -> changes.hotfix(id, version, reason, actor)))
        .add(
            AdminOperation.CANCEL_CHANGE,
            act(
                AdminOperation.CANCEL_CHANGE,
                (id, version, actor, reason) -> changes.cancel(id, version, reason, actor)))
        .add(AdminOperation.GET_CHANGE, this::get)
        .done();
    // An action that does not exist is answered as a wrong method on an action route.
    rules.any("/{id}/{action}", Routes.methodNotAllowed("POST"));
  }

  @FunctionalInterface
  private interface Action {
    ChangeRequest apply(long id, Long expectedVersion, String actor, String reason);
  }

  private void list(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    List<ChangeState> states = new ArrayList<>();
    for (String value : req.query().all("state", List::of)) {
      for (String part : value.split(",")) {
        try {
          states.add(ChangeState.fromWire(part.strip()));
        } catch (IllegalArgumentException e) {
          throw new ProblemException(ProblemType.INVALID_REQUEST, e.getMessage());
        }
      }
    }
    int limit = req.query().first("limit").map(ChangeAdminApi::limit).orElse(DEFAULT_LIMIT);
    JsonViews.send(
        res,
        Status.OK_200,
        JsonViews.list("changes", changes.list(states, limit), c -> view(c, null)));
  }

  private void create(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonObjectReader body =
        JsonObjectReader.of(ctx.bodies().object(req), Set.of("description", "edits"));
    String description = text(body.requiredString("description"), "description");
    JsonNode editsNode = body.optionalNode("edits");
    List<ChangeEdit> edits = edits(editsNode);
    List<SubscriptionEdit> subscriptionEdits = subscriptionEdits(editsNode);
    boolean dryRun = req.query().first("dryRun").map(ChangeAdminApi::bool).orElse(false);
    if (dryRun) {
      JsonViews.send(res, Status.OK_200, report(changes.dryRun(edits, subscriptionEdits)));
      return;
    }
    ChangeRequest change = changes.create(description, edits, subscriptionEdits, admin.actor());
    res.header(HeaderNames.LOCATION, "/v1/admin/changes/" + change.id());
    JsonViews.send(res, Status.CREATED_201, view(change, null));
  }

  private void get(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    ChangeRequest change = changes.require(id(req));
    res.header(HeaderNames.ETAG, tag(change));
    ObjectNode view = view(change, changes.gate(change).orElse(null));
    windows(view, changes.windows(change));
    JsonViews.send(res, Status.OK_200, view);
  }

  private void dryRun(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    ChangeRequest change = changes.require(id(req));
    JsonViews.send(
        res, Status.OK_200, report(changes.dryRun(change.edits(), change.subscriptionEdits())));
  }

  private void approve(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    long id = id(req);
    String comment = optionalBody(req, "comment");
    ChangeRequest change = changes.approve(id, admin.actor(), comment == null ? "" : comment);
    JsonViews.send(res, Status.OK_200, view(change, null));
  }

  private AdminGate.AdminHandler act(AdminOperation operation, Action action) {
    return (req, res, admin) -> {
      long id = id(req);
      String reason = optionalBody(req, "reason");
      if (operation.needsReason() && reason == null) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST,
            "member 'reason' is required: say why, in 1 to "
                + AdminOperation.MAX_TEXT
                + " characters");
      }
      ChangeRequest change = action.apply(id, expectedVersion(req), admin.actor(), reason);
      res.header(HeaderNames.ETAG, tag(change));
      JsonViews.send(res, Status.OK_200, view(change, null));
    };
  }

  /** The optional one-member body of an action; an absent body is an empty one. */
  private String optionalBody(ServerRequest req, String member) {
    if (!req.content().hasEntity()) {
      return null;
    }
    JsonObjectReader body = JsonObjectReader.of(ctx.bodies().object(req), Set.of(member));
    String value = body.optionalString(member);
    return value == null ? null : text(value, member);
  }

  /** A change's version as a strong tag: what an operator saw, to send back in {@code If-Match}. */
  private static String tag(ChangeRequest change) {
    return "\"change-" + change.version() + "\"";
  }

  /**
   * The version named by {@code If-Match: "change-N"}, or {@code null} without one: an action sent
   * with it is refused (412) if the engine or someone else moved the change meanwhile.
   */
  private static Long expectedVersion(ServerRequest req) {
    if (!req.headers().contains(HeaderNames.IF_MATCH)) {
      return null;
    }
    String value = req.headers().get(HeaderNames.IF_MATCH).get().strip();
    if (value.startsWith("\"change-") && value.endsWith("\"") && value.length() > 9) {
      try {
        return Long.parseLong(value.substring(8, value.length() - 1));
      } catch (NumberFormatException e) {
        // Reported below.
      }
    }
    throw new ProblemException(
        ProblemType.INVALID_PRECONDITION,
        "If-Match must be one change tag as sent in the change's ETag, such as \"change-3\"");
  }

  /** The layer edits among {@code edits}, after checking the array as a whole. */
  private static List<ChangeEdit> edits(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_EDITS) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "member 'edits' must be an array of 1 to "
              + MAX_EDITS
              + " edits of layers or subscriptions");
    }
    List<ChangeEdit> edits = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String path = "edits[" + i + "]";
      if (!node.get(i).isObject()) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST, "member '" + path + "' must be an object");
      }
      if (node.get(i).has("subscription")) {
        continue;
      }
      JsonObjectReader edit =
          JsonObjectReader.of(
              (ObjectNode) node.get(i),
              Set.of("namespace", "scope", "content", "remove", "baseRevision"),
              path);
      String namespace =
          Names.require("namespace name in '" + path + "'", edit.requiredString("namespace"));
      if (!NamespaceService.editable(namespace)) {
        throw new ProblemException(
            ProblemType.INVALID_NAME,
            "namespace '"
                + namespace
                + "' is built from subscriptions;"
                + " change subscriptions through /v1/admin/subscriptions");
      }
      Scope scope = Scope.parse(edit.requiredString("scope"));
      JsonNode content = edit.optionalNode("content");
      JsonNode remove = edit.optionalNode("remove");
      boolean removes = remove != null && remove.isBoolean() && remove.asBoolean();
      if (remove != null && !remove.isBoolean()) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST, "member '" + path + ".remove' must be true or false");
      }
      if (removes == (content != null)) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST,
            "member '" + path + "' must have either 'content' (a JSON object) or \"remove\": true");
      }
      if (content != null && !content.isObject()) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST,
            "member '"
                + path
                + ".content' must be a JSON object:"
                + " a layer is an object that merge-patches the ones below it");
      }
      if (!seen.add(namespace + " " + scope.key())) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST,
            "layer "
                + scope.key()
                + " of namespace '"
                + namespace
                + "' is edited twice; one edit per layer");
      }
      edits.add(
          new ChangeEdit(namespace, scope, content, edit.optionalNonNegativeLong("baseRevision")));
    }
    return edits;
  }

  /**
   * The subscription edits among {@code edits}: {@code {"subscription": {"id", ...changed fields}}}
   * changes one, {@code {"subscription": {"instance", "application", ...}}} creates one, with the
   * members the subscription API takes for each.
   */
  private static List<SubscriptionEdit> subscriptionEdits(JsonNode node) {
    List<SubscriptionEdit> edits = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).has("subscription")) {
        continue;
      }
      String path = "edits[" + i + "].";
      JsonObjectReader edit =
          JsonObjectReader.of(
              (ObjectNode) node.get(i), Set.of("subscription", "baseRevision"), "edits[" + i + "]");
      ObjectNode fields = edit.optionalObject("subscription");
      if (fields == null) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST, "member '" + path + "subscription' must be an object");
      }
      Long baseRevision = edit.optionalNonNegativeLong("baseRevision");
      if (fields.has("id")) {
        Set<String> members = new HashSet<>(SubscriptionAdminApi.CHANGE_MEMBERS);
        members.add("id");
        JsonObjectReader change = JsonObjectReader.of(fields, members, path + "subscription");
        String id = change.requiredString("id", 100);
        edits.add(
            new SubscriptionEdit(
                id, null, null, SubscriptionAdminApi.subscriptionChange(change), baseRevision));
      } else {
        if (baseRevision != null) {
          throw new ProblemException(
              ProblemType.INVALID_REQUEST,
              "member '"
                  + path
                  + "baseRevision' only applies to a change of an existing subscription");
        }
        JsonObjectReader create =
            JsonObjectReader.of(fields, SubscriptionAdminApi.CREATE_MEMBERS, path + "subscription");
        edits.add(SubscriptionEdit.creating(SubscriptionAdminApi.newSubscription(create)));
      }
    }
    return edits;
  }

  private static String text(String value, String member) {
    if (value.isBlank() || value.length() > AdminOperation.MAX_TEXT) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "member '"
              + member
              + "' must be 1 to "
              + AdminOperation.MAX_TEXT
              + " characters, not blank");
    }
    return value;
  }

  private static long id(ServerRequest req) {
    return Changes.parseId(req.path().pathParameters().get("id"));
  }

  /** {@code true} or {@code false}; anything else is refused, never read as false. */
  private static boolean bool(String text) {
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new ProblemException(
              ProblemType.INVALID_REQUEST,
              "query parameter 'dryRun' must be true or false, was '"
                  + Routes.abbreviate(text)
                  + "'");
    };
  }

  private static int limit(String text) {
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new ProblemException(
        ProblemType.INVALID_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT);
  }

  /**
   * Per ring reached, who has the change and who waits for a change window, with the next opening
   * as an instant and in the zone of the instance it opens for.
   */
  private static void windows(ObjectNode view, List<RingWindowStatus> rings) {
    if (rings.isEmpty()) {
      return;
    }
    ArrayNode windows = view.putArray("windows");
    for (RingWindowStatus ring : rings) {
      ObjectNode w = windows.addObject();
      w.put("ring", ring.ring());
      w.put("instances", ring.instances());
      w.put("received", ring.received());
      w.put("waiting", ring.waiting());
      ring.nextOpening()
          .ifPresent(
              at -> {
                ObjectNode next = w.putObject("nextOpening");
                next.put("at", at.toString());
                next.put("instance", ring.nextInstance().orElseThrow());
                ZoneId zone = ring.nextZone().orElseThrow();
                next.put("zone", zone.getId());
                next.put("local", at.atZone(zone).toLocalDateTime().toString());
              });
    }
  }

  static ObjectNode view(ChangeRequest change, GateVerdict gate) {
    ObjectNode node = JsonViews.object();
    node.put("id", change.id());
    node.put("description", change.description());
    node.put("author", change.author());
    node.put("state", change.state().wireName());
    node.put("requiredApprovals", change.requiredApprovals());
    node.put("paused", change.paused());
    if (change.currentRing() != null) {
      node.put("currentRing", change.currentRing());
      node.put("releasedAt", change.releasedAt().toString());
      node.put("releaseRevision", change.releaseRevision());
    }
    node.put("outcome", change.outcome());
    if (change.finalRevision() != null) {
      node.put("finalRevision", change.finalRevision());
    }
    node.put("version", change.version());
    node.put("createdAt", change.createdAt().toString());
    node.put("updatedAt", change.updatedAt().toString());
    ArrayNode edits = node.putArray("edits");
    for (ChangeEdit edit : change.edits()) {
      ObjectNode e = edits.addObject();
      e.put("namespace", edit.namespace());
      e.put("scope", edit.scope().key());
      if (edit.removes()) {
        e.put("remove", true);
      } else {
        e.set("content", edit.content());
      }
      e.put("baseRevision", edit.baseRevision());
    }
    for (SubscriptionEdit edit : change.subscriptionEdits()) {
      ObjectNode e = edits.addObject();
      ObjectNode fields = e.putObject("subscription");
      fields.put("id", edit.subscriptionId());
      fields.put("instance", edit.instance());
      fields.setAll(edit.body());
      e.put("kind", edit.create() != null ? "create" : "change");
      e.put("baseRevision", edit.baseRevision());
    }
    ArrayNode approvals = node.putArray("approvals");
    for (Approval approval : change.approvals()) {
      approvals
          .addObject()
          .put("approver", approval.approver())
          .put("comment", approval.comment())
          .put("approvedAt", approval.approvedAt().toString());
    }
    ArrayNode releases = node.putArray("releases");
    for (RingRelease release : change.releases()) {
      releases
          .addObject()
          .put("ring", release.ring())
          .put("revision", release.revision())
          .put("releasedAt", release.releasedAt().toString())
          .put("mode", release.mode().wireName())
          .put("actor", release.actor());
    }
    if (gate != null) {
      ObjectNode g = node.putObject("gate");
      g.put("decision", gate.decision().name());
      g.put("watched", gate.watched());
      g.put("acknowledged", gate.acknowledged());
      g.put("failing", gate.failing());
      g.put("erroring", gate.erroring());
      g.put("reason", gate.reason());
    }
    return node;
  }

  private static ObjectNode report(DryRun.Report report) {
    ObjectNode node = JsonViews.object();
    node.put("changesAnything", report.changesAnything());
    ArrayNode violations = node.putArray("violations");
    report.violations().forEach(violations::add);
    ArrayNode previews = node.putArray("previews");
    for (DryRun.Preview preview : report.previews()) {
      ObjectNode p = previews.addObject();
      p.put("target", preview.target());
      p.put("namespace", preview.namespace());
      p.set("before", preview.before());
      p.set("after", preview.after());
      p.set("diff", JsonViews.changes(preview.diff()));
    }
    return node;
  }
}
