package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ProblemException;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Names;
import io.holdfast.server.model.Role;
import io.holdfast.server.store.Ring;
import java.time.Duration;
import java.util.Set;

/** {@code /v1/admin/rings}: list (viewer) and create (admin). */
final class RingAdminApi implements HttpService {

  private final AdminContext ctx;

  RingAdminApi(AdminContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::list)
        .post("/", this::create)
        .any("/", Routes.methodNotAllowed("GET, POST"));
  }

  private void list(ServerRequest req, ServerResponse res) {
    ctx.guard().admin(req, Role.VIEWER);
    JsonViews.send(res, Status.OK_200, JsonViews.list("rings", ctx.store().listRings(), JsonViews::ring));
  }

  private void create(ServerRequest req, ServerResponse res) {
    Principal.AdminPrincipal admin = ctx.guard().admin(req, Role.ADMIN);
    JsonObjectReader body = JsonObjectReader.of(ctx.bodies().object(req), Set.of("name", "position", "bakeTime"));
    String name = Names.require("ring name", body.requiredString("name"));
    Integer position = body.optionalInt("position");
    if (position == null || position < 0) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "member 'position' is required and must be 0 or more");
    }
    Duration bake = body.optionalDuration("bakeTime");
    Ring ring = ctx.store().createRing(name, position, bake == null ? Duration.ZERO : bake, admin.actor());
    ctx.afterWrite();
    res.header(HeaderNames.LOCATION, "/v1/admin/rings/" + ring.name());
    ObjectNode view = JsonViews.ring(ring);
    JsonViews.send(res, Status.CREATED_201, view);
  }
}
