package io.holdfast.server.console;

import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.rollout.Approval;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.ChangeState;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.rollout.GateVerdict;
import io.holdfast.server.rollout.RingPolicy;
import io.holdfast.server.rollout.RingRelease;
import io.holdfast.server.rollout.RingWindowStatus;
import io.holdfast.server.subscription.SubscriptionEdit;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One change request: its state and progress ring by ring, its gate's verdict, its releases and
 * edits, and the controls its state and the operator's role allow: approve, promote, pause, resume,
 * back out, hot-fix, cancel. Each control calls the same {@code Changes} method as the API, as the
 * operator, with the version of the change the page showed, so a change the engine moved meanwhile
 * is not acted on by mistake (412, as with {@code If-Match}).
 */
final class ChangePage {

  /**
   * An action on a change: its operation (the role it needs, whether it needs a reason), its name
   * in the URL, its button.
   */
  private enum ChangeAction {
    APPROVE(AdminOperation.APPROVE_CHANGE, "approve", "Approve", "primary", null),
    PROMOTE(
        AdminOperation.PROMOTE_CHANGE,
        "promote",
        "Promote to the next ring",
        "primary",
        "Release this change to the next ring now, before its bake and gate are done?"),
    PAUSE(AdminOperation.PAUSE_CHANGE, "pause", "Pause", "", null),
    RESUME(AdminOperation.RESUME_CHANGE, "resume", "Resume", "", null),
    BACKOUT(
        AdminOperation.BACK_OUT_CHANGE,
        "backout",
        "Back out",
        "danger",
        "Back this change out? Every ring it reached gets the previous content at a new revision."),
    HOTFIX(
        AdminOperation.HOTFIX_CHANGE,
        "hotfix",
        "Hot-fix to every ring",
        "danger",
        "Release this change to every remaining ring at once, ignoring bake times, gates and any freeze?"),
    CANCEL(
        AdminOperation.CANCEL_CHANGE,
        "cancel",
        "Cancel",
        "danger",
        "Cancel this change? It will never roll out.");

    final AdminOperation operation;
    final String path;
    final String label;
    final String style;
    final String confirm;

    ChangeAction(
        AdminOperation operation, String path, String label, String style, String confirm) {
      this.operation = operation;
      this.path = path;
      this.label = label;
      this.style = style;
      this.confirm = confirm;
    }

    static ChangeAction of(String path) {
      for (ChangeAction action : values()) {
        if (action.path.equals(path)) {
          return action;
        }
      }
      throw new ProblemException(
          ProblemType.ROUTE_NOT_FOUND,
          "there is no change action '" + FormBody.abbreviate(path) + "'");
    }

    /** Whether the action makes sense in the change's state; the store decides for certain. */
    boolean applies(ChangeRequest change) {
      return switch (this) {
        case APPROVE -> change.state() == ChangeState.DRAFT;
        case PROMOTE ->
            change.state() == ChangeState.APPROVED || change.state() == ChangeState.ROLLING_OUT;
        case BACKOUT -> change.state() == ChangeState.ROLLING_OUT;
        case PAUSE -> change.state() == ChangeState.ROLLING_OUT && !change.paused();
        case RESUME -> change.state() == ChangeState.ROLLING_OUT && change.paused();
        case HOTFIX ->
            change.state() == ChangeState.APPROVED || change.state() == ChangeState.ROLLING_OUT;
        case CANCEL ->
            change.state() == ChangeState.DRAFT || change.state() == ChangeState.APPROVED;
      };
    }
  }

  private final ConsoleContext ctx;

  ChangePage(ConsoleContext ctx) {
    this.ctx = ctx;
  }

  View change(ServerRequest req, Operator operator) {
    ChangeRequest change = ctx.changes().require(id(req));
    Html main = new Html();
    main.element("p", change.description(), "class", "lead");
    main.open(
        "div",
        "id",
        "change-live",
        "class",
        "live",
        "data-live",
        "/console/changes/" + change.id() + "/live",
        "data-every",
        "2000");
    main.append(changeLive(req, operator));
    main.close("div");
    edits(main, change);
    return new View(Layout.Section.ROLLOUTS, "Change #" + change.id(), main);
  }

