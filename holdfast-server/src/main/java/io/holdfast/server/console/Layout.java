package io.holdfast.server.console;

import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.model.Role;

/**
 * The chrome around every console page: head with the shipped stylesheet and script, the navigation
 * (the audit log only for admins, who alone may read it), who is logged in with which role, the
 * logout button, and a one-shot message left by the last action. Stateless.
 */
final class Layout {

  /** The sections of the console, in navigation order. */
  enum Section {
    FLEET("Fleet", "/console/fleet", Role.VIEWER),
    ROLLOUTS("Rollouts", "/console/rollouts", Role.VIEWER),
    NAMESPACES("Namespaces", "/console/namespaces", Role.VIEWER),
    SUBSCRIPTIONS("Subscriptions", "/console/subscriptions", Role.VIEWER),
    REPLICAS("Replicas", "/console/replicas", Role.VIEWER),
    /** Shown to whoever may read the audit log, as the table says. */
    AUDIT("Audit log", "/console/audit", AdminOperation.READ_AUDIT.role());

    final String label;
    final String path;
    final Role role;

    Section(String label, String path, Role role) {
      this.label = label;
      this.path = path;
      this.role = role;
    }
  }

  private final ConsoleAssets assets;

  Layout(ConsoleAssets assets) {
    this.assets = assets;
  }

  /** A whole page for a logged-in operator. */
  Html page(Operator operator, Section section, String title, Html main) {
    Html html = head(title);
    html.open("body");
    html.open("header", "class", "top");
    html.element("a", "Holdfast", "class", "brand", "href", "/console/fleet");
    html.open("nav");
    for (Section s : Section.values()) {
      if (operator.can(s.role)) {
        html.element(
            "a",
            s.label,
            "href",
            s.path,
            "class",
            s == section ? "active" : null,
            "aria-current",
            s == section ? "page" : null);
      }
    }
    html.close("nav");
    html.open("div", "class", "who");
    html.element("span", operator.principal().name(), "class", "name", "id", "operator");
    html.element(
        "span", operator.principal().role().wireName(), "class", "role", "id", "operator-role");
    html.append(
        ActionForm.post(operator, "/console/logout").button("Log out", "link", "logout").html());
    html.close("div");
    html.close("header");
    html.open("main");
    ConsoleSession.Flash flash = operator.session().takeFlash();
    if (flash != null) {
      html.append(message(flash.error(), flash.title(), flash.detail()));
    }
    html.element("h1", title);
    html.append(main);
    html.close("main");
    return html.close("body").close("html");
  }

  /** A page without navigation: the login form, or an error before login. */
  Html bare(String title, Html main) {
    Html html = head(title);
    html.open("body", "class", "bare");
    html.open("main");
    html.element("h1", title);
    html.append(main);
    html.close("main");
    return html.close("body").close("html");
  }

  /** A success or error box; {@code role=alert} so screen readers announce errors. */
  static Html message(boolean error, String title, String detail) {
    Html html = new Html();
    html.open(
        "div",
        "class",
        error ? "flash error" : "flash ok",
        "role",
        error ? "alert" : "status",
        "id",
        "flash");
    html.element("strong", title);
    if (detail != null && !detail.isEmpty()) {
      html.element("p", detail);
    }
    return html.close("div");
  }

  private Html head(String title) {
    Html html = new Html().doctype();
    html.open("html", "lang", "en");
    html.open("head");
    html.empty("meta", "charset", "utf-8");
    html.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
    html.element("title", title + " · Holdfast");
    html.empty("link", "rel", "stylesheet", "href", assets.url("console.css"));
    html.open("script", "src", assets.url("console.js"), "defer", "defer").close("script");
    return html.close("head");
  }
}
