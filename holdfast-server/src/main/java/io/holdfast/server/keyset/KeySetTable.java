package io.holdfast.server.keyset;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code key_sets} table: every published signed key set, one row per version. Rows are only
 * ever inserted; nothing here updates or deletes one. Stateless.
 */
final class KeySetTable {

  private KeySetTable() {}

  /** The key sets of version above {@code after}, ascending, at most {@code limit}. */
  static List<StoredKeySet> after(Connection c, long after, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version, body FROM key_sets WHERE version > ? ORDER BY version LIMIT ?")) {
      ps.setLong(1, after);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<StoredKeySet> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(
              new StoredKeySet(rs.getLong(1), rs.getString(2).getBytes(StandardCharsets.UTF_8)));
        }
        return rows;
      }
    }
  }

  static void insert(Connection c, StoredKeySet keySet, Instant at, String actor)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO key_sets (version, body, published_at, actor) VALUES (?, ?, ?, ?)")) {
      ps.setLong(1, keySet.version());
      ps.setString(2, keySet.text());
      ps.setString(3, at.toString());
      ps.setString(4, actor);
      ps.executeUpdate();
    }
  }
}
