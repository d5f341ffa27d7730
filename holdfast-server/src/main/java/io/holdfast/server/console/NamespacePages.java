package io.holdfast.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.admin.NamespaceService;
import io.holdfast.server.model.JsonDiff;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.Draft;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.ChangeState;
import io.holdfast.server.rollout.DryRun;
import io.holdfast.server.store.HistoryEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Namespaces: their layers, drafts, schema and history; and editing a layer, which never publishes
 * directly: the edit is checked (JSON within the API's limits, an object, the namespace's schema
 * for every ring), previewed as the dry run's per-ring diff, and submitted as a change request that
 * rolls out ring by ring like any other.
 */
final class NamespacePages {

  private static final int HISTORY = 20;

  private final ConsoleContext ctx;

  NamespacePages(ConsoleContext ctx) {
    this.ctx = ctx;
  }

  View list(ServerRequest req, Operator operator) {
    Html main = new Html();
    List<Namespace> namespaces = ctx.namespaces().list();
    main.table(List.of("Namespace", "Description", "Revision", "Created"), "id", "namespaces");
    for (Namespace ns : namespaces) {
      main.open("tr");
      main.open("td")
          .element("a", ns.name(), "href", "/console/namespaces/" + ns.name())
          .close("td");
      main.element("td", ns.description());
      main.element("td", ns.revision(), "class", "num");
      main.element("td", HumanTime.stamp(ns.createdAt()));
      main.close("tr");
    }
    main.endTable();
    if (namespaces.isEmpty()) {
      main.element("p", "No namespaces yet.", "class", "empty");
    }
    return new View(Layout.Section.NAMESPACES, "Namespaces", main);
  }

  View detail(ServerRequest req, Operator operator) {
    Namespace ns = namespace(req);
    Html main = new Html();
    if (!ns.description().isEmpty()) {
      main.element("p", ns.description(), "class", "lead");
    }
    inFlight(main, ns.name());
    main.element("h2", "Layers");
    main.element(
        "p",
        "Layers merge default ← ring:<ring> ← instance:<id> (JSON Merge Patch); a null member removes one.",
        "class",
        "hint");
    List<LayerVersion> layers = ctx.namespaces().layers(ns.name());
    for (LayerVersion layer : layers) {
      main.open("section", "class", "layer", "id", "layer-" + layer.scope().key());
      main.open("h3").element("code", layer.scope().key());
      main.text(
          " · revision "
              + layer.revision()
              + " · "
              + HumanTime.stamp(layer.publishedAt())
              + (layer.removed() ? " · removed" : ""));
      main.close("h3");
      main.append(PrettyJson.block(layer.content(), "layer-content-" + layer.scope().key()));
      if (operator.can(AdminOperation.CREATE_CHANGE) && NamespaceService.editable(ns.name())) {
        main.element(
            "a",
            "Edit " + layer.scope().key(),
            "class",
            "button",
            "id",
            "edit-" + layer.scope().key(),
            "href",
            "/console/namespaces/" + ns.name() + "/edit?scope=" + layer.scope().key());
      }
      main.close("section");
    }
    if (layers.isEmpty()) {
      main.element("p", "No layer published yet.", "class", "empty");
    }
    if (operator.can(AdminOperation.CREATE_CHANGE) && NamespaceService.editable(ns.name())) {
      main.open(
          "form",
          "method",
          "get",
          "action",
          "/console/namespaces/" + ns.name() + "/edit",
          "class",
          "inline");
      main.empty(
          "input",
          "type",
          "text",
          "name",
          "scope",
          "required",
          "required",
          "placeholder",
          "ring:beta or instance:acme-prod",
          "aria-label",
          "scope of a new layer",
          "id",
          "new-scope");
      main.element("button", "Edit another layer", "type", "submit", "id", "edit-new");
      main.close("form");
    }
    List<Draft> drafts = ctx.namespaces().drafts(ns.name());
    if (!drafts.isEmpty()) {
      main.element("h2", "Drafts staged through the API");
      main.element(
          "p",
          "The console proposes changes as change requests; these drafts are published by"
              + " holdfast ns publish.",
          "class",
          "hint");
      for (Draft draft : drafts) {
        main.open("h3")
            .element("code", draft.scope().key())
            .text(" · by " + draft.updatedBy() + " · " + HumanTime.stamp(draft.updatedAt()))
            .close("h3");
        main.append(PrettyJson.block(draft.content(), null));
      }
    }
    Optional<JsonNode> schema = ctx.namespaces().schema(ns.name());
    if (schema.isPresent()) {
      main.open("details", "id", "schema")
          .element("summary", "JSON Schema")
          .append(PrettyJson.block(schema.get(), null))
          .close("details");
    }
    history(main, ns.name());
    return new View(Layout.Section.NAMESPACES, "Namespace " + ns.name(), main);
  }