  Html changeLive(ServerRequest req, Operator operator) {
    ChangeRequest change = ctx.changes().require(id(req));
    Optional<GateVerdict> gate = ctx.changes().gate(change);
    List<RingPolicy> rings = ctx.changes().ringPolicies();
    Instant now = ctx.clock().instant();
    Html html = new Html();
    html.open("dl", "class", "facts");
    html.element("dt", "State")
        .open("dd", "id", "change-state")
        .append(stateBadge(change))
        .close("dd");
    html.element("dt", "Progress").open("dd").append(progress(change, rings)).close("dd");
    if (change.currentRing() != null && !change.state().isFinal()) {
      html.element("dt", "Baking in")
          .element(
              "dd",
              change.currentRing()
                  + " since "
                  + HumanTime.ago(change.releasedAt(), now)
                  + bakeLeft(change, rings, now));
    }
    for (RingWindowStatus ring : ctx.changes().windows(change)) {
      if (ring.received() == ring.instances()) {
        continue; // every instance has it: nothing waits for a window
      }
      html.element("dt", "Windows in " + ring.ring())
          .element(
              "dd",
              ring.received()
                  + " of "
                  + ring.instances()
                  + " instances have it, "
                  + ring.waiting()
                  + " wait for their change window"
                  + ring.nextOpening()
                      .map(
                          at ->
                              "; the next opens "
                                  + at
                                  + " for "
                                  + ring.nextInstance().orElseThrow()
                                  + " ("
                                  + at.atZone(ring.nextZone().orElseThrow()).toLocalDateTime()
                                  + " in "
                                  + ring.nextZone().orElseThrow().getId()
                                  + ")")
                      .orElse(""),
              "class",
              "windows");
    }
    html.element("dt", "Author").element("dd", change.author());
    html.element("dt", "Approvals").open("dd", "id", "approvals");
    html.text(change.approvals().size() + " of " + change.requiredApprovals());
    for (Approval approval : change.approvals()) {
      html.text(
          " · "
              + approval.approver()
              + (approval.comment().isEmpty() ? "" : " (“" + approval.comment() + "”)"));
    }
    html.close("dd");
    if (!change.outcome().isEmpty()) {
      html.element("dt", "Outcome").element("dd", change.outcome(), "id", "outcome");
    }
    if (change.finalRevision() != null) {
      html.element("dt", "Final revision").element("dd", change.finalRevision());
    }
    html.close("dl");
    gate.ifPresent(g -> gate(html, g));
    releases(html, change);
    controls(html, change, operator);
    return html;
  }

  /** The operations of the console's change actions. */
  static List<AdminOperation> changeOperations() {
    return Arrays.stream(ChangeAction.values()).map(a -> a.operation).toList();
  }

  /** The operation a change action is; the change's id is checked first, as the action does. */
  static AdminOperation operation(ServerRequest req) {
    id(req);
    return ChangeAction.of(req.path().pathParameters().get("action")).operation;
  }

