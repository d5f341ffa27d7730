package io.holdfast.server.store;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.problem.ProblemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The {@code instances} table, inside the caller's transaction. Stateless. */
public final class InstanceTable {

  private static final String COLUMNS =
      "id, ring, labels, credential_hash, assignment_revision, created_at, updated_at";

  private InstanceTable() {}

  /** Every instance ordered by id, or only the one with {@code id} when it is not null. */
  static List<Instance> select(Connection c, String id) throws SQLException {
    return id == null
        ? selectWhere(c, "", List.of())
        : selectWhere(c, " WHERE id = ?", List.of(id));
  }

  /**
   * The instances that a revision after {@code revision} created or changed, ordered by id: moved
   * to another ring or backed out (their assignment revision), relabelled or given a new credential
   * (named by the revision log, as those leave no revision on the row).
   */
  static List<Instance> changedSince(Connection c, long revision) throws SQLException {
    return selectWhere(
        c,
        " WHERE assignment_revision > ? OR id IN (SELECT subject FROM revisions"
            + " WHERE revision > ? AND kind IN ('instance', 'credential'))",
        List.of(revision, revision));
  }

  private static List<Instance> selectWhere(Connection c, String where, List<Object> parameters)
      throws SQLException {
    List<Instance> instances = new ArrayList<>();
    String sql = "SELECT " + COLUMNS + " FROM instances" + where + " ORDER BY id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        ps.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          instances.add(
              new Instance(
                  rs.getString(1),
                  rs.getString(2),
                  StoredJson.labels(rs.getString(3)),
                  rs.getString(4),
                  rs.getLong(5),
                  Instant.parse(rs.getString(6)),
                  Instant.parse(rs.getString(7))));
        }
      }
    }
    return instances;
  }

  static Optional<Instance> find(Connection c, String id) throws SQLException {
    return select(c, id).stream().findFirst();
  }

  static boolean exists(Connection c, String id) throws SQLException {
    return Rows.exists(c, "SELECT 1 FROM instances WHERE id = ?", id);
  }

  /**
   * @throws ProblemException {@code INSTANCE_NOT_FOUND}
   */
  public static void require(Connection c, String id) throws SQLException {
    if (!exists(c, id)) {
      throw new ProblemException(
          ProblemType.INSTANCE_NOT_FOUND, "instance '" + id + "' does not exist");
    }
  }

  static void insert(Connection c, Instance instance) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO instances (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, instance.id());
      ps.setString(2, instance.ring());
      ps.setString(3, StoredJson.labelsText(instance.labels()));
      ps.setString(4, instance.credentialHash());
      ps.setLong(5, instance.assignmentRevision());
      ps.setString(6, instance.createdAt().toString());
      ps.setString(7, instance.updatedAt().toString());
      ps.executeUpdate();
    }
  }

  /** Stores the instance's ring, labels, assignment revision and update time. */
  static void update(Connection c, Instance instance) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE instances SET ring = ?, labels = ?, assignment_revision = ?, updated_at = ? WHERE id = ?")) {
      ps.setString(1, instance.ring());
      ps.setString(2, StoredJson.labelsText(instance.labels()));
      ps.setLong(3, instance.assignmentRevision());
      ps.setString(4, instance.updatedAt().toString());
      ps.setString(5, instance.id());
      ps.executeUpdate();
    }
  }

  static void replaceCredential(Connection c, String id, String credentialHash, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE instances SET credential_hash = ?, updated_at = ? WHERE id = ?")) {
      ps.setString(1, credentialHash);
      ps.setString(2, now.toString());
      ps.setString(3, id);
      ps.executeUpdate();
    }
  }

  /**
   * Raises the assignment revision of these instances to {@code revision}: their documents changed
   * without a layer publish, and their effective revision must still go up.
   */
  public static void bumpAssignment(Connection c, Collection<String> ids, long revision)
      throws SQLException {
    try (PreparedStatement bump =
        c.prepareStatement("UPDATE instances SET assignment_revision = ? WHERE id = ?")) {
      for (String id : ids) {
        bump.setLong(1, revision);
        bump.setString(2, id);
        bump.executeUpdate();
      }
    }
  }
}
