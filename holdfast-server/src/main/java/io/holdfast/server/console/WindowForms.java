package io.holdfast.server.console;

import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.model.Names;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.window.Blackout;
import io.holdfast.server.window.BlackoutLevel;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.InstanceTiming;
import io.holdfast.server.window.StoredBlackout;
import io.holdfast.server.window.WindowSettings;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The console's edits of change windows: a ring's window, an instance's zone and window, and adding
 * or removing a blackout. Each form is shown only to a role its operation allows, and each action
 * reads what the operator wrote through the same model as the admin API ({@link WindowSettings}),
 * so a bad value fails with the model's own message before anything is written. In a text field,
 * empty removes the setting, as {@code null} does in the API.
 */
final class WindowForms {

  static final List<AdminOperation> OPERATIONS =
      List.of(
          AdminOperation.UPDATE_RING,
          AdminOperation.UPDATE_INSTANCE,
          AdminOperation.ADD_BLACKOUT,
          AdminOperation.REMOVE_BLACKOUT);

  private static final String WINDOW = "changeWindow";
  private static final String WINDOW_HINT = "e.g. Mon-Fri 19:00-07:00 in Europe/London";

  private final ConsoleContext ctx;

  WindowForms(ConsoleContext ctx) {
    this.ctx = ctx;
  }

  /** The forms that set and remove ring {@code ring}'s window, for a role that may. */
  static Html ringWindow(Operator operator, String ring, Optional<ChangeWindow> window) {
    Html html = new Html();
    if (!operator.can(AdminOperation.UPDATE_RING)) {
      return html;
    }
    String action = "/console/rings/" + ring + "/window";
    html.append(
        ActionForm.post(operator, action)
            .field(WINDOW, WINDOW_HINT, window.map(ChangeWindow::format).orElse(""))
            .button("Set window", "", "set-window-" + ring)
            .html());
    if (window.isPresent()) {
      html.append(
          ActionForm.post(operator, action)
              .hidden(WINDOW, "")
              .confirm("Remove ring " + ring + "'s change window? It is then always open.")
              .button("Remove window", "danger", "remove-window-" + ring)
              .html());
    }
    return html;
  }

  /** The form that sets an instance's zone and window, for a role that may. */
  static Html instanceTiming(Operator operator, String instance, InstanceTiming own) {
    Html html = new Html();
    if (!operator.can(AdminOperation.UPDATE_INSTANCE)) {
      return html;
    }
    html.append(
        ActionForm.post(operator, "/console/instances/" + instance + "/timing")
            .field(
                "zone",
                "time zone, e.g. Asia/Tokyo; empty for none",
                own.zone().map(ZoneId::getId).orElse(""))
            .field(
                WINDOW,
                "own window, " + WINDOW_HINT + "; empty for the ring's",
                own.window().map(ChangeWindow::format).orElse(""))
            .button("Save zone and window", "", "save-timing")
            .html());
    return html;
  }

  /** The form that adds a blackout, for a role that may. */
  static Html addBlackout(Operator operator) {
    if (!operator.can(AdminOperation.ADD_BLACKOUT)) {
      return new Html();
    }
    return ActionForm.post(operator, "/console/blackouts")
        .choice(
            "level",
            "applies to",
            Arrays.stream(BlackoutLevel.values()).map(WindowSettings::wireName).toList())
        .field("target", "ring or instance (not for global)", "")
        .field("from", "first day, YYYY-MM-DD", "")
        .field("to", "last day (empty: the first)", "")
        .field("zone", "zone (empty: each instance's)", "")
        .field("reason", "reason", "")
        .button("Add blackout", "primary", "add-blackout")
        .html();
  }

  /** The button that removes blackout {@code id}, for a role that may. */
  static Html removeBlackout(Operator operator, StoredBlackout blackout) {
    if (!operator.can(AdminOperation.REMOVE_BLACKOUT)) {
      return new Html();
    }
    return ActionForm.post(operator, "/console/blackouts/" + blackout.id() + "/remove")
        .confirm("Remove blackout " + blackout.id() + "? Releases may then happen on its days.")
        .button("Remove", "danger", "remove-blackout-" + blackout.id())
        .html();
  }

