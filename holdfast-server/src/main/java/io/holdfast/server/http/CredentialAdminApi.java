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
import io.holdfast.server.auth.CredentialUse;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Names;
import io.holdfast.server.model.Role;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AdminCredential;
import io.holdfast.server.store.CredentialUpdate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/admin/credentials}: admin credentials and their lifecycle, managed by admins only.
 *
 * <p>Create, read, change role and expiry, rotate (a new token, shown once; the old one dead at
 * once) and revoke (for good). Revocation and rotation take effect on this replica before the
 * answer is sent, and on every other within its {@code refresh-interval}: authentication reads the
 * snapshot, which carries the change. Requests, waiting watches and console sessions held with the
 * old token all end. The store refuses to revoke or demote the last usable admin credential ({@code
 * 409 last-admin}), so the API cannot lock everyone out. Every change is one audit row; tokens and
 * their hashes never leave the server except a new token, once, in the answer that made it.
 */
final class CredentialAdminApi implements HttpService {

  private static final Set<String> CREATE_MEMBERS = Set.of("name", "role", "expiresAt");
  private static final Set<String> UPDATE_MEMBERS = Set.of("role", "expiresAt");

  private final AdminContext ctx;
  private final Clock clock;
  private final CredentialUse use;

  CredentialAdminApi(AdminContext ctx, Clock clock, CredentialUse use) {
    this.ctx = ctx;
    this.clock = clock;
    this.use = use;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/credentials")
        .add(AdminOperation.LIST_CREDENTIALS, this::list)
        .add(AdminOperation.CREATE_CREDENTIAL, this::create)
        .add(AdminOperation.ROTATE_CREDENTIAL, this::rotate)
        .add(AdminOperation.REVOKE_CREDENTIAL, this::revoke)
        .add(AdminOperation.GET_CREDENTIAL, this::get)
        .add(AdminOperation.UPDATE_CREDENTIAL, this::update)
        .done();
  }

  private void list(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    Instant now = clock.instant();
    Map<String, Instant> pending = use.pending();
    JsonViews.send(
        res,
        Status.OK_200,
        JsonViews.list(
            "credentials",
            ctx.store().listAdminCredentials(),
            c -> JsonViews.credential(c.usedAt(pending.get(c.name())), now)));
  }

  private void get(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    AdminCredential credential = find(req.path().pathParameters().get("name"));
    JsonViews.send(
        res,
        Status.OK_200,
        JsonViews.credential(
            credential.usedAt(use.pending().get(credential.name())), clock.instant()));
  }

  private void create(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonObjectReader body = JsonObjectReader.of(ctx.bodies().object(req), CREATE_MEMBERS);
    String name = Names.require("credential name", body.requiredString("name"));
    Role role = role(body.requiredString("role"));
    OffsetDateTime expiresAt = body.optionalTimestamp("expiresAt");
    String token = ctx.tokens().newAdminToken();
    AdminCredential credential =
        ctx.store()
            .createAdminCredential(
                name,
                role,
                CredentialTokens.hash(token),
                expiresAt == null ? null : expiresAt.toInstant(),
                admin.actor());
    ObjectNode view = JsonViews.credential(credential, clock.instant());
    view.put("token", token);
    res.header(HeaderNames.LOCATION, "/v1/admin/credentials/" + name);
    JsonViews.send(res, Status.CREATED_201, view);
  }

  private void update(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String name = Names.require("credential name", req.path().pathParameters().get("name"));
    JsonObjectReader body = JsonObjectReader.of(ctx.bodies().object(req), UPDATE_MEMBERS);
    String roleName = body.optionalString("role");
    OffsetDateTime expiresAt = body.optionalTimestamp("expiresAt");
    CredentialUpdate update =
        new CredentialUpdate(
            roleName == null ? null : role(roleName),
            body.has("expiresAt"),
            expiresAt == null ? null : expiresAt.toInstant());
    if (update.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "send 'role', 'expiresAt' (null for never) or both");
    }
    AdminCredential credential = ctx.store().updateAdminCredential(name, update, admin.actor());
    JsonViews.send(res, Status.OK_200, JsonViews.credential(credential, clock.instant()));
  }

  private void rotate(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String name = Names.require("credential name", req.path().pathParameters().get("name"));
    String token = ctx.tokens().newAdminToken();
    AdminCredential credential =
        ctx.store().rotateAdminCredential(name, CredentialTokens.hash(token), admin.actor());
    ObjectNode view = JsonViews.credential(credential, clock.instant());
    view.put("token", token);
    JsonViews.send(res, Status.OK_200, view);
  }

  private void revoke(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String name = Names.require("credential name", req.path().pathParameters().get("name"));
    AdminCredential credential = ctx.store().revokeAdminCredential(name, admin.actor());
    JsonViews.send(res, Status.OK_200, JsonViews.credential(credential, clock.instant()));
  }

  private AdminCredential find(String name) {
    Names.require("credential name", name);
    return ctx.store().listAdminCredentials().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.CREDENTIAL_NOT_FOUND, "credential '" + name + "' does not exist"));
  }

  private static Role role(String wire) {
    try {
      return Role.fromWire(wire);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, e.getMessage());
    }
  }
}
