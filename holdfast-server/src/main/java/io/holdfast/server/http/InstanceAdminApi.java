package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.Labels;
import io.holdfast.server.model.Names;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.FleetWrites;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.FleetTimings;
import io.holdfast.server.window.InstanceTiming;
import io.holdfast.server.window.WindowSettings;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/admin/instances}: list and read, with the latest heartbeat (viewer), create and change
 * labels, time zone and change window (editor), move to another ring (publisher: it changes what
 * the instance is served, as a publish does), rotate the credential (admin). A new credential is
 * shown exactly once, in the response that creates it.
 */
final class InstanceAdminApi implements HttpService {

  private final AdminContext ctx;

  InstanceAdminApi(AdminContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/instances")
        .add(AdminOperation.LIST_INSTANCES, this::list)
        .add(AdminOperation.CREATE_INSTANCE, this::create)
        .add(AdminOperation.ROTATE_INSTANCE_CREDENTIAL, this::rotate)
        .add(AdminOperation.GET_HEARTBEAT, this::heartbeat)
        .add(AdminOperation.GET_INSTANCE, this::get)
        .add(
            List.of(AdminOperation.UPDATE_INSTANCE, AdminOperation.MOVE_INSTANCE_RING),
            this::update)
        .done();
  }

  private void list(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    // One read of every instance's window settings, not one per instance.
    FleetTimings timings = ctx.windows().timings();
    JsonViews.send(
        res,
        Status.OK_200,
        JsonViews.list(
            "instances",
            ctx.store().listInstances(),
            instance -> JsonViews.instance(instance, timings.instance(instance.id()))));
  }

  private void get(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    Instance instance = find(req.path().pathParameters().get("id"));
    JsonViews.send(
        res,
        Status.OK_200,
        JsonViews.instance(instance, ctx.windows().instanceTiming(instance.id())));
  }

  private void create(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonObjectReader body =
        JsonObjectReader.of(ctx.bodies().object(req), Set.of("id", "ring", "labels"));
    String id = Names.require("instance id", body.requiredString("id"));
    String ring = Names.require("ring name", body.requiredString("ring"));
    Map<String, String> labels = labels(body);
    String token = ctx.tokens().newInstanceToken();
    Instance instance =
        ctx.store()
            .createInstance(
                id,
                ring,
                labels == null ? Map.of() : labels,
                CredentialTokens.hash(token),
                admin.actor());
    ObjectNode view = JsonViews.object();
    view.set("instance", JsonViews.instance(instance, InstanceTiming.NONE));
    view.put("credential", token);
    res.header(HeaderNames.LOCATION, "/v1/admin/instances/" + id);
    JsonViews.send(res, Status.CREATED_201, view);
  }

  private void update(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    // Which operation this is, and so the role it needs, depends on what the body changes; the
    // gate let any admin role through to be told which.
    String id = req.path().pathParameters().get("id");
    Instance current = find(id);
    JsonObjectReader body =
        JsonObjectReader.of(
            ctx.bodies().object(req), Set.of("ring", "labels", "zone", "changeWindow"));
    String ring = body.optionalString("ring");
    if (ring != null) {
      Names.require("ring name", ring);
    }
    AdminOperation operation = AdminOperation.toEditInstance(current.ring(), ring);
    if (operation == AdminOperation.MOVE_INSTANCE_RING && !operation.allows(admin)) {
      throw new ProblemException(
          ProblemType.FORBIDDEN,
          "moving an instance to another ring changes what it is"
              + " served and needs the publisher role; credential '"
              + admin.name()
              + "' has "
              + admin.role().wireName()
              + " (labels alone are an editor's)");
    }
    operation.authorize(admin);
    Map<String, String> labels = labels(body);
    // Read before anything is written, so that a bad zone or window changes nothing else either.
    WindowSettings.Edit<ZoneId> zone =
        body.has("zone")
            ? WindowSettings.Edit.set(WindowSettings.zone(body.optionalString("zone")))
            : WindowSettings.Edit.keep();
    WindowSettings.Edit<ChangeWindow> window =
        body.has("changeWindow")
            ? WindowSettings.Edit.set(ChangeWindowMember.read(body))
            : WindowSettings.Edit.keep();
    if (ring == null && labels == null && !zone.changes() && !window.changes()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "send at least one of 'ring', 'labels', 'zone' and 'changeWindow'");
    }
    // One transaction: the ring, the labels and the window settings change together or not at all.
    InstanceTiming timing =
        ctx.windows()
            .updateInstance(
                id,
                zone,
                window,
                admin.actor(),
                (c, now) -> {
                  if (ring != null || labels != null) {
                    FleetWrites.updateInstance(c, id, ring, labels, admin.actor(), now);
                  }
                });
    Instance instance = find(id);
    JsonViews.send(res, Status.OK_200, JsonViews.instance(instance, timing));
  }

  private void rotate(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String id = req.path().pathParameters().get("id");
    Instance instance = find(id);
    String token = ctx.tokens().newInstanceToken();
    ctx.store()
        .replaceInstanceCredential(instance.id(), CredentialTokens.hash(token), admin.actor());
    ObjectNode view = JsonViews.object();
    view.put("instance", instance.id());
    view.put("credential", token);
    JsonViews.send(res, Status.OK_200, view);
  }

  private void heartbeat(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    Instance instance = find(req.path().pathParameters().get("id"));
    Heartbeat heartbeat =
        ctx.store()
            .lastHeartbeat(instance.id())
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.HEARTBEAT_NOT_FOUND,
                        "instance '" + instance.id() + "' has not sent a heartbeat yet"));
    ObjectNode view = JsonViews.object();
    view.put("instance", heartbeat.instance());
    view.put("receivedAt", heartbeat.receivedAt().toString());
    view.set("heartbeat", heartbeat.body());
    JsonViews.send(res, Status.OK_200, view);
  }

  private Instance find(String id) {
    Names.require("instance id", id);
    return ctx.store()
        .findInstance(id)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.INSTANCE_NOT_FOUND, "instance '" + id + "' does not exist"));
  }

  private static Map<String, String> labels(JsonObjectReader body) {
    Map<String, String> labels = body.optionalStringMap("labels");
    if (labels == null) {
      return null;
    }
    try {
      return Labels.validate(labels);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, e.getMessage());
    }
  }
}