  /**
   * Performs a change action, as the API's {@code POST /v1/admin/changes/{id}/{action}} does; the
   * console's action wrapper has checked the operation's role.
   */
  String act(ServerRequest req, Operator operator, FormBody form) {
    long id = id(req);
    ChangeAction action = ChangeAction.of(req.path().pathParameters().get("action"));
    Principal.AdminPrincipal admin = operator.principal();
    Long version = form.optionalLong("version");
    if (version == null) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "the form must say which version of the change you saw");
    }
    String reason =
        action.operation.needsReason()
            ? form.required("reason", "The reason", AdminOperation.MAX_TEXT)
            : null;
    ChangeRequest after =
        switch (action) {
          case APPROVE -> {
            if (ctx.changes().require(id).version() != version) {
              throw new ProblemException(
                  ProblemType.PRECONDITION_FAILED,
                  "change " + id + " moved since you read it; read it again and decide again");
            }
            String comment = Optional.ofNullable(form.optional("comment")).orElse("").strip();
            if (comment.length() > AdminOperation.MAX_TEXT) {
              throw new ProblemException(
                  ProblemType.INVALID_REQUEST,
                  "the comment must be at most " + AdminOperation.MAX_TEXT + " characters");
            }
            yield ctx.changes().approve(id, admin.actor(), comment);
          }
          case PROMOTE -> ctx.changes().promote(id, version, admin.actor());
          case PAUSE -> ctx.changes().pause(id, version, admin.actor());
          case RESUME -> ctx.changes().resume(id, version, admin.actor());
          case BACKOUT -> ctx.changes().backOut(id, version, reason, admin.actor());
          case HOTFIX -> ctx.changes().hotfix(id, version, reason, admin.actor());
          case CANCEL -> ctx.changes().cancel(id, version, reason, admin.actor());
        };
    operator
        .session()
        .flash(
            new ConsoleSession.Flash(
                false,
                action.label + ": done",
                "Change #"
                    + after.id()
                    + " is now "
                    + after.state().wireName().replace('_', ' ')
                    + (after.currentRing() == null || after.state().isFinal()
                        ? ""
                        : " in ring " + after.currentRing())
                    + "."));
    return "/console/changes/" + id;
  }

  static String changeLocation(ServerRequest req) {
    try {
      return "/console/changes/" + id(req);
    } catch (ProblemException e) {
      return "/console/rollouts";
    }
  }

  private static void gate(Html html, GateVerdict gate) {
    html.open("section", "class", "gate", "id", "gate");
    html.element("h2", "Health gate");
    html.open("p");
    html.element(
        "span",
        gate.decision().name(),
        "class",
        "badge gate-" + gate.decision().name().toLowerCase(java.util.Locale.ROOT),
        "id",
        "gate-decision");
    html.text(" " + gate.reason());
    html.close("p");
    html.open("ul", "class", "tiles small");
    tile(html, gate.watched(), "watched");
    tile(html, gate.acknowledged(), "acknowledged");
    tile(html, gate.failing(), "failing");
    tile(html, gate.erroring(), "erroring");
    html.close("ul");
    html.close("section");
  }

  private static void tile(Html html, int count, String label) {
    html.open("li", "class", "tile")
        .element("span", count, "class", "count")
        .element("span", label, "class", "label")
        .close("li");
  }

  private static void releases(Html html, ChangeRequest change) {
    if (change.releases().isEmpty()) {
      return;
    }
    html.element("h2", "Releases");
    html.table(List.of("Ring", "Revision", "When", "How", "By"), "id", "releases");
    for (RingRelease release : change.releases()) {
      html.open("tr");
      html.element("td", release.ring());
      html.element("td", release.revision(), "class", "num");
      html.element("td", HumanTime.stamp(release.releasedAt()));
      html.element("td", release.mode().wireName());
      html.element("td", release.actor());
      html.close("tr");
    }
    html.endTable();
  }

  /**
   * The buttons this operator's role and the change's state allow; the server checks both again.
   */
  private static void controls(Html html, ChangeRequest change, Operator operator) {
    Html buttons = new Html();
    boolean any = false;
    for (ChangeAction action : ChangeAction.values()) {
      if (!action.applies(change) || !operator.can(action.operation)) {
        continue;
      }
      if (action == ChangeAction.APPROVE && change.author().equals(operator.actor())) {
        buttons.element(
            "p",
            "You wrote this change: another publisher must approve it.",
            "class",
            "hint",
            "id",
            "own-change");
        continue;
      }
      ActionForm form =
          ActionForm.post(operator, "/console/changes/" + change.id() + "/" + action.path)
              .hidden("version", change.version())
              .button(action.label, action.style, action.path)
              .confirm(action.confirm);
      if (action.operation.needsReason()) {
        form.reason("reason for " + action.label.toLowerCase(java.util.Locale.ROOT));
      }
      buttons.append(form.html());
      any = true;
    }
    if (any || !change.state().isFinal()) {
      html.open("section", "class", "controls", "id", "controls");
      html.element("h2", "Controls");
      html.append(buttons);
      if (!any) {
        html.element(
            "p",
            "Your role ("
                + operator.principal().role().wireName()
                + ") has no control over this change now.",
            "class",
            "hint",
            "id",
            "no-controls");
      }
      html.close("section");
    }
  }

  private static void edits(Html main, ChangeRequest change) {
    main.element("h2", "Edits");
    for (ChangeEdit edit : change.edits()) {
      main.open("h3")
          .element("a", edit.namespace(), "href", "/console/namespaces/" + edit.namespace())
          .text(" · ")
          .element("code", edit.scope().key())
          .text(
              edit.baseRevision() == null
                  ? ""
                  : " · written against revision " + edit.baseRevision())
          .close("h3");
      if (edit.removes()) {
        main.element("p", "Removes the layer.");
      } else {
        main.append(PrettyJson.block(edit.content(), null));
      }
    }
    for (SubscriptionEdit edit : change.subscriptionEdits()) {
      main.element(
          "h3",
          "Subscription "
              + (edit.create() != null ? "(new) of " + edit.instance() : edit.subscriptionId()));
      main.append(PrettyJson.block(edit.body(), null));
    }
  }

  static Html stateBadge(ChangeRequest change) {
    Html html =
        new Html()
            .element(
                "span",
                change.state().wireName().replace('_', ' '),
                "class",
                "badge change-" + change.state().wireName());
    if (change.paused() && !change.state().isFinal()) {
      html.element("span", "paused", "class", "badge change-paused");
    }
    return html;
  }

  /** One chip per ring: reached, baking now, or not yet. */
  static Html progress(ChangeRequest change, List<RingPolicy> rings) {
    Html html = new Html().open("ol", "class", "progress");
    for (RingPolicy ring : rings) {
      boolean released = change.releasedTo(ring.ring());
      boolean current =
          ring.ring().equals(change.currentRing()) && change.state() == ChangeState.ROLLING_OUT;
      String state =
          current
              ? "current"
              : released
                  ? (change.state() == ChangeState.BACKED_OUT ? "reverted" : "done")
                  : "pending";
      html.element(
          "li", ring.ring(), "class", "ring-" + state, "title", ring.ring() + ": " + state);
    }
    return html.close("ol");
  }

  private static String bakeLeft(ChangeRequest change, List<RingPolicy> rings, Instant now) {
    return rings.stream()
        .filter(r -> r.ring().equals(change.currentRing()))
        .findFirst()
        .map(
            r -> {
              Instant done = change.releasedAt().plus(r.bakeTime());
              return now.isBefore(done)
                  ? " · bake ends in " + HumanTime.duration(java.time.Duration.between(now, done))
                  : " · bake done";
            })
        .orElse("");
  }

  private static long id(ServerRequest req) {
    return Changes.parseId(req.path().pathParameters().get("id"));
  }
}
