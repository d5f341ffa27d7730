package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.probe.ProbeReport;
import io.holdfast.server.probe.ProbeResults;
import io.holdfast.server.probe.ReplicaProbe;

/**
 * {@code GET /v1/admin/probes} (viewer): what this replica's synthetic probe found last, per target
 * replica, with the flags derived from comparing them. Answers from memory; never probes itself.
 */
final class ProbeAdminApi implements HttpService {

  private final AdminContext ctx;
  private final ReplicaProbe probe;

  ProbeAdminApi(AdminContext ctx, ReplicaProbe probe) {
    this.ctx = ctx;
    this.probe = probe;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate().routes(rules, "/v1/admin/probes").add(AdminOperation.LIST_PROBES, this::list).done();
  }

  private void list(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    ProbeResults results = probe.results();
    ObjectNode body = ProbeReport.toJson(results.statuses(), results.lastRound().orElse(null));
    body.put("enabled", probe.enabled());
    body.put("lagTolerance", results.lagTolerance().toString());
    JsonViews.send(res, Status.OK_200, body);
  }
}
