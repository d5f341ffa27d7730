package io.holdfast.server.console;

import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.audit.AuditEntry;
import io.holdfast.server.audit.AuditQuery;
import io.holdfast.server.audit.AuditVerification;
import io.holdfast.server.problem.ProblemException;
import java.util.List;

/**
 * The audit log, newest first, with the result of walking its hash chain; admins only, as in the
 * API. Filters by action, target (a prefix ending in {@code :} for a kind) and actor.
 */
final class AuditPage {

  private static final int LIMIT = 200;

  private final ConsoleContext ctx;

  AuditPage(ConsoleContext ctx) {
    this.ctx = ctx;
  }

  View page(ServerRequest req, Operator operator) {
    String action = filter(req, "action");
    String target = filter(req, "target");
    String actor = filter(req, "actor");
    List<AuditEntry> entries =
        ctx.store().auditLog(new AuditQuery(action, target, actor, null, LIMIT));
    AuditVerification verification = ctx.store().checkAuditLog();
    Html main = new Html();
    main.open("p", "class", "meta", "id", "audit-verification");
    main.element(
        "span",
        verification.intact() ? "chain intact" : "chain broken at " + verification.firstBrokenSeq(),
        "class",
        verification.intact() ? "badge state-fresh" : "badge state-expired");
    main.text(
        " · "
            + verification.checked()
            + " rows checked"
            + (verification.problem() == null ? "" : " · " + verification.problem()));
    main.close("p");
    main.open("form", "method", "get", "action", "/console/audit", "class", "filters");
    input(main, "action", "action, e.g. change.approve", action);
    input(main, "target", "target, e.g. change:3 or change:", target);
    input(main, "actor", "actor, e.g. admin:bootstrap", actor);
    main.element("button", "Filter", "type", "submit");
    main.close("form");
    main.table(List.of("#", "When", "Actor", "Action", "Target", "Before → after"), "id", "audit");
    for (AuditEntry entry : entries) {
      main.open("tr");
      main.element("td", entry.seq(), "class", "num");
      main.element("td", HumanTime.stamp(entry.at()));
      main.element("td", entry.actor());
      main.element("td", entry.action());
      main.element("td", entry.target());
      main.open("td").open("details").element("summary", "show");
      main.element("h3", "Before").append(PrettyJson.block(entry.before(), null));
      main.element("h3", "After").append(PrettyJson.block(entry.after(), null));
      main.close("details").close("td");
      main.close("tr");
    }
    main.endTable();
    if (entries.isEmpty()) {
      main.element("p", "No entries match.", "class", "empty");
    } else if (entries.size() == LIMIT) {
      main.element(
          "p", "The newest " + LIMIT + " entries; filter to see older ones.", "class", "meta");
    }
    return new View(Layout.Section.AUDIT, "Audit log", main);
  }

  private static void input(Html html, String name, String placeholder, String value) {
    html.empty(
        "input",
        "type",
        "text",
        "name",
        name,
        "placeholder",
        placeholder,
        "aria-label",
        placeholder,
        "value",
        value,
        "maxlength",
        String.valueOf(AdminOperation.MAX_AUDIT_FILTER));
  }

  private static String filter(ServerRequest req, String name) {
    String value = req.query().first(name).orElse("").strip();
    if (value.isEmpty()) {
      return null;
    }
    if (value.length() > AdminOperation.MAX_AUDIT_FILTER) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "filter '"
              + name
              + "' must be at most "
              + AdminOperation.MAX_AUDIT_FILTER
              + " characters");
    }
    return value;
  }
}
