package io.holdfast.server.http;

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
import io.holdfast.server.subscription.Application;
import io.holdfast.server.subscription.SubscriptionJson;
import java.util.Set;

/**
 * {@code /v1/admin/applications}: the catalogue of what instances can subscribe to. Viewers read
 * it; editors add entries and rename them, since an entry alone reaches no instance (a subscription
 * does, and needs a publisher).
 */
final class ApplicationAdminApi implements HttpService {

  static final int MAX_DISPLAY_NAME_LENGTH = 200;

  private final AdminContext ctx;

  ApplicationAdminApi(AdminContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/applications")
        .add(AdminOperation.LIST_APPLICATIONS, this::list)
        .add(AdminOperation.CREATE_APPLICATION, this::create)
        .add(AdminOperation.GET_APPLICATION, this::get)
        .add(AdminOperation.RENAME_APPLICATION, this::update)
        .done();
  }

  private void list(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonViews.send(
        res,
        Status.OK_200,
        JsonViews.list(
            "applications", ctx.store().listApplications(), SubscriptionJson::application));
  }

  private void get(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String name = Names.require("application name", req.path().pathParameters().get("name"));
    Application application =
        ctx.store()
            .findApplication(name)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.APPLICATION_NOT_FOUND,
                        "application '" + name + "' does not exist"));
    JsonViews.send(res, Status.OK_200, SubscriptionJson.application(application));
  }

  private void create(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonObjectReader body =
        JsonObjectReader.of(ctx.bodies().object(req), Set.of("name", "displayName"));
    String name = Names.require("application name", body.requiredString("name"));
    String displayName = displayName(body);
    Application application =
        ctx.store()
            .createApplication(name, displayName == null ? name : displayName, admin.actor());
    res.header(HeaderNames.LOCATION, "/v1/admin/applications/" + name);
    JsonViews.send(res, Status.CREATED_201, SubscriptionJson.application(application));
  }

  private void update(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String name = Names.require("application name", req.path().pathParameters().get("name"));
    JsonObjectReader body = JsonObjectReader.of(ctx.bodies().object(req), Set.of("displayName"));
    String displayName = displayName(body);
    if (displayName == null) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "member 'displayName' is required");
    }
    Application application = ctx.store().updateApplication(name, displayName, admin.actor());
    JsonViews.send(res, Status.OK_200, SubscriptionJson.application(application));
  }

  private static String displayName(JsonObjectReader body) {
    String displayName = body.optionalString("displayName", MAX_DISPLAY_NAME_LENGTH);
    if (displayName != null && displayName.isBlank()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "member 'displayName' must not be blank");
    }
    return displayName;
  }
}
