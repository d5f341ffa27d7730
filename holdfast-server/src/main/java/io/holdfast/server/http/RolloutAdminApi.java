package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.rollout.Freeze;
import io.holdfast.server.rollout.RingPolicy;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.FleetTimings;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/admin/rollouts}: the rollout settings in force (approvals, rings with their bake times
 * and gates) and the global freeze. Any publisher may freeze, since stopping rollouts during an
 * incident must not wait for an admin; lifting the freeze takes an admin.
 */
final class RolloutAdminApi implements HttpService {

  private final AdminContext ctx;
  private final Changes changes;

  RolloutAdminApi(AdminContext ctx, Changes changes) {
    this.ctx = ctx;
    this.changes = changes;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/rollouts")
        .add(AdminOperation.GET_ROLLOUTS, this::overview)
        .add(AdminOperation.FREEZE_ROLLOUTS, this::freeze)
        .add(AdminOperation.LIFT_FREEZE, this::lift)
        .done();
  }

  private void overview(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    ObjectNode view = JsonViews.object();
    view.set("freeze", freezeView(changes.currentFreeze()));
    view.put("requiredApprovals", changes.requiredApprovals());
    ArrayNode rings = view.putArray("rings");
    FleetTimings timings = ctx.windows().timings();
    for (RingPolicy ring : changes.ringPolicies()) {
      rings.add(ring(ring, timings.ringWindow(ring.ring())));
    }
    JsonViews.send(res, Status.OK_200, view);
  }

  private void freeze(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonObjectReader body = JsonObjectReader.of(ctx.bodies().object(req), Set.of("reason"));
    String reason = body.requiredString("reason");
    if (reason.isBlank() || reason.length() > AdminOperation.MAX_TEXT) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "member 'reason' must say why, in 1 to " + AdminOperation.MAX_TEXT + " characters");
    }
    Freeze freeze = changes.freeze(reason, admin.actor());
    JsonViews.send(res, Status.OK_200, freezeView(Optional.of(freeze)));
  }

  private void lift(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    changes.liftFreeze(admin.actor());
    res.status(Status.NO_CONTENT_204).send();
  }

  /** A ring's view: its place, bake time, gate, and change window ({@code null} for none). */
  static ObjectNode ring(RingPolicy ring, Optional<ChangeWindow> window) {
    ObjectNode node = JsonViews.object();
    node.put("name", ring.ring());
    node.put("position", ring.position());
    node.put("bakeTime", ring.bakeTime().toString());
    node.put("changeWindow", window.map(ChangeWindow::format).orElse(null));
    ObjectNode gate = node.putObject("gate");
    gate.put("minAckRatio", ring.gate().minAckRatio());
    gate.put("ackDeadline", ring.gate().ackDeadline().toString());
    gate.put("maxFailingRatio", ring.gate().maxFailingRatio());
    gate.put("maxErrorRatio", ring.gate().maxErrorRatio());
    gate.put("allowEmpty", ring.gate().allowEmpty());
    return node;
  }

  private static ObjectNode freezeView(Optional<Freeze> freeze) {
    ObjectNode node = JsonViews.object();
    node.put("frozen", freeze.isPresent());
    freeze.ifPresent(
        f ->
            node.put("reason", f.reason())
                .put("actor", f.actor())
                .put("since", f.since().toString()));
    return node;
  }
}
