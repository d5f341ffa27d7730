package io.holdfast.server.store;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.model.Role;
import io.holdfast.server.problem.ProblemException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules of the admin credential writes, inside the caller's write transaction: each checks,
 * appends its revision, changes {@link AdminCredentialTables} and appends its audit row. Stateless.
 */
final class AdminCredentialWrites {

  private AdminCredentialWrites() {}

  /** A new credential; a revoked one's name may be given again. */
  static AdminCredential create(
      Connection c,
      String name,
      Role role,
      String tokenHash,
      Instant expiresAt,
      String actor,
      Instant now)
      throws SQLException {
    Optional<AdminCredential> existing = AdminCredentialTables.find(c, name);
    if (existing.isPresent() && !existing.get().revoked()) {
      throw new ProblemException(
          ProblemType.ALREADY_EXISTS, "credential '" + name + "' already exists");
    }
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "'expiresAt' must be in the future, was " + expiresAt);
    }
    long revision =
        RevisionLog.append(
            c, "credential", name, actor, "create admin credential (" + role.wireName() + ")", now);
    if (existing.isPresent()) {
      // A revoked name may be given to a new credential; the audit log keeps the old one's story.
      AdminCredentialTables.delete(c, name);
    }
    AdminCredentialTables.insert(c, name, role, tokenHash, now, expiresAt, revision, null);
    AdminCredential created =
        new AdminCredential(name, role, tokenHash, now, expiresAt, null, null);
    AuditTable.append(
        c,
        now,
        actor,
        "credential.create",
        "credential:" + name,
        existing.map(old -> AuditViews.credential(old, now)).orElse(null),
        AuditViews.credential(created, now));
    return created;
  }

  /** Revokes a live credential; the last usable admin is never revoked. */
  static AdminCredential revoke(Connection c, String name, String actor, Instant now)
      throws SQLException {
    AdminCredential credential = AdminCredentialTables.requireLive(c, name);
    if (credential.role() == Role.ADMIN) {
      AdminCredentialTables.requireAnotherAdmin(c, name, now, "revoke");
    }
    long revision =
        RevisionLog.append(c, "credential", name, actor, "revoke admin credential", now);
    AdminCredentialTables.revoke(c, name, now, revision);
    AdminCredential revoked =
        new AdminCredential(
            name,
            credential.role(),
            credential.tokenHash(),
            credential.createdAt(),
            credential.expiresAt(),
            now,
            credential.lastUsedAt());
    AuditTable.append(
        c,
        now,
        actor,
        "credential.revoke",
        "credential:" + name,
        AuditViews.credential(credential, now),
        AuditViews.credential(revoked, now));
    return revoked;
  }

  /** Replaces a live credential's token. */
  static AdminCredential rotate(
      Connection c, String name, String tokenHash, String actor, Instant now) throws SQLException {
    AdminCredential credential = AdminCredentialTables.requireLive(c, name);
    long revision =
        RevisionLog.append(c, "credential", name, actor, "rotate admin credential", now);
    AdminCredentialTables.replaceToken(c, name, tokenHash, revision);
    // Neither view holds a hash: the row says that the token changed, by whom and when.
    AuditTable.append(
        c,
        now,
        actor,
        "credential.rotate",
        "credential:" + name,
        AuditViews.credential(credential, now),
        AuditViews.credential(credential, now));
    return new AdminCredential(
        name,
        credential.role(),
        tokenHash,
        credential.createdAt(),
        credential.expiresAt(),
        null,
        credential.lastUsedAt());
  }

  /** Changes a live credential's role or expiry, never leaving no usable admin. */
  static AdminCredential update(
      Connection c, String name, CredentialUpdate update, String actor, Instant now)
      throws SQLException {
    AdminCredential credential = AdminCredentialTables.requireLive(c, name);
    Role role = update.role() == null ? credential.role() : update.role();
    Instant expiresAt = update.changesExpiry() ? update.expiresAt() : credential.expiresAt();
    if (update.changesExpiry() && expiresAt != null && !expiresAt.isAfter(now)) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "'expiresAt' must be in the future, was " + expiresAt);
    }
    if (credential.role() == Role.ADMIN && role != Role.ADMIN) {
      AdminCredentialTables.requireAnotherAdmin(c, name, now, "demote");
    }
    if (role == Role.ADMIN && expiresAt != null && credential.expiresAt() == null) {
      AdminCredentialTables.requireAnotherAdmin(c, name, now, "set an expiry on");
    }
    long revision =
        RevisionLog.append(
            c,
            "credential",
            name,
            actor,
            "update admin credential ("
                + role.wireName()
                + ", expires "
                + (expiresAt == null ? "never" : expiresAt)
                + ")",
            now);
    AdminCredentialTables.change(c, name, role, expiresAt, revision);
    AdminCredential updated =
        new AdminCredential(
            name,
            role,
            credential.tokenHash(),
            credential.createdAt(),
            expiresAt,
            null,
            credential.lastUsedAt());
    AuditTable.append(
        c,
        now,
        actor,
        "credential.update",
        "credential:" + name,
        AuditViews.credential(credential, now),
        AuditViews.credential(updated, now));
    return updated;
  }

  /**
   * The credential configured from {@code tokenHash}, unless it was set from this very token
   * before.
   */
  static void ensure(Connection c, String name, Role role, String tokenHash, Instant now)
      throws SQLException {
    if (AdminCredentialTables.configuredHash(c, name).filter(tokenHash::equals).isPresent()) {
      // Set from this very token before: whatever was done to the credential since (rotated,
      // demoted, revoked) stands. Only a new configured token resets it.
      return;
    }
    long revision =
        RevisionLog.append(
            c, "credential", name, "system", "bootstrap admin credential from configuration", now);
    AdminCredentialTables.delete(c, name);
    AdminCredentialTables.deleteHolderOf(c, tokenHash);
    AdminCredentialTables.insert(c, name, role, tokenHash, now, null, revision, tokenHash);
    AuditTable.append(
        c,
        now,
        "system",
        "credential.bootstrap",
        "credential:" + name,
        null,
        AuditViews.credential(name, role));
  }
}
