package io.holdfast.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.problem.ProblemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code namespaces} table, with each namespace's JSON Schema, inside the caller's transaction.
 * Stateless.
 */
public final class NamespaceTable {

  private NamespaceTable() {}

  /** Every namespace ordered by name, or only the one named {@code name} when it is not null. */
  static List<Namespace> select(Connection c, String name) throws SQLException {
    return name == null
        ? selectWhere(c, "", List.of())
        : selectWhere(c, " WHERE name = ?", List.of(name));
  }

  /** The namespaces created after {@code revision}, ordered by name (none is ever deleted). */
  static List<Namespace> createdSince(Connection c, long revision) throws SQLException {
    return selectWhere(c, " WHERE revision > ?", List.of(revision));
  }

  private static List<Namespace> selectWhere(Connection c, String where, List<Object> parameters)
      throws SQLException {
    List<Namespace> namespaces = new ArrayList<>();
    String sql =
        "SELECT name, description, revision, created_at FROM namespaces" + where + " ORDER BY name";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        ps.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          namespaces.add(
              new Namespace(
                  rs.getString(1), rs.getString(2), rs.getLong(3), Instant.parse(rs.getString(4))));
        }
      }
    }
    return namespaces;
  }

  /**
   * @throws ProblemException {@code ALREADY_EXISTS}
   */
  static void requireAbsent(Connection c, String name) throws SQLException {
    if (Rows.exists(c, "SELECT 1 FROM namespaces WHERE name = ?", name)) {
      throw new ProblemException(
          ProblemType.ALREADY_EXISTS, "namespace '" + name + "' already exists");
    }
  }

  /**
   * @throws ProblemException {@code NAMESPACE_NOT_FOUND}
   */
  public static void require(Connection c, String namespace) throws SQLException {
    if (!Rows.exists(c, "SELECT 1 FROM namespaces WHERE name = ?", namespace)) {
      throw new ProblemException(
          ProblemType.NAMESPACE_NOT_FOUND, "namespace '" + namespace + "' does not exist");
    }
  }

  static void insert(Connection c, Namespace namespace) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO namespaces (name, description, revision, created_at) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, namespace.name());
      ps.setString(2, namespace.description());
      ps.setLong(3, namespace.revision());
      ps.setString(4, namespace.createdAt().toString());
      ps.executeUpdate();
    }
  }

  /**
   * The namespace's JSON Schema, {@code null} if it has none.
   *
   * @throws ProblemException {@code NAMESPACE_NOT_FOUND}
   */
  public static JsonNode schema(Connection c, String namespace) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT json_schema FROM namespaces WHERE name = ?")) {
      ps.setString(1, namespace);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new ProblemException(
              ProblemType.NAMESPACE_NOT_FOUND, "namespace '" + namespace + "' does not exist");
        }
        return StoredJson.parse(rs.getString(1));
      }
    }
  }

  /** Sets ({@code schema != null}) or removes the namespace's JSON Schema. */
  public static void setSchema(Connection c, String namespace, JsonNode schema)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE namespaces SET json_schema = ? WHERE name = ?")) {
      ps.setString(1, schema == null ? null : CanonicalJson.toText(schema));
      ps.setString(2, namespace);
      ps.executeUpdate();
    }
  }
}
