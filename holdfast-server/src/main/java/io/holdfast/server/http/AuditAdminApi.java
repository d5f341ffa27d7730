package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.audit.AuditEntry;
import io.holdfast.server.audit.AuditQuery;
import io.holdfast.server.audit.AuditVerification;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.problem.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * {@code /v1/admin/audit}: the audit log, newest first, with the check of its hash chain since this
 * replica's checkpoint ({@link io.holdfast.server.store.ConfigStore#checkAuditLog}); {@code
 * /v1/admin/audit/verify} walks the whole chain from row 1. Admins only: the log maps which
 * credential did what, which is as sensitive as the list of credentials.
 */
final class AuditAdminApi implements HttpService {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  /** Longest accepted filter value; actions, targets and actors are short names. */
  private final AdminContext ctx;

  AuditAdminApi(AdminContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void routing(HttpRules rules) {
    ctx.gate()
        .routes(rules, "/v1/admin/audit")
        .add(AdminOperation.READ_AUDIT, this::list)
        .add(AdminOperation.VERIFY_AUDIT, this::verify)
        .done();
  }

  private void list(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    AuditQuery query =
        new AuditQuery(
            filter(req, "action"),
            filter(req, "target"),
            filter(req, "actor"),
            req.query().first("since").map(AuditAdminApi::since).orElse(null),
            req.query().first("limit").map(AuditAdminApi::limit).orElse(DEFAULT_LIMIT));
    ObjectNode view = JsonViews.list("entries", ctx.store().auditLog(query), AuditAdminApi::entry);
    // From the checkpoint only: a full walk per listing made every listing cost as much as the
    // whole log.
    view.set("verification", verification(ctx.store().checkAuditLog()));
    JsonViews.send(res, Status.OK_200, view);
  }

  private void verify(ServerRequest req, ServerResponse res, Principal.AdminPrincipal admin) {
    JsonViews.send(res, Status.OK_200, verification(ctx.store().verifyAuditLog()));
  }

  static ObjectNode entry(AuditEntry entry) {
    ObjectNode node = JsonViews.object();
    node.put("seq", entry.seq());
    node.put("at", entry.at().toString());
    node.put("actor", entry.actor());
    node.put("action", entry.action());
    node.put("target", entry.target());
    node.set("before", entry.before() == null ? node.nullNode() : entry.before());
    node.set("after", entry.after() == null ? node.nullNode() : entry.after());
    node.put("prevHash", entry.prevHash());
    node.put("hash", entry.hash());
    return node;
  }

  static ObjectNode verification(AuditVerification verification) {
    ObjectNode node = JsonViews.object();
    node.put("intact", verification.intact());
    node.put("checked", verification.checked());
    node.put("read", verification.read());
    node.put("firstBrokenSeq", verification.firstBrokenSeq());
    node.put("problem", verification.problem());
    node.put("lastHash", verification.lastHash());
    return node;
  }

  private static String filter(ServerRequest req, String name) {
    String value = req.query().first(name).orElse(null);
    if (value != null && (value.isEmpty() || value.length() > AdminOperation.MAX_AUDIT_FILTER)) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "query parameter '"
              + name
              + "' must be 1 to "
              + AdminOperation.MAX_AUDIT_FILTER
              + " characters");
    }
    return value;
  }

  private static Instant since(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "query parameter 'since' must be an RFC 3339 date-time"
              + " such as 2026-11-25T18:00:00Z, was '"
              + Routes.abbreviate(value)
              + "'");
    }
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // Reported below with the same message as a number out of range.
    }
    throw new ProblemException(
        ProblemType.INVALID_REQUEST,
        "query parameter 'limit' must be a whole number from 1 to "
            + MAX_LIMIT
            + ", was '"
            + Routes.abbreviate(value)
            + "'");
  }
}