  /** The edit form; the console let only {@code CREATE_CHANGE}'s role this far. */
  View edit(ServerRequest req, Operator operator) {
    Namespace ns = namespace(req);
    NamespaceService.requireEditable(ns.name());
    Scope scope = Scope.parse(req.query().first("scope").orElse("default"));
    Optional<LayerVersion> layer = ctx.namespaces().layer(ns.name(), scope);
    String content =
        layer.filter(l -> !l.removed()).map(l -> PrettyJson.of(l.content())).orElse("{\n}");
    long base = layer.map(LayerVersion::revision).orElse(0L);
    return editView(
        operator, ns.name(), scope, new EditForm(content, base, false, ""), null, Status.OK_200);
  }

  /**
   * Previews the edit, or submits it as a change request; as {@link #edit}, behind the role check.
   */
  View submit(ServerRequest req, Operator operator, FormBody form) {
    Namespace ns = namespace(req);
    NamespaceService.requireEditable(ns.name());
    Scope scope = Scope.parse(Optional.ofNullable(form.optional("scope")).orElse(""));
    Long baseRevision = form.optionalLong("baseRevision");
    if (baseRevision == null || baseRevision < 0) {
      // The edit page always sends the revision it showed; without it the change could not
      // tell a publish it never saw from one it did.
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "baseRevision must be the published revision the edit was written against, a whole number of at least 0");
    }
    EditForm edit =
        new EditForm(
            Optional.ofNullable(form.optional("content")).orElse(""),
            baseRevision,
            "on".equals(form.optional("remove")),
            Optional.ofNullable(form.optional("description")).orElse(""));
    boolean create = "create".equals(form.optional("intent"));
    try {
      ChangeEdit change =
          new ChangeEdit(
              ns.name(),
              scope,
              edit.remove() ? null : layerContent(edit.content()),
              edit.baseRevision());
      if (!create) {
        DryRun.Report report = ctx.changes().dryRun(List.of(change), List.of());
        return editView(operator, ns.name(), scope, edit, preview(report), Status.OK_200);
      }
      String description = edit.description().strip();
      if (description.isEmpty() || description.length() > AdminOperation.MAX_TEXT) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST,
            "describe the change in 1 to " + AdminOperation.MAX_TEXT + " characters");
      }
      ChangeRequest created =
          ctx.changes().create(description, List.of(change), List.of(), operator.actor());
      operator
          .session()
          .flash(
              new ConsoleSession.Flash(
                  false,
                  "Change " + created.id() + " created",
                  created.state() == ChangeState.DRAFT
                      ? "It needs "
                          + created.requiredApprovals()
                          + " approval(s) by a publisher other than you before it rolls out."
                      : "It rolls out ring by ring from here."));
      return View.redirect("/console/changes/" + created.id());
    } catch (ProblemException e) {
      return editView(
          operator,
          ns.name(),
          scope,
          edit,
          Layout.message(true, e.type().title(), e.getMessage()),
          Status.create(e.type().status()));
    }
  }

  private record EditForm(String content, long baseRevision, boolean remove, String description) {}

  private View editView(
      Operator operator, String ns, Scope scope, EditForm edit, Html outcome, Status status) {
    String action = "/console/namespaces/" + ns + "/edit";
    Html main = new Html();
    main.open("p", "class", "lead");
    main.text("Layer ")
        .element("code", scope.key())
        .text(" of ")
        .element("a", ns, "href", "/console/namespaces/" + ns);
    main.text(
        edit.baseRevision() == 0
            ? " (new layer)"
            : " as published at revision " + edit.baseRevision());
    main.close("p");
    if (outcome != null) {
      main.append(outcome);
    }
    main.open("form", "method", "post", "action", action, "class", "edit", "id", "edit-form");
    main.empty(
        "input",
        "type",
        "hidden",
        "name",
        ConsoleGuard.CSRF_FIELD,
        "value",
        operator.session().csrfToken());
    main.empty("input", "type", "hidden", "name", "scope", "value", scope.key());
    main.empty(
        "input",
        "type",
        "hidden",
        "name",
        "baseRevision",
        "value",
        String.valueOf(edit.baseRevision()));
    main.element(
        "label",
        "Content (a JSON object that merge-patches the layers below it)",
        "for",
        "content");
    main.element(
        "textarea",
        edit.content(),
        "name",
        "content",
        "id",
        "content",
        "rows",
        "16",
        "spellcheck",
        "false");
    main.open("label", "class", "check");
    main.empty(
        "input",
        "type",
        "checkbox",
        "name",
        "remove",
        "id",
        "remove",
        "checked",
        edit.remove() ? "checked" : null);
    main.text(" Remove this layer instead").close("label");
    main.element("label", "Why (the change request's description)", "for", "description");
    main.empty(
        "input",
        "type",
        "text",
        "name",
        "description",
        "id",
        "description",
        "maxlength",
        String.valueOf(AdminOperation.MAX_TEXT),
        "value",
        edit.description());
    main.open("div", "class", "buttons");
    main.element(
        "button",
        "Preview diff",
        "type",
        "submit",
        "name",
        "intent",
        "value",
        "preview",
        "id",
        "preview");
    main.element(
        "button",
        "Create change request",
        "type",
        "submit",
        "name",
        "intent",
        "value",
        "create",
        "class",
        "primary",
        "id",
        "create-change");
    main.close("div");
    main.close("form");
    return new View(Layout.Section.NAMESPACES, "Edit " + ns + " · " + scope.key(), main, status);
  }

  /** The dry run as a per-target diff, with schema violations first. */
  private static Html preview(DryRun.Report report) {
    Html html = new Html();
    html.open("section", "class", "preview", "id", "preview-result");
    html.element("h2", "Preview");
    if (!report.violations().isEmpty()) {
      html.append(
          Layout.message(
              true,
              "This would break the namespace's JSON Schema",
              String.join("; ", report.violations())));
    }
    if (!report.changesAnything()) {
      html.element("p", "No effective document would change.", "class", "empty", "id", "no-change");
    }
    for (DryRun.Preview preview : report.previews()) {
      if (preview.diff().isEmpty()) {
        continue;
      }
      html.element("h3", preview.namespace() + " for " + preview.target());
      html.table(List.of("", "Path", "Before", "After"), "class", "diff");
      for (JsonDiff.Change change : preview.diff()) {
        html.open("tr", "class", "op-" + change.op());
        html.element("td", change.op());
        html.open("td").element("code", change.path()).close("td");
        html.open("td")
            .element("code", change.before() == null ? "" : change.before().toString())
            .close("td");
        html.open("td")
            .element("code", change.after() == null ? "" : change.after().toString())
            .close("td");
        html.close("tr");
      }
      html.endTable();
    }
    return html.close("section");
  }

  private JsonNode layerContent(String text) {
    JsonNode node;
    try {
      node = ctx.json().parse(text.getBytes(StandardCharsets.UTF_8));
    } catch (JsonInputException e) {
      throw ProblemException.of(e);
    }
    if (!node.isObject()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "a layer must be a JSON object: it merge-patches the ones below it");
    }
    return node;
  }

  private void inFlight(Html main, String ns) {
    List<ChangeRequest> changes = ctx.namespaces().inFlight(ns, 100);
    if (changes.isEmpty()) {
      return;
    }
    main.open("div", "class", "flash ok", "id", "in-flight");
    main.element("strong", "Changes in flight for this namespace: ");
    for (ChangeRequest change : changes) {
      main.element(
          "a",
          "#" + change.id() + " " + change.state().wireName(),
          "href",
          "/console/changes/" + change.id());
      main.text(" ");
    }
    main.close("div");
  }

  private void history(Html main, String ns) {
    main.element("h2", "History");
    main.table(List.of("Revision", "Layers", "Rings", "When", "Who", "Message"), "id", "history");
    for (HistoryEntry entry : ctx.namespaces().history(ns, HISTORY)) {
      main.open("tr");
      main.element("td", entry.revision().revision(), "class", "num");
      main.element("td", String.join(", ", entry.scopes().stream().map(Scope::key).toList()));
      main.element("td", String.join(", ", entry.rings()));
      main.element("td", HumanTime.stamp(entry.revision().createdAt()));
      main.element("td", entry.revision().actor());
      main.element("td", entry.revision().message());
      main.close("tr");
    }
    main.endTable();
  }

  private Namespace namespace(ServerRequest req) {
    return ctx.namespaces().require(req.path().pathParameters().get("ns"));
  }
}
