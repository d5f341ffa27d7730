package io.holdfast.server.upgrade;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Decides, before a replica migrates its store, whether it may run on it at all (issue 23).
 *
 * <p>Migrations between one release and the next only expand the schema (the rule in
 * docs/operations.md, enforced by {@code MigrationRuleTest}), so a replica of release N runs on a
 * store that release N+1 has already migrated: it ignores the tables and nullable columns it does
 * not know (Flyway skips the migrations it does not carry, as "future" ones). A contraction comes a
 * release later and raises {@code schema_compatibility.oldest_replica_schema} in the same
 * migration; a replica that understands less than that floor would meet a schema it misreads, and
 * refuses to start with a message naming both versions. Stateless.
 */
public final class SchemaCompatibility {

  private SchemaCompatibility() {}

  /**
   * The schema versions of {@code flyway}'s migrations and its store, before migrating.
   *
   * @throws SchemaTooNewException if the store's schema was contracted beyond this replica's
   */
  public static SchemaVersions check(Flyway flyway, DataSource store) {
    int understood = 0;
    int applied = 0;
    for (MigrationInfo migration : flyway.info().all()) {
      if (migration.getVersion() == null) {
        continue; // a repeatable migration: Holdfast has none
      }
      int version = Integer.parseInt(migration.getVersion().getVersion());
      MigrationState state = migration.getState();
      if (state.isResolved()) {
        understood = Math.max(understood, version);
      }
      if (state.isApplied() && !state.isFailed()) {
        applied = Math.max(applied, version);
      }
    }
    if (applied > understood) {
      int floor = oldestReplicaSchema(store, applied);
      if (floor > understood) {
        throw new SchemaTooNewException(
            "the database's schema is at version "
                + applied
                + " and runs only replicas that understand schema "
                + floor
                + " or newer; this replica understands schema "
                + understood
                + ": upgrade it to the release the other replicas run (docs/operations.md,"
                + " Upgrading Holdfast)");
      }
    }
    return new SchemaVersions(understood, Math.max(understood, applied));
  }

  /** The store's floor; a store migrated past this replica always has the table (V9). */
  private static int oldestReplicaSchema(DataSource store, int applied) {
    try (Connection connection = store.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery("SELECT oldest_replica_schema FROM schema_compatibility")) {
      if (!row.next()) {
        throw new SchemaTooNewException(
            "the database's schema is at version "
                + applied
                + " but says nothing of which replicas may run on it (schema_compatibility is"
                + " empty); refusing to start on it");
      }
      return row.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read which replicas the database's schema (version "
              + applied
              + ") runs: "
              + e.getMessage(),
          e);
    }
  }
}
