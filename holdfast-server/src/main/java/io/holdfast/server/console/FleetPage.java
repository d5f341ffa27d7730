package io.holdfast.server.console;

import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.fleet.FleetEntry;
import io.holdfast.server.fleet.FleetState;
import io.holdfast.server.fleet.FleetView;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.rollout.RingPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet at a glance: how many instances are in each state, and every instance by ring with its
 * state, last contact, revision lag and grace remaining, from the same view as {@code GET
 * /v1/admin/fleet}. The table is a live fragment the page's script refreshes every few seconds.
 */
final class FleetPage {

  private final ConsoleContext ctx;

  FleetPage(ConsoleContext ctx) {
    this.ctx = ctx;
  }

  View page(ServerRequest req, Operator operator) {
    FleetState filter = filter(req);
    Html main = new Html();
    main.open(
        "div",
        "id",
        "fleet-live",
        "class",
        "live",
        "data-live",
        "/console/fleet/live" + (filter == null ? "" : "?state=" + filter.label()),
        "data-every",
        "2000");
    main.append(fragment(filter));
    main.close("div");
    return new View(Layout.Section.FLEET, "Fleet", main);
  }

  Html live(ServerRequest req, Operator operator) {
    return fragment(filter(req));
  }

  private Html fragment(FleetState filter) {
    FleetView view = ctx.fleet().view();
    Html html = new Html();
    html.open("ul", "class", "tiles", "id", "fleet-counts");
    for (Map.Entry<FleetState, Integer> count : view.counts().entrySet()) {
      String state = count.getKey().label();
      html.open(
          "li", "class", "tile state-" + state + (count.getKey() == filter ? " selected" : ""));
      html.open("a", "href", "/console/fleet?state=" + state, "id", "count-" + state);
      html.element("span", count.getValue(), "class", "count");
      html.element("span", state, "class", "label");
      html.close("a").close("li");
    }
    html.close("ul");
    html.open("p", "class", "meta");
    html.text("As of ")
        .element("time", HumanTime.stamp(view.at()), "datetime", HumanTime.iso(view.at()));
    html.text(
        view.minGraceRemaining() == null
            ? ""
            : " · least grace remaining " + HumanTime.duration(view.minGraceRemaining()));
    if (filter != null) {
      html.text(" · showing " + filter.label() + " only · ")
          .element("a", "show all", "href", "/console/fleet");
    }
    html.close("p");
    Map<String, List<FleetEntry>> byRing = new LinkedHashMap<>();
    for (RingPolicy ring : ctx.changes().ringPolicies()) {
      byRing.put(ring.ring(), new ArrayList<>());
    }
    for (FleetEntry entry : view.entries()) {
      if (filter == null || entry.state() == filter) {
        byRing.computeIfAbsent(entry.ring(), r -> new ArrayList<>()).add(entry);
      }
    }
    boolean any = false;
    for (Map.Entry<String, List<FleetEntry>> ring : byRing.entrySet()) {
      if (ring.getValue().isEmpty()) {
        continue;
      }
      any = true;
      html.open("section", "class", "ring", "id", "ring-" + ring.getKey());
      html.element("h2", "Ring " + ring.getKey());
      html.table(
          List.of("Instance", "State", "Last contact", "Revision lag", "Grace remaining", "Why"),
          "class",
          "fleet");
      for (FleetEntry e : ring.getValue()) {
        html.open("tr", "id", "instance-" + e.instance(), "data-state", e.state().label());
        html.open("td")
            .element("a", e.instance(), "href", "/console/instances/" + e.instance())
            .close("td");
        html.open("td").append(badge(e.state())).close("td");
        html.open("td")
            .element(
                "time",
                HumanTime.ago(e.lastContact(), view.at()),
                "datetime",
                HumanTime.iso(e.lastContact()),
                "title",
                HumanTime.stamp(e.lastContact()))
            .close("td");
        html.element("td", e.revisionLag(), "class", e.revisionLag() > 0 ? "num warn" : "num");
        html.element("td", HumanTime.duration(e.graceRemaining()), "class", "num");
        html.element("td", e.reason(), "class", "reason");
        html.close("tr");
      }
      html.endTable().close("section");
    }
    if (!any) {
      html.element(
          "p",
          filter == null ? "No instances yet." : "No instance is " + filter.label() + ".",
          "class",
          "empty");
    }
    return html;
  }

  static Html badge(FleetState state) {
    return new Html().element("span", state.label(), "class", "badge state-" + state.label());
  }

  private static FleetState filter(ServerRequest req) {
    String value = req.query().first("state").orElse(null);
    if (value == null || value.isEmpty()) {
      return null;
    }
    FleetState state = FleetState.ofLabel(value);
    if (state == null) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "state must be one of fresh, stale, expired," + " initializing, silent, unreported");
    }
    return state;
  }
}
