package io.holdfast.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.PGConnection;

/**
 * The global revision log ({@code revisions}), inside the caller's transaction: appending to it (on
 * PostgreSQL that also notifies the replicas listening on {@link RevisionNotifications#CHANNEL})
 * and reading it. Stateless.
 */
public final class RevisionLog {

  private static final String COLUMNS = "revision, kind, subject, actor, message, created_at";

  private RevisionLog() {}

  /** Appends one revision and returns its number, which is higher than every earlier one. */
  public static long append(
      Connection c, String kind, String subject, String actor, String message, Instant at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
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

  /** The newest revision, 0 before the first. */
  static long current(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT max(revision) FROM revisions");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static Optional<RevisionEntry> find(Connection c, long revision) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM revisions WHERE revision = ?")) {
      ps.setLong(1, revision);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
      }
    }
  }

  /**
   * The namespace's revisions, newest first: its creation, every revision that wrote one of its
   * layers (publishes, and the completions, back-outs and hot-fixes of change requests), and every
   * ring release of a change that edits it (served to that ring only, from that revision on).
   */
  static List<RevisionEntry> ofNamespace(Connection c, String namespace, int limit)
      throws SQLException {
    List<RevisionEntry> entries = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM revisions"
                + " WHERE (subject = ? AND kind = 'namespace')"
                + " OR revision IN (SELECT revision FROM layer_versions WHERE namespace = ?)"
                + " OR revision IN ("
                + RingReleases.OF_NAMESPACE
                + ") ORDER BY revision DESC LIMIT ?")) {
      ps.setString(1, namespace);
      ps.setString(2, namespace);
      ps.setString(3, namespace);
      ps.setString(4, namespace);
      ps.setInt(5, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          entries.add(entry(rs));
        }
      }
    }
    return entries;
  }

  /**
   * When each revision that created or moved an instance, created a namespace or changed a
   * subscription was made.
   */
  static Map<Long, Instant> assignmentTimes(Connection c) throws SQLException {
    Map<Long, Instant> times = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT revision, created_at FROM revisions WHERE revision IN ("
                    + "SELECT assignment_revision FROM instances UNION SELECT revision FROM namespaces"
                    + " UNION SELECT revision FROM subscriptions)");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        times.put(rs.getLong(1), Instant.parse(rs.getString(2)));
      }
    }
    return times;
  }

  /** When each revision after {@code revision} was made. */
  static Map<Long, Instant> timesSince(Connection c, long revision) throws SQLException {
    Map<Long, Instant> times = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT revision, created_at FROM revisions WHERE revision > ?")) {
      ps.setLong(1, revision);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          times.put(rs.getLong(1), Instant.parse(rs.getString(2)));
        }
      }
    }
    return times;
  }

  private static RevisionEntry entry(ResultSet rs) throws SQLException {
    return new RevisionEntry(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        Instant.parse(rs.getString(6)));
  }
}
