package io.holdfast.server.console;

import io.helidon.webserver.http.ServerRequest;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.Freeze;
import io.holdfast.server.rollout.RingPolicy;
import io.holdfast.server.window.Blackout;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.FleetTimings;
import io.holdfast.server.window.StoredBlackout;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Rollouts: the freeze, the rings with their bake times, gates and change windows, the blackout
 * dates, and every change request with its progress ring by ring; and freeze or lift the freeze,
 * through the same {@code Changes} methods as the API, as the operator. Each change has its own
 * page, {@link ChangePage}.
 */
final class RolloutPages {

  private static final int RECENT = 30;

  private final ConsoleContext ctx;

  RolloutPages(ConsoleContext ctx) {
    this.ctx = ctx;
  }

  View list(ServerRequest req, Operator operator) {
    Html main = new Html();
    freeze(main, operator);
    main.open(
        "div",
        "id",
        "rollouts-live",
        "class",
        "live",
        "data-live",
        "/console/rollouts/live",
        "data-every",
        "3000");
    main.append(listLive(req, operator));
    main.close("div");
    rings(main, operator);
    return new View(Layout.Section.ROLLOUTS, "Rollouts", main);
  }

  Html listLive(ServerRequest req, Operator operator) {
    List<RingPolicy> rings = ctx.changes().ringPolicies();
    List<ChangeRequest> changes = ctx.changes().list(List.of(), RECENT);
    Html html = new Html();
    html.table(
        List.of("#", "Description", "State", "Progress by ring", "Author", "Updated"),
        "id",
        "changes");
    Instant now = ctx.clock().instant();
    for (ChangeRequest change : changes) {
      html.open("tr", "id", "change-" + change.id(), "data-state", change.state().wireName());
      html.open("td")
          .element("a", "#" + change.id(), "href", "/console/changes/" + change.id())
          .close("td");
      html.open("td")
          .element("a", change.description(), "href", "/console/changes/" + change.id())
          .close("td");
      html.open("td").append(ChangePage.stateBadge(change)).close("td");
      html.open("td").append(ChangePage.progress(change, rings)).close("td");
      html.element("td", change.author());
      html.element("td", HumanTime.ago(change.updatedAt(), now));
      html.close("tr");
    }
    html.endTable();
    if (changes.isEmpty()) {
      html.element(
          "p",
          "No change requests yet. Edit a layer on a namespace's page to propose one.",
          "class",
          "empty");
    }
    return html;
  }

  String freeze(ServerRequest req, Operator operator, FormBody form) {
    String reason = form.required("reason", "The reason", AdminOperation.MAX_TEXT);
    ctx.changes().freeze(reason, operator.actor());
    operator
        .session()
        .flash(
            new ConsoleSession.Flash(
                false, "Rollouts frozen", "No change is promoted until the freeze is lifted."));
    return "/console/rollouts";
  }

  String unfreeze(ServerRequest req, Operator operator, FormBody form) {
    ctx.changes().liftFreeze(operator.actor());
    operator
        .session()
        .flash(new ConsoleSession.Flash(false, "Freeze lifted", "Rollouts proceed again."));
    return "/console/rollouts";
  }

  private void freeze(Html main, Operator operator) {
    Optional<Freeze> freeze = ctx.changes().currentFreeze();
    main.open(
        "section", "id", "freeze-status", "class", freeze.isPresent() ? "frozen" : "unfrozen");
    if (freeze.isPresent()) {
      main.append(
          Layout.message(
              true,
              "Rollouts are frozen",
              freeze.get().reason()
                  + " ("
                  + freeze.get().actor()
                  + ", "
                  + HumanTime.stamp(freeze.get().since())
                  + ")"));
      if (operator.can(AdminOperation.LIFT_FREEZE)) {
        main.append(
            ActionForm.post(operator, "/console/rollouts/unfreeze")
                .confirm("Lift the freeze? Rollouts proceed at once.")
                .button("Lift the freeze", "primary", "unfreeze")
                .html());
      }
    } else {
      main.element(
          "p", "Rollouts proceed; changes are promoted as their gates pass.", "class", "meta");
    }
    if (operator.can(AdminOperation.FREEZE_ROLLOUTS)) {
      main.append(
          ActionForm.post(operator, "/console/rollouts/freeze")
              .reason("why freeze (incident, release window…)")
              .confirm("Freeze every rollout?")
              .button(
                  freeze.isPresent() ? "Change the reason" : "Freeze rollouts", "danger", "freeze")
              .html());
    }
    main.close("section");
  }

  private void rings(Html main, Operator operator) {
    main.element("h2", "Rings");
    main.table(
        List.of(
            "Ring",
            "Bake time",
            "Must confirm",
            "Within",
            "Max failing",
            "Max erroring",
            "May be empty",
            "Change window"),
        "id",
        "rings");
    FleetTimings timings = ctx.windows().timings();
    for (RingPolicy ring : ctx.changes().ringPolicies()) {
      main.open("tr");
      main.element("td", ring.ring());
      main.element("td", HumanTime.duration(ring.bakeTime()), "class", "num");
      main.element("td", percent(ring.gate().minAckRatio()), "class", "num");
      main.element("td", HumanTime.duration(ring.gate().ackDeadline()), "class", "num");
      main.element("td", percent(ring.gate().maxFailingRatio()), "class", "num");
      main.element("td", percent(ring.gate().maxErrorRatio()), "class", "num");
      main.element(
          "td",
          ring.gate().allowEmpty() ? "yes" : "no",
          "title",
          ring.gate().allowEmpty()
              ? "A change passes once baked even if no instance here ever reports"
              : "A change fails at the ack deadline if no instance it affects here has reported");
      Optional<ChangeWindow> window = timings.ringWindow(ring.ring());
      main.open("td", "id", "window-" + ring.ring())
          .text(window.map(ChangeWindow::format).orElse("always open"))
          .append(WindowForms.ringWindow(operator, ring.ring(), window))
          .close("td");
      main.close("tr");
    }
    main.endTable();
    main.element(
        "p",
        "Approvals required per change: " + ctx.changes().requiredApprovals(),
        "class",
        "meta");
    blackouts(main, operator, ctx.windows().blackouts());
  }

  /** Every blackout: days on which nothing is released. */
  private static void blackouts(Html main, Operator operator, List<StoredBlackout> blackouts) {
    main.element("h2", "Blackouts");
    main.append(WindowForms.addBlackout(operator));
    if (blackouts.isEmpty()) {
      main.element("p", "No blackout dates.", "class", "empty");
      return;
    }
    main.table(List.of("#", "Applies to", "Days", "Reason", ""), "id", "blackouts");
    for (StoredBlackout stored : blackouts) {
      main.open("tr", "id", "blackout-" + stored.id());
      main.element("td", stored.id(), "class", "num");
      main.element(
          "td",
          switch (stored.level()) {
            case GLOBAL -> "every instance";
            case RING -> "ring " + stored.target();
            case INSTANCE -> "instance " + stored.target();
          });
      Blackout blackout = stored.blackout();
      main.element(
          "td",
          blackout.from()
              + (blackout.to().equals(blackout.from()) ? "" : " to " + blackout.to())
              + blackout.zone().map(z -> " in " + z.getId()).orElse(" in each instance's zone"));
      main.element("td", blackout.reason());
      main.open("td").append(WindowForms.removeBlackout(operator, stored)).close("td");
      main.close("tr");
    }
    main.endTable();
  }

  private static String percent(double ratio) {
    return Math.round(ratio * 100) + " %";
  }
}
