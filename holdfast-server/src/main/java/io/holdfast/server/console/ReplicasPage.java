package io.holdfast.server.console;

import io.helidon.webserver.http.ServerRequest;
import io.holdfast.server.probe.ProbeResults;
import io.holdfast.server.probe.TargetStatus;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * The replicas as this replica's synthetic probe last found them (as {@code GET /v1/admin/probes}
 * reports): whether each served the canary and verified, at which revision, whether it lags its
 * peers or diverges from them; and this replica's own snapshot and store.
 */
final class ReplicasPage {

  private final ConsoleContext ctx;

  ReplicasPage(ConsoleContext ctx) {
    this.ctx = ctx;
  }

  View page(ServerRequest req, Operator operator) {
    Instant now = ctx.clock().instant();
    Html main = new Html();
    EffectiveSnapshot snapshot = ctx.snapshot();
    Instant failing = ctx.snapshots().storeFailingSince();
    main.element("h2", "This replica");
    main.open("p", "class", "meta", "id", "this-replica");
    main.text(
        "Holdfast "
            + ctx.version().release()
            + " (schema "
            + ctx.version().schema().understood()
            + (ctx.version().schema().storeAhead()
                ? ", store at " + ctx.version().schema().store()
                : "")
            + ") · serving revision "
            + snapshot.revision()
            + ", built "
            + HumanTime.ago(snapshot.builtAt(), now)
            + " · store revision "
            + storeRevision()
            + " · ");
    main.element(
        "span",
        failing == null ? "store answering" : "store failing since " + HumanTime.stamp(failing),
        "class",
        failing == null ? "badge state-fresh" : "badge state-expired");
    main.close("p");

    main.element("h2", "Synthetic probe");
    ProbeResults results = ctx.probe().results();
    if (!ctx.probe().enabled()) {
      main.element("p", "The probe is off on this replica (probe.enabled).", "class", "empty");
    }
    List<TargetStatus> statuses = results.statuses();
    main.open("p", "class", "meta");
    main.text(
        "Last round "
            + results.lastRound().map(r -> HumanTime.ago(r, now)).orElse("never")
            + " · a replica lags once it is behind its peers for "
            + HumanTime.duration(results.lagTolerance()));
    main.close("p");
    if (statuses.isEmpty()) {
      main.element("p", "No results yet.", "class", "empty");
      return new View(Layout.Section.REPLICAS, "Replicas", main);
    }
    main.table(
        List.of(
            "Replica",
            "Version",
            "Verdict",
            "Document revision",
            "Checksums revision",
            "Lag",
            "Latency",
            "Last success",
            "Failure"),
        "id",
        "probes");
    for (TargetStatus status : statuses) {
      main.open("tr", "data-healthy", String.valueOf(status.healthy()));
      main.element("td", status.target().toString());
      main.element("td", status.latest().release().label());
      String verdict =
          status.healthy()
              ? "healthy"
              : status.diverged() ? "diverged" : status.lagging() ? "lagging" : "failing";
      main.open("td")
          .element(
              "span",
              verdict,
              "class",
              "badge " + (status.healthy() ? "state-fresh" : "state-expired"))
          .close("td");
      main.element(
          "td",
          status.contentAvailable() ? String.valueOf(status.revision()) : "–",
          "class",
          "num");
      main.element(
          "td",
          status.checksumsAvailable() ? String.valueOf(status.checksumsRevision()) : "–",
          "class",
          "num");
      main.element(
          "td",
          status.behindSince() == null
              ? "current"
              : "behind for " + HumanTime.ago(status.behindSince(), now).replace(" ago", ""));
      main.element("td", status.latest().latency().toMillis() + " ms", "class", "num");
      main.element("td", HumanTime.ago(status.lastSuccess(), now));
      main.element(
          "td",
          status.latest().passed()
              ? ""
              : status.latest().failedCheck() + ": " + status.latest().failure(),
          "class",
          "reason");
      main.close("tr");
    }
    main.endTable();
    return new View(Layout.Section.REPLICAS, "Replicas", main);
  }

  private String storeRevision() {
    try {
      return String.valueOf(ctx.store().currentRevision());
    } catch (RuntimeException e) {
      // Not logged here: the snapshot refresh meets the same failure and logs it (and the page
      // shows since when the store fails); a console refresh must not add a line per view.
      return "unknown (store unreachable)";
    }
  }
}
