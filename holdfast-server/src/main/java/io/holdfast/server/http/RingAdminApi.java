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
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Names;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.rollout.RingGate;
import io.holdfast.server.rollout.RingPolicy;
import io.holdfast.server.store.Ring;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.FleetTimings;
import io.holdfast.server.window.WindowSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/admin/rings}: list (viewer), create (admin), and change a ring's bake time, health
 * gate and change window (admin) with {@code PATCH /v1/admin/rings/{name}}.
 */
final class RingAdminApi implements HttpService {

  private final AdminContext ctx;
  private final Changes changes;

  RingAdminApi(AdminContext ctx, Changes changes) {
    this.ctx = ctx;
    this.changes = changes;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/rings")
        .add(AdminOperation.LIST_RINGS, this::list)
        .add(AdminOperation.CREATE_RING, this::create)
        .add(AdminOperation.UPDATE_RING, this::update)
        .done();
  }

  private void list(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    FleetTimings timings = ctx.windows().timings();
    JsonViews.send(
        res,
        Status.OK_200,
        JsonViews.list(
            "rings",
            changes.ringPolicies(),
            ring -> RolloutAdminApi.ring(ring, timings.ringWindow(ring.ring()))));
  }

  private void update(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String name = Names.require("ring name", req.path().pathParameters().get("name"));
    JsonObjectReader body =
        JsonObjectReader.of(ctx.bodies().object(req), Set.of("bakeTime", "gate", "changeWindow"));
    if (!body.has("bakeTime") && !body.has("gate") && !body.has("changeWindow")) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "send at least one of 'bakeTime', 'gate' and 'changeWindow'");
    }
    // Read before anything is written, so that a malformed window changes nothing else either.
    Optional<ChangeWindow> window =
        body.has(ChangeWindowMember.NAME) ? ChangeWindowMember.read(body) : Optional.empty();
    Duration bake = body.optionalDuration("bakeTime");
    if (bake != null && bake.getNano() != 0) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "member 'bakeTime' must be whole seconds");
    }
    RingGate gate = null;
    ObjectNode gateNode = body.optionalObject("gate");
    if (gateNode != null) {
      RingPolicy current = changes.ringPolicy(name);
      JsonObjectReader g =
          JsonObjectReader.of(
              gateNode,
              Set.of(
                  "minAckRatio", "ackDeadline", "maxFailingRatio", "maxErrorRatio", "allowEmpty"),
              "gate.");
      Double minAck = g.optionalRatio("minAckRatio");
      Duration deadline = g.optionalDuration("ackDeadline");
      Double maxFailing = g.optionalRatio("maxFailingRatio");
      Double maxError = g.optionalRatio("maxErrorRatio");
      Boolean allowEmpty = g.optionalBoolean("allowEmpty");
      RingGate was = current.gate();
      try {
        gate =
            new RingGate(
                minAck == null ? was.minAckRatio() : minAck,
                deadline == null ? was.ackDeadline() : deadline,
                maxFailing == null ? was.maxFailingRatio() : maxFailing,
                maxError == null ? was.maxErrorRatio() : maxError,
                allowEmpty == null ? was.allowEmpty() : allowEmpty);
      } catch (IllegalArgumentException e) {
        throw new ProblemException(ProblemType.INVALID_REQUEST, "member 'gate': " + e.getMessage());
      }
    }
    // One transaction: the bake time, the gate and the window change together or not at all.
    RingPolicy updated =
        changes.updateRing(
            name,
            bake,
            gate,
            body.has("changeWindow")
                ? WindowSettings.Edit.set(window)
                : WindowSettings.Edit.<ChangeWindow>keep(),
            admin.actor());
    JsonViews.send(
        res, Status.OK_200, RolloutAdminApi.ring(updated, ctx.windows().ringWindow(name)));
  }

  private void create(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonObjectReader body =
        JsonObjectReader.of(ctx.bodies().object(req), Set.of("name", "position", "bakeTime"));
    String name = Names.require("ring name", body.requiredString("name"));
    Integer position = body.optionalInt("position");
    if (position == null || position < 0) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "member 'position' is required and must be 0 or more");
    }
    Duration bake = body.optionalDuration("bakeTime");
    Ring ring =
        ctx.store().createRing(name, position, bake == null ? Duration.ZERO : bake, admin.actor());
    res.header(HeaderNames.LOCATION, "/v1/admin/rings/" + ring.name());
    RingPolicy created = changes.ringPolicy(ring.name());
    JsonViews.send(res, Status.CREATED_201, RolloutAdminApi.ring(created, Optional.empty()));
  }
}
