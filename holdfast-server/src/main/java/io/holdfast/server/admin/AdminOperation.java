package io.holdfast.server.admin;

import io.holdfast.server.auth.Authenticator;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Role;

/**
 * Every admin operation, declared once: its method and path in the admin API, the least role it
 * needs, and whether it writes (and changes what replicas serve). The API registers its routes from
 * this table and its gate checks the role and, after a successful write, waits until this replica
 * serves it; the console's pages and actions name the same operations, so a role cannot differ
 * between the two. An operation added without a role does not compile; one added without a route or
 * a test fails a test.
 *
 * <p>Two operations share {@code PATCH /v1/admin/instances/{id}}: which one a request is depends on
 * its body (a ring move or labels), so that route names both and its handler decides.
 */
public enum AdminOperation {
  LIST_RINGS("GET", "/v1/admin/rings", Role.VIEWER, Access.READS),
  CREATE_RING("POST", "/v1/admin/rings", Role.ADMIN, Access.WRITES),
  UPDATE_RING("PATCH", "/v1/admin/rings/{name}", Role.ADMIN, Access.WRITES),

  LIST_CHANGES("GET", "/v1/admin/changes", Role.VIEWER, Access.READS),
  /** Also its dry run ({@code ?dryRun=true}), which writes nothing. */
  CREATE_CHANGE("POST", "/v1/admin/changes", Role.EDITOR, Access.WRITES),
  DRY_RUN_CHANGE("GET", "/v1/admin/changes/{id}/dry-run", Role.VIEWER, Access.READS),
  APPROVE_CHANGE("POST", "/v1/admin/changes/{id}/approve", Role.PUBLISHER, Access.WRITES),
  PROMOTE_CHANGE("POST", "/v1/admin/changes/{id}/promote", Role.PUBLISHER, Access.WRITES),
  PAUSE_CHANGE("POST", "/v1/admin/changes/{id}/pause", Role.PUBLISHER, Access.WRITES),
  RESUME_CHANGE("POST", "/v1/admin/changes/{id}/resume", Role.PUBLISHER, Access.WRITES),
  BACK_OUT_CHANGE(
      "POST", "/v1/admin/changes/{id}/backout", Role.PUBLISHER, Access.WRITES_WITH_REASON),
  HOTFIX_CHANGE("POST", "/v1/admin/changes/{id}/hotfix", Role.ADMIN, Access.WRITES_WITH_REASON),
  CANCEL_CHANGE("POST", "/v1/admin/changes/{id}/cancel", Role.EDITOR, Access.WRITES_WITH_REASON),
  GET_CHANGE("GET", "/v1/admin/changes/{id}", Role.VIEWER, Access.READS),

  GET_ROLLOUTS("GET", "/v1/admin/rollouts", Role.VIEWER, Access.READS),
  /** A publisher's: stopping rollouts during an incident must not wait for an admin. */
  FREEZE_ROLLOUTS("PUT", "/v1/admin/rollouts/freeze", Role.PUBLISHER, Access.WRITES_WITH_REASON),
  LIFT_FREEZE("DELETE", "/v1/admin/rollouts/freeze", Role.ADMIN, Access.WRITES),

  LIST_INSTANCES("GET", "/v1/admin/instances", Role.VIEWER, Access.READS),
  CREATE_INSTANCE("POST", "/v1/admin/instances", Role.EDITOR, Access.WRITES),
  ROTATE_INSTANCE_CREDENTIAL(
      "POST", "/v1/admin/instances/{id}/credential", Role.ADMIN, Access.WRITES),
  GET_HEARTBEAT("GET", "/v1/admin/instances/{id}/heartbeat", Role.VIEWER, Access.READS),
  GET_INSTANCE("GET", "/v1/admin/instances/{id}", Role.VIEWER, Access.READS),
  /**
   * Labels, which no document reads, and the time zone and change window, which decide when a
   * release reaches the instance, not what it is served.
   */
  UPDATE_INSTANCE("PATCH", "/v1/admin/instances/{id}", Role.EDITOR, Access.WRITES),
  /** Moving an instance to another ring changes what it is served, as a publish does. */
  MOVE_INSTANCE_RING("PATCH", "/v1/admin/instances/{id}", Role.PUBLISHER, Access.WRITES),