  /** Sets or, with an empty field, removes a ring's window, as {@code PATCH} of the ring does. */
  String setRingWindow(ServerRequest req, Operator operator, FormBody form) {
    String ring = Names.require("ring name", req.path().pathParameters().get("name"));
    Optional<ChangeWindow> window = WindowSettings.window(text(form, WINDOW, true));
    ctx.changes().updateRing(ring, null, null, WindowSettings.Edit.set(window), operator.actor());
    operator
        .session()
        .flash(
            new ConsoleSession.Flash(
                false,
                "Change window " + (window.isPresent() ? "set" : "removed"),
                "Ring "
                    + ring
                    + (window
                        .map(w -> " releases within " + w.format() + ".")
                        .orElse(" is always open."))));
    return "/console/rollouts";
  }

  /**
   * Sets or, with empty fields, removes an instance's zone and window, as {@code PATCH} of the
   * instance does; both in one transaction.
   */
  String setInstanceTiming(ServerRequest req, Operator operator, FormBody form) {
    String instance = instance(req);
    // Both read before anything is written, so a bad window leaves the zone as it was too.
    Optional<ZoneId> zone = WindowSettings.zone(text(form, "zone", true));
    Optional<ChangeWindow> window = WindowSettings.window(text(form, WINDOW, true));
    ctx.windows()
        .updateInstance(
            instance,
            WindowSettings.Edit.set(zone),
            WindowSettings.Edit.set(window),
            operator.actor(),
            (c, now) -> {});
    operator
        .session()
        .flash(
            new ConsoleSession.Flash(
                false,
                "Zone and window saved",
                "Instance "
                    + instance
                    + ": zone "
                    + zone.map(ZoneId::getId).orElse("none")
                    + ", window "
                    + window.map(ChangeWindow::format).orElse("its ring's")
                    + "."));
    return instanceLocation(req);
  }

  String addBlackout(ServerRequest req, Operator operator, FormBody form) {
    BlackoutLevel level = WindowSettings.level(text(form, "level", false));
    Blackout blackout =
        Blackout.of(
            text(form, "from", false),
            text(form, "to", false),
            text(form, "zone", false),
            text(form, "reason", false));
    StoredBlackout stored =
        ctx.windows().addBlackout(level, text(form, "target", false), blackout, operator.actor());
    operator
        .session()
        .flash(
            new ConsoleSession.Flash(
                false, "Blackout " + stored.id() + " added", blackout.format()));
    return "/console/rollouts";
  }

  String removeBlackout(ServerRequest req, Operator operator, FormBody form) {
    long id = WindowSettings.blackoutId(req.path().pathParameters().get("id"));
    ctx.windows().removeBlackout(id, operator.actor());
    operator
        .session()
        .flash(
            new ConsoleSession.Flash(
                false, "Blackout " + id + " removed", "Releases may happen on its days again."));
    return "/console/rollouts";
  }

  /** The instance's page to go back to; the fleet when the path names no instance. */
  static String instanceLocation(ServerRequest req) {
    String id = req.path().pathParameters().get("id");
    return Names.isValid(id) ? "/console/instances/" + id : "/console/fleet";
  }

  private static String instance(ServerRequest req) {
    return Names.require("instance id", req.path().pathParameters().get("id"));
  }

  /**
   * A field's text, stripped; {@code null} when empty, which the model reads as "none". A field the
   * form must carry (so that a form of another shape never removes a setting) is refused when
   * absent.
   */
  private static String text(FormBody form, String name, boolean mustCarry) {
    String value = form.optional(name);
    if (value == null && mustCarry) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "the form must carry the field '" + name + "'");
    }
    return value == null || value.isBlank() ? null : value.strip();
  }
}
