package io.holdfast.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Appends to the global revision log, inside the caller's transaction. Stateless. */
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
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
