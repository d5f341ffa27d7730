package io.holdfast.server.rollout;

import io.holdfast.server.model.Scope;
import io.holdfast.server.store.StoredJson;
import io.holdfast.server.subscription.SubscriptionEdit;
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

/**
 * Reads change requests with their edits, subscription edits, approvals and ring releases in five
 * queries however many changes are read (one when none matches): the changes, then each child table
 * once for all of them ({@code change_id IN} the same selection), assembled in memory. The engine
 * lists up to a thousand changes every tick, so a query per change and child table would cost it
 * thousands. Run inside a read transaction so that the five queries see one state. Stateless.
 */
final class ChangeQueries {

  private static final String COLUMNS =
      "id, description, author, state, required_approvals, paused, current_ring,"
          + " released_at, release_revision, outcome, final_revision, version, created_at, updated_at";

  /** Which changes to read: {@code idQuery} selects their ids, {@code parameters} fill it. */
  private record Selection(String idQuery, List<Object> parameters) {}

  private ChangeQueries() {}

  static Optional<ChangeRequest> find(Connection c, long id) throws SQLException {
    return read(c, new Selection("SELECT id FROM changes WHERE id = ?", List.of(id))).stream()
        .findFirst();
  }

  /** Changes newest first; {@code states} empty means all. */
  static List<ChangeRequest> list(Connection c, List<ChangeState> states, int limit)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT id FROM changes");
    List<Object> parameters = new ArrayList<>();
    if (!states.isEmpty()) {
      sql.append(" WHERE state IN (").append("?,".repeat(states.size() - 1)).append("?)");
      for (ChangeState state : states) {
        parameters.add(state.wireName());
      }
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    parameters.add(limit);
    return read(c, new Selection(sql.toString(), parameters));
  }

  private static List<ChangeRequest> read(Connection c, Selection selection) throws SQLException {
    List<ChangeRow> rows = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM changes WHERE id IN ("
                + selection.idQuery()
                + ") ORDER BY id DESC")) {
      bind(ps, selection);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String releasedAt = rs.getString(8);
          rows.add(
              new ChangeRow(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  ChangeState.fromWire(rs.getString(4)),
                  rs.getInt(5),
                  rs.getInt(6) == 1,
                  rs.getString(7),
                  releasedAt == null ? null : Instant.parse(releasedAt),
                  nullableLong(rs, 9),
                  rs.getString(10),
                  nullableLong(rs, 11),
                  rs.getLong(12),
                  Instant.parse(rs.getString(13)),
                  Instant.parse(rs.getString(14))));
        }
      }
    }
    if (rows.isEmpty()) {
      // No change matches: the engine's usual tick, with nothing approved, skips the child tables.
      return List.of();
    }
    Map<Long, List<ChangeEdit>> edits = new HashMap<>();
    select(
        c,
        "SELECT change_id, namespace, scope, content, base_revision FROM change_edits",
        selection,
        "position",
        rs ->
            edits
                .computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                .add(
                    new ChangeEdit(
                        rs.getString(2),
                        Scope.parse(rs.getString(3)),
                        StoredJson.parse(rs.getString(4)),
                        rs.getLong(5))));
    Map<Long, List<SubscriptionEdit>> subscriptionEdits = new HashMap<>();
    select(
        c,
        "SELECT change_id, subscription_id, instance, kind, body, base_revision FROM change_subscription_edits",
        selection,
        "position",
        rs ->
            subscriptionEdits
                .computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                .add(
                    SubscriptionEdit.fromBody(
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4).equals("create"),
                        StoredJson.parse(rs.getString(5)),
                        rs.getLong(6))));
    Map<Long, List<Approval>> approvals = new HashMap<>();
    select(
        c,
        "SELECT change_id, approver, comment, approved_at FROM change_approvals",
        selection,
        "approved_at, approver",
        rs ->
            approvals
                .computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                .add(
                    new Approval(
                        rs.getString(2), rs.getString(3), Instant.parse(rs.getString(4)))));
    Map<Long, List<RingRelease>> releases = new HashMap<>();
    select(
        c,
        "SELECT change_id, ring, position, revision, released_at, mode, actor FROM change_releases",
        selection,
        "revision, position",
        rs ->
            releases
                .computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                .add(
                    new RingRelease(
                        rs.getString(2),
                        rs.getInt(3),
                        rs.getLong(4),
                        Instant.parse(rs.getString(5)),
                        ReleaseMode.fromWire(rs.getString(6)),
                        rs.getString(7))));
    List<ChangeRequest> changes = new ArrayList<>(rows.size());
    for (ChangeRow row : rows) {
      changes.add(
          new ChangeRequest(
              row.id(),
              row.description(),
              row.author(),
              row.state(),
              row.requiredApprovals(),
              row.paused(),
              row.currentRing(),
              row.releasedAt(),
              row.releaseRevision(),
              row.outcome(),
              row.finalRevision(),
              row.version(),
              row.createdAt(),
              row.updatedAt(),
              edits.getOrDefault(row.id(), List.of()),
              subscriptionEdits.getOrDefault(row.id(), List.of()),
              approvals.getOrDefault(row.id(), List.of()),
              releases.getOrDefault(row.id(), List.of())));
    }
    return changes;
  }

  /** The columns of one {@code changes} row, before its child rows are read. */
  private record ChangeRow(
      long id,
      String description,
      String author,
      ChangeState state,
      int requiredApprovals,
      boolean paused,
      String currentRing,
      Instant releasedAt,
      Long releaseRevision,
      String outcome,
      Long finalRevision,
      long version,
      Instant createdAt,
      Instant updatedAt) {}

  @FunctionalInterface
  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  /** The child rows of every selected change, in each change's own order. */
  private static void select(
      Connection c, String query, Selection selection, String order, RowReader reader)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            query
                + " WHERE change_id IN ("
                + selection.idQuery()
                + ") ORDER BY change_id, "
                + order)) {
      bind(ps, selection);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    }
  }

  private static void bind(PreparedStatement ps, Selection selection) throws SQLException {
    for (int i = 0; i < selection.parameters().size(); i++) {
      ps.setObject(i + 1, selection.parameters().get(i));
    }
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