  LIST_NAMESPACES("GET", "/v1/admin/namespaces", Role.VIEWER, Access.READS),
  CREATE_NAMESPACE("POST", "/v1/admin/namespaces", Role.EDITOR, Access.WRITES),
  GET_LAYERS("GET", "/v1/admin/namespaces/{ns}/layers", Role.VIEWER, Access.READS),
  GET_LAYER("GET", "/v1/admin/namespaces/{ns}/layers/{scope}", Role.VIEWER, Access.READS),
  PUT_DRAFT("PUT", "/v1/admin/namespaces/{ns}/layers/{scope}", Role.EDITOR, Access.STAGES),
  STAGE_REMOVAL("DELETE", "/v1/admin/namespaces/{ns}/layers/{scope}", Role.EDITOR, Access.STAGES),
  PUBLISH("POST", "/v1/admin/namespaces/{ns}/publish", Role.PUBLISHER, Access.WRITES),
  GET_HISTORY("GET", "/v1/admin/namespaces/{ns}/history", Role.VIEWER, Access.READS),
  GET_DIFF("GET", "/v1/admin/namespaces/{ns}/diff", Role.VIEWER, Access.READS),
  GET_EFFECTIVE("GET", "/v1/admin/namespaces/{ns}/effective/{instance}", Role.VIEWER, Access.READS),
  GET_SCHEMA("GET", "/v1/admin/namespaces/{ns}/schema", Role.VIEWER, Access.READS),
  SET_SCHEMA("PUT", "/v1/admin/namespaces/{ns}/schema", Role.ADMIN, Access.WRITES),
  REMOVE_SCHEMA("DELETE", "/v1/admin/namespaces/{ns}/schema", Role.ADMIN, Access.WRITES),
  GET_NAMESPACE("GET", "/v1/admin/namespaces/{ns}", Role.VIEWER, Access.READS),

  LIST_CREDENTIALS("GET", "/v1/admin/credentials", Role.ADMIN, Access.READS),
  CREATE_CREDENTIAL("POST", "/v1/admin/credentials", Role.ADMIN, Access.WRITES),
  ROTATE_CREDENTIAL("POST", "/v1/admin/credentials/{name}/rotate", Role.ADMIN, Access.WRITES),
  REVOKE_CREDENTIAL("POST", "/v1/admin/credentials/{name}/revoke", Role.ADMIN, Access.WRITES),
  GET_CREDENTIAL("GET", "/v1/admin/credentials/{name}", Role.ADMIN, Access.READS),
  UPDATE_CREDENTIAL("PATCH", "/v1/admin/credentials/{name}", Role.ADMIN, Access.WRITES),

  LIST_APPLICATIONS("GET", "/v1/admin/applications", Role.VIEWER, Access.READS),
  CREATE_APPLICATION("POST", "/v1/admin/applications", Role.EDITOR, Access.WRITES),
  GET_APPLICATION("GET", "/v1/admin/applications/{name}", Role.VIEWER, Access.READS),
  RENAME_APPLICATION("PATCH", "/v1/admin/applications/{name}", Role.EDITOR, Access.WRITES),

  INSTANCE_USAGE("GET", "/v1/admin/instances/{id}/subscriptions/usage", Role.VIEWER, Access.READS),
  FLEET_USAGE("GET", "/v1/admin/subscriptions/usage", Role.VIEWER, Access.READS),

  LIST_SUBSCRIPTIONS("GET", "/v1/admin/subscriptions", Role.VIEWER, Access.READS),
  CREATE_SUBSCRIPTION("POST", "/v1/admin/subscriptions", Role.PUBLISHER, Access.WRITES),
  END_SUBSCRIPTION("POST", "/v1/admin/subscriptions/{id}/end", Role.PUBLISHER, Access.WRITES),
  GET_SUBSCRIPTION("GET", "/v1/admin/subscriptions/{id}", Role.VIEWER, Access.READS),
  CHANGE_SUBSCRIPTION("PATCH", "/v1/admin/subscriptions/{id}", Role.PUBLISHER, Access.WRITES),

