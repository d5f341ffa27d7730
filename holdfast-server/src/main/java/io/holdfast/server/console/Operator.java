package io.holdfast.server.console;

import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.model.Role;

/**
 * The operator behind a console request: the admin credential their session was opened with, as it
 * stands now (its role included), and the session.
 */
record Operator(Principal.AdminPrincipal principal, ConsoleSession session) {

  /** Whether the role allows {@code role}'s actions; decides which sections a page shows. */
  boolean can(Role role) {
    return principal.role().includes(role);
  }

  /** Whether the role allows {@code operation}; decides which buttons a page shows. */
  boolean can(AdminOperation operation) {
    return operation.allows(principal);
  }

  /** Who the audit log and revision log name for this operator's writes. */
  String actor() {
    return principal.actor();
  }
}
