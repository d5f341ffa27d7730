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
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.model.Names;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.subscription.SubscriptionFilter;
import io.holdfast.server.subscription.Usage;
import io.holdfast.server.subscription.UsageReport;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Utilisation of subscriptions, under {@code /v1/admin}: per instance ({@code
 * /instances/{id}/subscriptions/usage}) and fleet-wide ({@code /subscriptions/usage}, optionally
 * {@code ?overAllocated=true}). Joins the subscription in force now with the seats in use that each
 * instance last reported in its heartbeat. Viewers may read it.
 */
final class SubscriptionUsageApi implements HttpService {

  private final AdminContext ctx;
  private final Clock clock;

  /**
   * @param clock says which subscription is in force "now"
   */
  SubscriptionUsageApi(AdminContext ctx, Clock clock) {
    this.ctx = ctx;
    this.clock = clock;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin")
        .add(AdminOperation.INSTANCE_USAGE, this::instance)
        .add(AdminOperation.FLEET_USAGE, this::fleet)
        .done();
  }

  private void instance(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String id = Names.require("instance id", req.path().pathParameters().get("id"));
    if (ctx.store().findInstance(id).isEmpty()) {
      throw new ProblemException(
          ProblemType.INSTANCE_NOT_FOUND, "instance '" + id + "' does not exist");
    }
    Instant now = clock.instant();
    List<Heartbeat> heartbeat = ctx.store().lastHeartbeat(id).map(List::of).orElse(List.of());
    send(
        res,
        now,
        UsageReport.of(
            ctx.store().listSubscriptions(SubscriptionFilter.ofInstance(id)), heartbeat, now),
        false);
  }

  private void fleet(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    boolean onlyOver =
        req.query().first("overAllocated").map(SubscriptionUsageApi::flag).orElse(false);
    Instant now = clock.instant();
    send(
        res,
        now,
        UsageReport.of(
            ctx.store().listSubscriptions(SubscriptionFilter.ALL),
            ctx.store().latestHeartbeats(),
            now),
        onlyOver);
  }

  private static void send(
      ServerResponse res, Instant now, List<Usage> rows, boolean onlyOverAllocated) {
    ObjectNode view = JsonViews.object();
    view.put("at", now.toString());
    ArrayNode usage = view.putArray("usage");
    for (Usage row : rows) {
      if (!onlyOverAllocated || row.overAllocated()) {
        usage.add(view(row));
      }
    }
    JsonViews.send(res, Status.OK_200, view);
  }

  private static ObjectNode view(Usage row) {
    ObjectNode node = JsonViews.object();
    node.put("instance", row.instance());
    node.put("application", row.application());
    node.put("subscription", row.subscriptionId());
    node.put("status", row.status() == null ? null : row.status().wireName());
    node.put("quantity", row.quantity());
    node.put("overage", row.overage());
    node.put("seatsInUse", row.seatsInUse());
    node.put("reportedAt", row.reportedAt() == null ? null : row.reportedAt().toString());
    node.put("utilisation", row.utilisation());
    node.put("overAllocated", row.overAllocated());
    return node;
  }

  private static boolean flag(String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new ProblemException(
              ProblemType.INVALID_REQUEST,
              "query parameter 'overAllocated' must be true or false, was '"
                  + Routes.abbreviate(value)
                  + "'");
    };
  }
}
