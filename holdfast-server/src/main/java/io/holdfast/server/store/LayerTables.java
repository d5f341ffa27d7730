package io.holdfast.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.Draft;
import io.holdfast.server.namespace.LayerVersion;
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
 * The layers of the namespaces: their published versions ({@code layer_versions}, joined with the
 * revision that published them) and their staged drafts ({@code layer_drafts}), inside the caller's
 * transaction. Stateless.
 */
public final class LayerTables {

  private static final String VERSION_COLUMNS =
      "lv.namespace, lv.scope, lv.revision, lv.content, r.created_at";

  /** A layer's content as the tables store it: canonical JSON text, {@code null} to remove it. */
  public record StoredLayer(String namespace, Scope scope, String content) {

    public static StoredLayer of(String namespace, Scope scope, JsonNode content) {
      return new StoredLayer(
          namespace, scope, content == null ? null : CanonicalJson.toText(content));
    }
  }

  private LayerTables() {}

  /**
   * @throws io.holdfast.server.problem.ProblemException {@code RING_NOT_FOUND} or {@code
   *     INSTANCE_NOT_FOUND} for a scope naming nothing
   */
  public static void requireTarget(Connection c, Scope scope) throws SQLException {
    switch (scope.kind()) {
      case RING -> RingTable.require(c, scope.target());
      case INSTANCE -> InstanceTable.require(c, scope.target());
      case DEFAULT -> {}
    }
  }

  /** The newest version of every layer, of one namespace or (when {@code null}) of all. */
  static List<LayerVersion> latest(Connection c, String namespace) throws SQLException {
    return namespace == null
        ? latestWhere(c, "", List.of())
        : latestWhere(c, " AND lv.namespace = ?", List.of(namespace));
  }

  /**
   * The newest version of every layer whose newest version a revision after {@code revision}
   * published, removals included: versions are only ever added, so these are all the layers that
   * changed since.
   */
  static List<LayerVersion> latestSince(Connection c, long revision) throws SQLException {
    return latestWhere(c, " AND lv.revision > ?", List.of(revision));
  }

  private static List<LayerVersion> latestWhere(
      Connection c, String condition, List<Object> parameters) throws SQLException {
    List<LayerVersion> layers = new ArrayList<>();
    String sql =
        "SELECT "
            + VERSION_COLUMNS
            + " FROM layer_versions lv"
            + " JOIN revisions r ON r.revision = lv.revision"
            + " WHERE lv.revision = (SELECT max(x.revision) FROM layer_versions x"
            + " WHERE x.namespace = lv.namespace AND x.scope = lv.scope)"
            + condition
            + " ORDER BY lv.namespace, lv.scope";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        ps.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          layers.add(version(rs));
        }
      }
    }
    return layers;
  }

  static Optional<LayerVersion> at(Connection c, String namespace, Scope scope, long revision)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + VERSION_COLUMNS
                + " FROM layer_versions lv"
                + " JOIN revisions r ON r.revision = lv.revision"
                + " WHERE lv.namespace = ? AND lv.scope = ? AND lv.revision <= ? ORDER BY lv.revision DESC LIMIT 1")) {
      ps.setString(1, namespace);
      ps.setString(2, scope.key());
      ps.setLong(3, revision);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(version(rs)) : Optional.empty();
      }
    }
  }

  /** The revision of the layer's newest published version, 0 if it never existed. */
  public static long publishedRevision(Connection c, String namespace, Scope scope)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT max(revision) FROM layer_versions WHERE namespace = ? AND scope = ?")) {
      ps.setString(1, namespace);
      ps.setString(2, scope.key());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The stored text of the layer's newest published version; {@code null} if removed or absent. */
  public static String publishedContent(Connection c, String namespace, Scope scope)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT content FROM layer_versions WHERE namespace = ? AND scope = ?"
                + " ORDER BY revision DESC LIMIT 1")) {
      ps.setString(1, namespace);
      ps.setString(2, scope.key());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** One published version per layer, all at {@code revision}. */
  public static void insertVersions(Connection c, long revision, List<StoredLayer> layers)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO layer_versions (namespace, scope, revision, content) VALUES (?, ?, ?, ?)")) {
      for (StoredLayer layer : layers) {
        insert.setString(1, layer.namespace());
        insert.setString(2, layer.scope().key());
        insert.setLong(3, revision);
        insert.setString(4, layer.content());
        insert.executeUpdate();
      }
    }
  }

  /**
   * The scopes each revision from {@code first} to {@code last} published in the namespace, sorted.
   */
  static Map<Long, List<Scope>> scopesByRevision(
      Connection c, String namespace, long first, long last) throws SQLException {
    Map<Long, List<Scope>> scopes = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT revision, scope FROM layer_versions WHERE namespace = ? AND revision BETWEEN ? AND ? ORDER BY scope")) {
      ps.setString(1, namespace);
      ps.setLong(2, first);
      ps.setLong(3, last);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          scopes
              .computeIfAbsent(rs.getLong(1), r -> new ArrayList<>())
              .add(Scope.parse(rs.getString(2)));
        }
      }
    }
    return scopes;
  }

  static List<Draft> drafts(Connection c, String namespace) throws SQLException {
    List<Draft> drafts = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT namespace, scope, content, version, updated_by, updated_at FROM layer_drafts"
                + " WHERE namespace = ? ORDER BY scope")) {
      ps.setString(1, namespace);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          drafts.add(
              new Draft(
                  rs.getString(1),
                  Scope.parse(rs.getString(2)),
                  StoredJson.parse(rs.getString(3)),
                  rs.getLong(4),
                  rs.getString(5),
                  Instant.parse(rs.getString(6))));
        }
      }
    }
    return drafts;
  }

  /** The version of the layer's draft, 0 if it has none. */
  static long draftVersion(Connection c, String namespace, Scope scope) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT version FROM layer_drafts WHERE namespace = ? AND scope = ?")) {
      ps.setString(1, namespace);
      ps.setString(2, scope.key());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** Stores the draft in place of the layer's current one, if any. */
  static void putDraft(Connection c, Draft draft) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO layer_drafts (namespace, scope, content, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (namespace, scope) DO UPDATE SET content = excluded.content, version = excluded.version,"
                + " updated_by = excluded.updated_by, updated_at = excluded.updated_at")) {
      ps.setString(1, draft.namespace());
      ps.setString(2, draft.scope().key());
      ps.setString(3, draft.content() == null ? null : CanonicalJson.toText(draft.content()));
      ps.setLong(4, draft.version());
      ps.setString(5, draft.updatedBy());
      ps.setString(6, draft.updatedAt().toString());
      ps.executeUpdate();
    }
  }

  static void deleteDrafts(Connection c, List<Draft> drafts) throws SQLException {
    try (PreparedStatement delete =
        c.prepareStatement("DELETE FROM layer_drafts WHERE namespace = ? AND scope = ?")) {
      for (Draft draft : drafts) {
        delete.setString(1, draft.namespace());
        delete.setString(2, draft.scope().key());
        delete.executeUpdate();
      }
    }
  }

  private static LayerVersion version(ResultSet rs) throws SQLException {
    return new LayerVersion(
        rs.getString(1),
        Scope.parse(rs.getString(2)),
        rs.getLong(3),
        StoredJson.parse(rs.getString(4)),
        Instant.parse(rs.getString(5)));
  }
}
