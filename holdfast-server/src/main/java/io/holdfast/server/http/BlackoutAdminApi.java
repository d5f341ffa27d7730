package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.window.Blackout;
import io.holdfast.server.window.BlackoutLevel;
import io.holdfast.server.window.StoredBlackout;
import io.holdfast.server.window.WindowSettings;
import java.time.ZoneId;
import java.util.Set;

/**
 * {@code /v1/admin/blackouts}: calendar days on which nothing is released, globally, for a ring or
 * for an instance. List (viewer), add and remove (publisher: a blackout holds back what a release
 * delivers, as a publish decides what it delivers).
 */
final class BlackoutAdminApi implements HttpService {

  private final AdminContext ctx;

  BlackoutAdminApi(AdminContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/blackouts")
        .add(AdminOperation.LIST_BLACKOUTS, this::list)
        .add(AdminOperation.ADD_BLACKOUT, this::add)
        .add(AdminOperation.REMOVE_BLACKOUT, this::remove)
        .done();
  }

  private void list(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonViews.send(
        res,
        Status.OK_200,
        JsonViews.list("blackouts", ctx.windows().blackouts(), BlackoutAdminApi::view));
  }

  private void add(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonObjectReader body =
        JsonObjectReader.of(
            ctx.bodies().object(req), Set.of("level", "target", "from", "to", "zone", "reason"));
    BlackoutLevel level = WindowSettings.level(body.optionalString("level"));
    String target = body.optionalString("target");
    Blackout blackout =
        Blackout.of(
            body.optionalString("from"),
            body.optionalString("to"),
            body.optionalString("zone"),
            body.optionalString("reason"));
    StoredBlackout stored = ctx.windows().addBlackout(level, target, blackout, admin.actor());
    JsonViews.send(res, Status.CREATED_201, view(stored));
  }

  private void remove(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    long id = WindowSettings.blackoutId(req.path().pathParameters().get("id"));
    ctx.windows().removeBlackout(id, admin.actor());
    res.status(Status.NO_CONTENT_204).send();
  }

  private static ObjectNode view(StoredBlackout stored) {
    ObjectNode node = JsonViews.object();
    node.put("id", stored.id());
    node.put("level", WindowSettings.wireName(stored.level()));
    node.put("target", stored.level() == BlackoutLevel.GLOBAL ? null : stored.target());
    node.put("from", stored.blackout().from().toString());
    node.put("to", stored.blackout().to().toString());
    node.put("zone", stored.blackout().zone().map(ZoneId::getId).orElse(null));
    node.put("reason", stored.blackout().reason());
    node.put("createdAt", stored.createdAt().toString());
    return node;
  }
}
