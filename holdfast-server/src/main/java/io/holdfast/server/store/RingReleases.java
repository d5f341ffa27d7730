package io.holdfast.server.store;

import io.holdfast.server.model.Scope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ring releases of change requests as a namespace's history shows them, read from {@code
 * change_releases} and {@code change_edits} inside the caller's transaction. A release writes no
 * layer version (the change is served to the rings it reached from its edits until it completes),
 * so without these a history would show a change only when it completed or was backed out, never
 * that one ring was served it for a while. A ring's instances whose change window was closed at its
 * release receive the change later, at revisions of their own, which the history shows too.
 * Stateless.
 */
final class RingReleases {

  /**
   * The revisions at which a change editing the namespace (both parameters) reached a ring, or
   * instances of a ring whose change window had held them back (issue 22).
   */
  static final String OF_NAMESPACE =
      "SELECT r.revision FROM change_releases r"
          + " WHERE r.change_id IN (SELECT change_id FROM change_edits WHERE namespace = ?)"
          + " UNION SELECT d.revision FROM change_deliveries d WHERE d.revision IS NOT NULL"
          + " AND d.change_id IN (SELECT change_id FROM change_edits WHERE namespace = ?)";

  private RingReleases() {}

  /** What a revision released: the rings, in rollout order, and the layers it serves them. */
  record Released(List<String> rings, List<Scope> scopes) {}

  /**
   * The releases at revisions {@code first} to {@code last} of changes that edit {@code namespace},
   * by revision. A hot-fix releases every ring still waiting at one revision, so a revision may
   * release several.
   */
  static Map<Long, Released> byRevision(Connection c, String namespace, long first, long last)
      throws SQLException {
    Map<Long, Set<String>> rings = new HashMap<>();
    Map<Long, Set<String>> scopes = new HashMap<>();
    // Ring releases, then deliveries to instances whose change window opened (their ring).
    for (String query :
        List.of(
            "SELECT r.revision, r.ring, e.scope FROM change_releases r"
                + " JOIN change_edits e ON e.change_id = r.change_id AND e.namespace = ?"
                + " WHERE r.revision BETWEEN ? AND ? ORDER BY r.revision, r.position",
            "SELECT DISTINCT d.revision, d.ring, e.scope FROM change_deliveries d"
                + " JOIN change_edits e ON e.change_id = d.change_id AND e.namespace = ?"
                + " WHERE d.revision BETWEEN ? AND ? ORDER BY d.revision")) {
      try (PreparedStatement ps = c.prepareStatement(query)) {
        ps.setString(1, namespace);
        ps.setLong(2, first);
        ps.setLong(3, last);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long revision = rs.getLong(1);
            rings.computeIfAbsent(revision, r -> new LinkedHashSet<>()).add(rs.getString(2));
            scopes.computeIfAbsent(revision, r -> new TreeSet<>()).add(rs.getString(3));
          }
        }
      }
    }
    Map<Long, Released> released = new HashMap<>();
    rings.forEach(
        (revision, names) ->
            released.put(
                revision,
                new Released(
                    List.copyOf(names), scopes.get(revision).stream().map(Scope::parse).toList())));
    return released;
  }
}
