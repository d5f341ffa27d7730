package io.holdfast.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.postgresql.PGConnection;

/**
 * Appends to the global revision log, inside the caller's transaction; on PostgreSQL it also
 * notifies the replicas listening on {@link RevisionNotifications#CHANNEL}. Stateless.
 */
final class RevisionLog {

  private RevisionLog() {}

  /** Appends one revision and returns its number, which is higher than every earlier one. */
  static long append(Connection c, String kind, String subject, String actor, String message, Instant at)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO revisions (kind, subject, actor, message, created_at) VALUES (?, ?, ?, ?, ?) RETURNING revision")) {
      ps.setString(1, kind);
      ps.setString(2, subject);
      ps.setString(3, actor);
      ps.setString(4, message == null ? "" : message);
      ps.setString(5, at.toString());
      long revision;
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        revision = rs.getLong(1);
      }
      if (c.isWrapperFor(PGConnection.class)) {
        // Delivered to every listening replica when (and only if) the transaction commits.
        try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
          notify.setString(1, RevisionNotifications.CHANNEL);
          notify.setString(2, Long.toString(revision));
          notify.execute();
        }
      }
      return revision;
    }
  }
}
