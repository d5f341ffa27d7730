package io.holdfast.server.console;

import io.holdfast.server.auth.Authenticator;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Role;

/**
 * The operator behind a console request: the admin credential their session was opened with, as
 * it stands now (its role included), and the session.
 */
record Operator(Principal.AdminPrincipal principal, ConsoleSession session) {

  /** Whether the role allows {@code role}'s actions; decides which buttons a page shows. */
  boolean can(Role role) {
    return principal.role().includes(role);
  }

  /**
   * The principal, if its role allows {@code role}: the same check, and the same refusal, as
   * the admin API's.
   *
   * @throws io.holdfast.server.ProblemException {@code FORBIDDEN} otherwise
   */
  Principal.AdminPrincipal require(Role role) {
    return Authenticator.requireRole(principal, role);
  }

  /** Who the audit log and revision log name for this operator's writes. */
  String actor() {
    return principal.actor();
  }
}
