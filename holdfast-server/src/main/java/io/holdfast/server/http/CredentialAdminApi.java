package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ProblemException;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Names;
import io.holdfast.server.model.Role;
import io.holdfast.server.store.AdminCredential;
import java.util.Set;

/** {@code /v1/admin/credentials}: admin credentials, managed by admins only. */
final class CredentialAdminApi implements HttpService {

  private final AdminContext ctx;

  CredentialAdminApi(AdminContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::list)
        .post("/", this::create)
        .any("/", Routes.methodNotAllowed("GET, POST"));
  }

  private void list(ServerRequest req, ServerResponse res) {
    ctx.guard().admin(req, Role.ADMIN);
    JsonViews.send(res, Status.OK_200,
        JsonViews.list("credentials", ctx.store().listAdminCredentials(), JsonViews::credential));
  }

  private void create(ServerRequest req, ServerResponse res) {
    Principal.AdminPrincipal admin = ctx.guard().admin(req, Role.ADMIN);
    JsonObjectReader body = JsonObjectReader.of(ctx.bodies().object(req), Set.of("name", "role"));
    String name = Names.require("credential name", body.requiredString("name"));
    Role role;
    try {
      role = Role.fromWire(body.requiredString("role"));
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, e.getMessage());
    }
    String token = ctx.tokens().newAdminToken();
    AdminCredential credential = ctx.store().createAdminCredential(name, role, CredentialTokens.hash(token), admin.actor());
    ctx.afterWrite();
    ObjectNode view = JsonViews.credential(credential);
    view.put("token", token);
    JsonViews.send(res, Status.CREATED_201, view);
  }
}
