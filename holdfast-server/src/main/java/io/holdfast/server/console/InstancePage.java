package io.holdfast.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.fleet.FleetEntry;
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.Names;
import io.holdfast.server.model.Scope;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.snapshot.InstanceView;
import io.holdfast.server.snapshot.ServedDocument;
import io.holdfast.server.store.HistoryEntry;
import io.holdfast.server.subscription.SubscriptionFilter;
import io.holdfast.server.subscription.UsageReport;
import io.holdfast.server.window.Blackout;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.FleetTimings;
import io.holdfast.server.window.InstanceTiming;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One instance: its state in the fleet, when it takes changes (zone, change window, blackouts), the
 * effective documents this replica serves it (the content, never the credential), the revisions
 * that changed them, its latest heartbeat, and its subscriptions with the seats it reports in use.
 */
final class InstancePage {

  private static final int HISTORY_PER_NAMESPACE = 10;

  private final ConsoleContext ctx;

  InstancePage(ConsoleContext ctx) {
    this.ctx = ctx;
  }

  View page(ServerRequest req, Operator operator) {
    String id = Names.require("instance id", req.path().pathParameters().get("id"));
    Instance instance =
        ctx.store()
            .findInstance(id)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.INSTANCE_NOT_FOUND, "instance '" + id + "' does not exist"));
    Instant now = ctx.clock().instant();
    Html main = new Html();
    Optional<FleetEntry> entry =
        ctx.fleet().view().entries().stream().filter(e -> e.instance().equals(id)).findFirst();
    main.open("dl", "class", "facts");
    fact(main, "Ring", new Html().text(instance.ring()));
    entry.ifPresent(
        e -> {
          fact(
              main,
              "State",
              FleetPage.badge(e.state()).text(e.reason() == null ? "" : " " + e.reason()));
          fact(main, "Last contact", new Html().text(HumanTime.ago(e.lastContact(), now)));
          fact(main, "Revision lag", new Html().text(e.revisionLag()));
          fact(main, "Grace remaining", new Html().text(HumanTime.duration(e.graceRemaining())));
        });
    fact(
        main,
        "Labels",
        new Html()
            .text(instance.labels().isEmpty() ? "–" : new TreeMap<>(instance.labels()).toString()));
    fact(main, "Created", new Html().text(HumanTime.stamp(instance.createdAt())));
    timing(main, id, instance.ring(), operator);
    main.close("dl");

    documents(main, id);
    Optional<Heartbeat> heartbeat = ctx.store().lastHeartbeat(id);
    heartbeat(main, heartbeat, now);
    subscriptions(main, id, heartbeat, now);
    history(main, instance);
    return new View(Layout.Section.FLEET, "Instance " + id, main);
  }

  /**
   * When the instance takes changes: its own zone and window, what applies (its own window, else
   * its ring's read in its zone), and the blackouts that name it; a role that may edits the zone
   * and window here (blackouts on the Rollouts page).
   */
  private void timing(Html main, String id, String ring, Operator operator) {
    FleetTimings timings = ctx.windows().timings();
    InstanceTiming own = timings.instance(id);
    fact(
        main,
        "Time zone",
        new Html()
            .element(
                "span", own.zone().map(ZoneId::getId).orElse("– (none of its own)"), "id", "zone"));
    String window =
        own.window()
            .map(ChangeWindow::format)
            .orElse(
                timings
                    .schedule(id, ring)
                    .window()
                    .map(w -> "– (ring " + ring + "'s, read in its zone: " + w.format() + ")")
                    .orElse("– (always open)"));
    fact(main, "Change window", new Html().element("span", window, "id", "change-window"));
    Html edit = WindowForms.instanceTiming(operator, id, own);
    if (!edit.toString().isEmpty()) {
      fact(main, "Edit", edit);
    }
    List<String> blackouts = own.blackouts().stream().map(Blackout::format).toList();
    fact(
        main,
        "Own blackouts",
        new Html()
            .element(
                "span",
                blackouts.isEmpty() ? "–" : String.join("; ", blackouts),
                "id",
                "instance-blackouts"));
  }

  private void documents(Html main, String id) {
    main.element("h2", "Effective documents");
    InstanceView view = ctx.snapshot().instance(id);
    if (view == null || view.documents().isEmpty()) {
      main.element("p", "This replica serves the instance no documents yet.", "class", "empty");
      return;
    }
    for (Map.Entry<String, ServedDocument> document : new TreeMap<>(view.documents()).entrySet()) {
      ServedDocument served = document.getValue();
      main.open("details", "class", "document", "id", "document-" + document.getKey());
      main.open("summary");
      main.element("strong", document.getKey());
      main.text(
          " · revision "
              + served.revision()
              + " · issued "
              + HumanTime.stamp(served.issuedAt())
              + " · ETag ");
      main.element("code", served.etagHeaderValue());
      main.close("summary");
      main.append(PrettyJson.block(content(served), "content-" + document.getKey()));
      main.close("details");
    }
  }

  private JsonNode content(ServedDocument served) {
    try {
      return Envelope.parse(served.body(), ctx.json()).content();
    } catch (JsonInputException e) {
      throw new IllegalStateException("the snapshot holds an envelope that does not parse", e);
    }
  }

  private static void heartbeat(Html main, Optional<Heartbeat> heartbeat, Instant now) {
    main.element("h2", "Latest heartbeat");
    if (heartbeat.isEmpty()) {
      main.element("p", "No heartbeat yet.", "class", "empty");
      return;
    }
    JsonNode body = heartbeat.get().body();
    main.open("p", "class", "meta", "id", "heartbeat-meta");
    main.text(
        "Received "
            + HumanTime.ago(heartbeat.get().receivedAt(), now)
            + " ("
            + HumanTime.stamp(heartbeat.get().receivedAt())
            + ") · SDK "
            + body.path("sdkVersion").asText("?"));
    if (body.hasNonNull("lastError")) {
      main.text(" · last error: " + body.get("lastError").asText());
    }
    if (body.has("application")) {
      main.text(
          " · application "
              + body.path("application").path("status").asText()
              + (body.path("application").hasNonNull("reason")
                  ? " (" + body.path("application").get("reason").asText() + ")"
                  : ""));
    }
    main.close("p");
    main.table(
        List.of("Namespace", "Status", "Revision", "Since", "Grace remaining", "Reason"),
        "id",
        "heartbeat-namespaces");
    for (Map.Entry<String, JsonNode> ns : body.path("namespaces").properties()) {
      JsonNode status = ns.getValue();
      main.open("tr");
      main.element("td", ns.getKey());
      main.open("td")
          .element(
              "span",
              status.path("status").asText(),
              "class",
              "badge state-" + status.path("status").asText().toLowerCase(java.util.Locale.ROOT))
          .close("td");
      main.element("td", status.path("revision").asLong(), "class", "num");
      main.element("td", status.path("since").asText());
      main.element(
          "td",
          status.has("graceRemainingSeconds")
              ? HumanTime.duration(
                  java.time.Duration.ofSeconds(status.get("graceRemainingSeconds").asLong()))
              : "–",
          "class",
          "num");
      main.element(
          "td",
          status.path("reason").isNull() ? "" : status.path("reason").asText(),
          "class",
          "reason");
      main.close("tr");
    }
    main.endTable();
    main.open("details")
        .element("summary", "The report as sent")
        .append(PrettyJson.block(body, "heartbeat-json"))
        .close("details");
  }

  private void subscriptions(Html main, String id, Optional<Heartbeat> heartbeat, Instant now) {
    main.element("h2", "Subscriptions and seats in use");
    var usage =
        UsageReport.of(
            ctx.store().listSubscriptions(SubscriptionFilter.ofInstance(id)),
            heartbeat.map(List::of).orElse(List.of()),
            now);
    if (usage.isEmpty()) {
      main.element("p", "No subscriptions.", "class", "empty");
      return;
    }
    main.append(SubscriptionsPage.table(usage, false));
  }

  private void history(Html main, Instance instance) {
    main.element("h2", "History");
    Set<Scope> scopes =
        Set.of(Scope.DEFAULT, Scope.ring(instance.ring()), Scope.instance(instance.id()));
    main.table(
        List.of("Revision", "Namespace", "Layers", "When", "Who", "Message"), "id", "history");
    boolean any = false;
    for (var namespace : ctx.store().listNamespaces()) {
      int shown = 0;
      for (HistoryEntry entry : ctx.store().history(namespace.name(), 50)) {
        List<Scope> touched = entry.scopes().stream().filter(scopes::contains).toList();
        // A ring release served other rings than this instance's: not part of its history.
        boolean otherRing =
            entry.revision().kind().equals("release") && !entry.rings().contains(instance.ring());
        if (touched.isEmpty() || otherRing || shown++ >= HISTORY_PER_NAMESPACE) {
          continue;
        }
        any = true;
        main.open("tr");
        main.element("td", entry.revision().revision(), "class", "num");
        main.open("td")
            .element("a", namespace.name(), "href", "/console/namespaces/" + namespace.name())
            .close("td");
        main.element("td", String.join(", ", touched.stream().map(Scope::key).toList()));
        main.element("td", HumanTime.stamp(entry.revision().createdAt()));
        main.element("td", entry.revision().actor());
        main.element("td", entry.revision().message());
        main.close("tr");
      }
    }
    main.endTable();
    if (!any) {
      main.element("p", "No published layer applies to this instance yet.", "class", "empty");
    }
  }

  private static void fact(Html html, String term, Html definition) {
    html.element("dt", term).open("dd").append(definition).close("dd");
  }
}
