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
import io.holdfast.server.config.ServerConfigLoader;
import io.holdfast.server.fleet.Fleet;
import io.holdfast.server.fleet.FleetEntry;
import io.holdfast.server.fleet.FleetQuery;
import io.holdfast.server.fleet.FleetState;
import io.holdfast.server.fleet.FleetView;
import io.holdfast.server.model.Names;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.snapshot.InstanceView;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code /v1/admin/fleet}: every instance's state from its heartbeats, filtered by state, ring,
 * revision lag, silence and grace remaining, with counts by state; and one instance's detail with
 * its latest report. Viewers may read it.
 */
final class FleetApi implements HttpService {

  private final AdminContext ctx;
  private final Fleet fleet;

  FleetApi(AdminContext ctx, Fleet fleet) {
    this.ctx = ctx;
    this.fleet = fleet;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/fleet")
        .add(AdminOperation.LIST_FLEET, this::list)
        .add(AdminOperation.GET_FLEET_INSTANCE, this::detail)
        .done();
  }

  private void list(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    FleetQuery query = query(req);
    FleetView view = fleet.view();
    ObjectNode body = JsonViews.object();
    body.put("at", view.at().toString());
    body.put("silentAfterSeconds", fleet.silentAfter().toSeconds());
    ObjectNode counts = body.putObject("counts");
    view.counts().forEach((state, count) -> counts.put(state.label(), count));
    if (view.minGraceRemaining() == null) {
      body.putNull("minGraceRemainingSeconds");
    } else {
      body.put("minGraceRemainingSeconds", view.minGraceRemaining().toSeconds());
    }
    ArrayNode instances = body.putArray("instances");
    query.apply(view).forEach(e -> instances.add(entry(e)));
    JsonViews.send(res, Status.OK_200, body);
  }

  private void detail(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    String id = Names.require("instance id", req.path().pathParameters().get("id"));
    FleetView view = fleet.view();
    FleetEntry entry =
        view.entries().stream()
            .filter(e -> e.instance().equals(id))
            .findFirst()
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.INSTANCE_NOT_FOUND, "instance '" + id + "' does not exist"));
    ObjectNode body = entry(entry);
    ctx.store()
        .lastHeartbeat(id)
        .ifPresentOrElse(
            h -> body.set("heartbeat", h.body().deepCopy()), () -> body.putNull("heartbeat"));
    ObjectNode served = body.putObject("served");
    InstanceView instance = ctx.snapshots().current().instance(id);
    if (instance != null) { // null only if it went away since the view was built
      instance
          .documents()
          .forEach((namespace, document) -> served.put(namespace, document.revision()));
    }
    JsonViews.send(res, Status.OK_200, body);
  }

  private static ObjectNode entry(FleetEntry e) {
    ObjectNode node = JsonViews.object();
    node.put("instance", e.instance());
    node.put("ring", e.ring());
    node.put("state", e.state().label());
    if (e.lastContact() == null) {
      node.putNull("lastContact");
    } else {
      node.put("lastContact", e.lastContact().toString());
    }
    node.put("revisionLag", e.revisionLag());
    if (e.graceRemaining() == null) {
      node.putNull("graceRemainingSeconds");
    } else {
      node.put("graceRemainingSeconds", e.graceRemaining().toSeconds());
    }
    if (e.reason() == null) {
      node.putNull("reason");
    } else {
      node.put("reason", e.reason());
    }
    return node;
  }

  private static FleetQuery query(ServerRequest req) {
    Map<String, String> params =
        req.query().names().stream().collect(Collectors.toMap(n -> n, n -> req.query().get(n)));
    for (String name : params.keySet()) {
      if (!Arrays.asList("state", "ring", "minLag", "silentFor", "graceBelow").contains(name)) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST,
            "unknown query parameter '"
                + Routes.abbreviate(name)
                + "'; known: state, ring, minLag, silentFor, graceBelow");
      }
    }
    FleetState state = null;
    if (params.containsKey("state")) {
      state = FleetState.ofLabel(params.get("state"));
      if (state == null) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST,
            "state must be one of "
                + Arrays.stream(FleetState.values())
                    .map(FleetState::label)
                    .collect(Collectors.joining(", ")));
      }
    }
    String ring = params.containsKey("ring") ? Names.require("ring", params.get("ring")) : null;
    Long minLag = null;
    if (params.containsKey("minLag")) {
      try {
        minLag = Long.parseLong(params.get("minLag"));
      } catch (NumberFormatException e) {
        minLag = -1L;
      }
      if (minLag < 0) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST, "minLag must be a whole number of revisions, 0 or more");
      }
    }
    return new FleetQuery(
        state, ring, minLag, duration(params, "silentFor"), duration(params, "graceBelow"));
  }

  /**
   * A duration as the configuration takes them: {@code 90s}, {@code 5m}, {@code 8h} or ISO-8601.
   */
  private static Duration duration(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null) {
      return null;
    }
    Duration parsed;
    try {
      parsed = ServerConfigLoader.duration(name, value);
    } catch (IllegalArgumentException e) {
      parsed = null;
    }
    if (parsed == null || parsed.isNegative()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, name + " must be a duration such as 90s, 5m, 8h or PT5M");
    }
    return parsed;
  }
}