  READ_AUDIT("GET", "/v1/admin/audit", Role.ADMIN, Access.READS),
  VERIFY_AUDIT("GET", "/v1/admin/audit/verify", Role.ADMIN, Access.READS),

  LIST_PROBES("GET", "/v1/admin/probes", Role.VIEWER, Access.READS),

  /** A root-signed key set, which decides which signing keys every client trusts. */
  PUBLISH_KEYSET("PUT", "/v1/admin/keyset", Role.ADMIN, Access.WRITES),

  LIST_FLEET("GET", "/v1/admin/fleet", Role.VIEWER, Access.READS),
  GET_FLEET_INSTANCE("GET", "/v1/admin/fleet/{id}", Role.VIEWER, Access.READS),

  LIST_BLACKOUTS("GET", "/v1/admin/blackouts", Role.VIEWER, Access.READS),
  /** A publisher's: it holds back what releases deliver, as a publish decides what they deliver. */
  ADD_BLACKOUT("POST", "/v1/admin/blackouts", Role.PUBLISHER, Access.WRITES),
  REMOVE_BLACKOUT("DELETE", "/v1/admin/blackouts/{id}", Role.PUBLISHER, Access.WRITES);

  /**
   * The most characters of any text an operator writes into the record: a description, a publish
   * message, a reason, a comment. The API and the console both hold to it.
   */
  public static final int MAX_TEXT = 1000;

  /** The most characters of one filter on the audit log (action, target, actor). */
  public static final int MAX_AUDIT_FILTER = 200;

  /** What an operation does to the store. */
  public enum Access {
    READS,
    /** After it succeeds, this replica serves it before the answer goes out (read-your-writes). */
    WRITES,
    /** A write that must say why, in 1 to {@link #MAX_TEXT} characters. */
    WRITES_WITH_REASON,
    /**
     * Writes a draft, which no replica serves until it is published: there is nothing for this
     * replica to catch up with, so the answer does not wait for a snapshot refresh (behind a
     * publish's rebuild, that wait would make every edit of a burst pay for the rebuild).
     */
    STAGES
  }

  private final String method;
  private final String path;
  private final Role role;
  private final Access access;

  AdminOperation(String method, String path, Role role, Access access) {
    this.method = method;
    this.path = path;
    this.role = role;
    this.access = access;
  }

  /** The HTTP method of its admin API route. */
  public String method() {
    return method;
  }

  /** The path template of its admin API route, such as {@code /v1/admin/changes/{id}/approve}. */
  public String path() {
    return path;
  }

  /** The least role that may perform it; roles include the ones below them. */
  public Role role() {
    return role;
  }

  public boolean writes() {
    return access != Access.READS;
  }

  /** Whether it changes what replicas serve, so that its answer waits until this one serves it. */
  public boolean changesWhatIsServed() {
    return access == Access.WRITES || access == Access.WRITES_WITH_REASON;
  }

  public boolean needsReason() {
    return access == Access.WRITES_WITH_REASON;
  }

  /**
   * The principal, if its role allows this operation.
   *
   * @throws io.holdfast.server.problem.ProblemException {@code FORBIDDEN}, naming the role it needs
   */
  public Principal.AdminPrincipal authorize(Principal.AdminPrincipal principal) {
    return Authenticator.requireRole(principal, role);
  }

  /**
   * Which of the two edits of an instance now in {@code currentRing} a request is.
   *
   * @param newRing the ring asked for, or {@code null} if the edit leaves it; a move to another
   *     ring changes every document the instance is served, at once
   */
  public static AdminOperation toEditInstance(String currentRing, String newRing) {
    return newRing != null && !newRing.equals(currentRing) ? MOVE_INSTANCE_RING : UPDATE_INSTANCE;
  }

  /** Whether {@code principal}'s role allows it; decides which controls a page shows. */
  public boolean allows(Principal.AdminPrincipal principal) {
    return principal.role().includes(role);
  }
}
