package io.holdfast.server.rollout;

import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.subscription.SubscriptionEdit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * Writes to the change tables ({@code changes}, {@code change_edits}, {@code
 * change_subscription_edits}, {@code change_approvals}, {@code change_releases}) inside the
 * caller's transaction; {@link ChangeQueries} reads them. Every update of a change names the
 * version it starts from and fails with {@code CHANGE_CONFLICT} when another writer moved the
 * change first. Stateless.
 */
final class ChangeTables {

  private ChangeTables() {}

  /**
   * Stores a new draft change with its (pinned) edits; {@code applications} in subscription edit
   * order.
   */
  static long insert(
      Connection c,
      String description,
      String author,
      int requiredApprovals,
      List<ChangeEdit> edits,
      List<SubscriptionEdit> subscriptionEdits,
      List<String> applications,
      Instant now)
      throws SQLException {
    long id;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO changes (description, author, state,"
                + " required_approvals, version, created_at, updated_at) VALUES (?, ?, 'draft', ?, 1, ?, ?) RETURNING id")) {
      ps.setString(1, description);
      ps.setString(2, author);
      ps.setInt(3, requiredApprovals);
      ps.setString(4, now.toString());
      ps.setString(5, now.toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO change_edits"
                + " (change_id, position, namespace, scope, content, base_revision) VALUES (?, ?, ?, ?, ?, ?)")) {
      int position = 0;
      for (ChangeEdit edit : edits) {
        ps.setLong(1, id);
        ps.setInt(2, position++);
        ps.setString(3, edit.namespace());
        ps.setString(4, edit.scope().key());
        ps.setString(5, edit.removes() ? null : CanonicalJson.toText(edit.content()));
        ps.setLong(6, edit.baseRevision());
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO change_subscription_edits (change_id, position,"
                + " subscription_id, instance, application, kind, body, base_revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int position = 0; position < subscriptionEdits.size(); position++) {
        SubscriptionEdit edit = subscriptionEdits.get(position);
        ps.setLong(1, id);
        ps.setInt(2, position);
        ps.setString(3, edit.subscriptionId());
        ps.setString(4, edit.instance());
        ps.setString(5, applications.get(position));
        ps.setString(6, edit.create() != null ? "create" : "change");
        ps.setString(7, CanonicalJson.toText(edit.body()));
        ps.setLong(8, edit.baseRevision());
        ps.executeUpdate();
      }
    }
    return id;
  }

  static void insertApproval(Connection c, long id, String approver, String comment, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO change_approvals (change_id, approver, comment, approved_at) VALUES (?, ?, ?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, approver);
      ps.setString(3, comment);
      ps.setString(4, now.toString());
      ps.executeUpdate();
    }
  }

  static void insertRelease(
      Connection c,
      long id,
      RingPolicy ring,
      long revision,
      Instant now,
      ReleaseMode mode,
      String actor)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO change_releases"
                + " (change_id, ring, position, revision, released_at, mode, actor) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, ring.ring());
      ps.setInt(3, ring.position());
      ps.setLong(4, revision);
      ps.setString(5, now.toString());
      ps.setString(6, mode.wireName());
      ps.setString(7, actor);
      ps.executeUpdate();
    }
  }

  /** The change now rolls out in {@code ring}, released at {@code revision}. */
  static void markReleased(
      Connection c,
      ChangeRequest change,
      long expectedVersion,
      String ring,
      long revision,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE changes SET state = 'rolling_out', current_ring = ?,"
                + " released_at = ?, release_revision = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?")) {
      ps.setString(1, ring);
      ps.setString(2, now.toString());
      ps.setLong(3, revision);
      ps.setString(4, now.toString());
      ps.setLong(5, change.id());
      ps.setLong(6, expectedVersion);
      requireOneRow(ps.executeUpdate(), change);
    }
  }

  static void markApproved(Connection c, ChangeRequest change, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE changes SET state = 'approved', version = version + 1, updated_at = ? WHERE id = ? AND version = ?")) {
      ps.setString(1, now.toString());
      ps.setLong(2, change.id());
      ps.setLong(3, change.version());
      requireOneRow(ps.executeUpdate(), change);
    }
  }

  /** The change ends (or moves to another state without a release) and is no longer paused. */
  static void markState(
      Connection c,
      ChangeRequest change,
      long expectedVersion,
      ChangeState to,
      String outcome,
      Long finalRevision,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE changes SET state = ?, outcome = ?, final_revision = ?,"
                + " paused = 0, version = version + 1, updated_at = ? WHERE id = ? AND version = ?")) {
      ps.setString(1, to.wireName());
      ps.setString(2, outcome);
      if (finalRevision == null) {
        ps.setNull(3, Types.BIGINT);
      } else {
        ps.setLong(3, finalRevision);
      }
      ps.setString(4, now.toString());
      ps.setLong(5, change.id());
      ps.setLong(6, expectedVersion);
      requireOneRow(ps.executeUpdate(), change);
    }
  }

  static void markPaused(
      Connection c, ChangeRequest change, long expectedVersion, boolean paused, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE changes SET paused = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?")) {
      ps.setInt(1, paused ? 1 : 0);
      ps.setString(2, now.toString());
      ps.setLong(3, change.id());
      ps.setLong(4, expectedVersion);
      requireOneRow(ps.executeUpdate(), change);
    }
  }

  private static void requireOneRow(int updated, ChangeRequest change) {
    if (updated != 1) {
      throw new ProblemException(
          ProblemType.CHANGE_CONFLICT, "change " + change.id() + " moved on concurrently");
    }
  }
}
