package io.holdfast.server.console;

import io.helidon.webserver.http.ServerRequest;
import io.holdfast.server.subscription.SubscriptionFilter;
import io.holdfast.server.subscription.Usage;
import io.holdfast.server.subscription.UsageReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Utilisation of every subscription in force: seats in use (from heartbeats) against seats granted,
 * as a bar, with over-allocated rows marked, from the same report as {@code GET
 * /v1/admin/subscriptions/usage}. Bars are {@code <meter>} elements, which need no inline style and
 * so no loosening of the Content-Security-Policy.
 */
final class SubscriptionsPage {

  private final ConsoleContext ctx;

  SubscriptionsPage(ConsoleContext ctx) {
    this.ctx = ctx;
  }

  View page(ServerRequest req, Operator operator) {
    boolean onlyOver = req.query().first("over").map("true"::equals).orElse(false);
    Instant now = ctx.clock().instant();
    List<Usage> usage =
        UsageReport.of(
            ctx.store().listSubscriptions(SubscriptionFilter.ALL),
            ctx.store().latestHeartbeats(),
            now);
    long over = usage.stream().filter(Usage::overAllocated).count();
    Html main = new Html();
    main.open("p", "class", "meta");
    main.text(usage.size() + " subscriptions in force · ");
    main.element(
        "span",
        over + " over-allocated",
        "class",
        over > 0 ? "badge state-expired" : "badge state-fresh",
        "id",
        "over-count");
    main.text(" · ");
    if (onlyOver) {
      main.element("a", "show all", "href", "/console/subscriptions");
    } else {
      main.element("a", "show over-allocated only", "href", "/console/subscriptions?over=true");
    }
    main.close("p");
    List<Usage> shown = onlyOver ? usage.stream().filter(Usage::overAllocated).toList() : usage;
    if (shown.isEmpty()) {
      main.element(
          "p", onlyOver ? "Nothing is over-allocated." : "No subscriptions yet.", "class", "empty");
    } else {
      main.append(table(shown, true));
    }
    return new View(Layout.Section.SUBSCRIPTIONS, "Subscriptions", main);
  }

  /**
   * Usage rows as a table with utilisation bars; {@code withInstance} adds a column linking each
   * instance.
   */
  static Html table(List<Usage> rows, boolean withInstance) {
    Html html = new Html();
    List<String> headings = new ArrayList<>(withInstance ? List.of("Instance") : List.of());
    headings.addAll(
        List.of(
            "Application",
            "Status",
            "Seats in use",
            "Granted (+ overage)",
            "Utilisation",
            "Reported"));
    html.table(headings, "class", "usage", "id", "usage");
    for (Usage row : rows) {
      html.open(
          "tr",
          "class",
          row.overAllocated() ? "over" : null,
          "data-over",
          String.valueOf(row.overAllocated()));
      if (withInstance) {
        html.open("td")
            .element("a", row.instance(), "href", "/console/instances/" + row.instance())
            .close("td");
      }
      html.element("td", row.application());
      html.element("td", row.status() == null ? "none in force" : row.status().wireName());
      html.element("td", row.seatsInUse() == null ? "–" : row.seatsInUse(), "class", "num");
      html.element(
          "td",
          row.quantity() + (row.overage() > 0 ? " (+" + row.overage() + ")" : ""),
          "class",
          "num");
      html.open("td", "class", "bar");
      long limit = Math.max(1, row.quantity() + row.overage());
      long used = row.seatsInUse() == null ? 0 : row.seatsInUse();
      html.element(
          "meter",
          row.utilisation() == null ? "unknown" : percent(row.utilisation()),
          "min",
          "0",
          "max",
          String.valueOf(Math.max(limit, used)),
          "low",
          String.valueOf(row.quantity() * 8 / 10),
          "high",
          String.valueOf(Math.max(row.quantity(), 1)),
          "optimum",
          "0",
          "value",
          String.valueOf(used));
      html.element(
          "span", row.utilisation() == null ? "–" : percent(row.utilisation()), "class", "pct");
      if (row.overAllocated()) {
        html.element("span", "over-allocated", "class", "badge state-expired");
      }
      html.close("td");
      html.element("td", row.reportedAt() == null ? "never" : HumanTime.stamp(row.reportedAt()));
      html.close("tr");
    }
    return html.endTable();
  }

  private static String percent(double ratio) {
    return Math.round(ratio * 100) + " %";
  }
}
