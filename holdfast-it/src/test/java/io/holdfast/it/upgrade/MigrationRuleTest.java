package io.holdfast.it.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Migrations only expand within a release step (issue 23): every migration added since the previous
 * release (newer than the schema {@code RELEASES} records for it) is read and refused if it drops,
 * renames, or adds a column NOT NULL without a default; and the floor of replicas that may run on
 * the schema never rises above the previous release's schema, so that release's replicas keep
 * running beside this one.
 */
class MigrationRuleTest {

  private static final String MIGRATIONS = "holdfast-server/src/main/resources/db/migration/";

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void migrationsAddedSinceThePreviousRelease_onlyExpand(String dialect) throws IOException {
    ReleaseHistory history = ReleaseHistory.here();
    ReleaseHistory.Release previous = history.previous();
    List<Path> migrations =
        MigrationRule.migrations(history.repository().resolve(MIGRATIONS + dialect));
    assertThat(migrations.stream().map(m -> MigrationRule.version(m.getFileName().toString())))
        .as("the migrations up to the previous release %s", previous)
        .contains(previous.schema());
    List<String> problems = new ArrayList<>();
    for (Path migration : migrations) {
      String name = migration.getFileName().toString();
      if (MigrationRule.version(name) <= previous.schema()) {
        continue;
      }
      String sql = Files.readString(migration);
      List<String> contractions = MigrationRule.contractions(sql);
      if (!contractions.isEmpty() && !MigrationRule.contraction(sql)) {
        contractions.forEach(c -> problems.add(name + ": " + c));
      }
    }
    assertThat(problems)
        .as(
            "migrations since %s that do not only expand (a contraction comes a release later,"
                + " marked %s, raising the floor: docs/operations.md)",
            previous.version(), MigrationRule.CONTRACTION_MARK)
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void theFloorOfReplicasThatMayRun_letsThePreviousReleaseRun_andRisesToItForAContraction(
      String dialect) throws IOException {
    ReleaseHistory history = ReleaseHistory.here();
    String previous = history.previous().version();
    int previousSchema = history.previous().schema();
    OptionalInt floor = OptionalInt.empty();
    boolean contractedSinceRelease = false;
    for (Path migration :
        MigrationRule.migrations(history.repository().resolve(MIGRATIONS + dialect))) {
      String sql = Files.readString(migration);
      OptionalInt written = MigrationRule.floorWritten(sql);
      if (written.isPresent()) {
        floor = written;
      }
      if (MigrationRule.version(migration.getFileName().toString()) > previousSchema
          && MigrationRule.contraction(sql)) {
        contractedSinceRelease = true;
      }
    }
    assertThat(floor).as("schema_compatibility is written by a migration").isPresent();
    if (contractedSinceRelease) {
      assertThat(floor.getAsInt())
          .as("a contraction shuts out the releases before %s", previous)
          .isEqualTo(previousSchema);
    } else {
      assertThat(floor.getAsInt())
          .as("replicas of %s (schema %d) run on this schema", previous, previousSchema)
          .isLessThanOrEqualTo(previousSchema);
    }
  }

  @Test
  void theRule_refusesDropsRenamesAndNotNullColumnsWithoutDefault_andAcceptsExpansions() {
    assertThat(MigrationRule.contractions("DROP TABLE rings;")).hasSize(1);
    assertThat(MigrationRule.contractions("alter table rings drop column gate;")).hasSize(1);
    assertThat(MigrationRule.contractions("DROP INDEX blackouts_by_target;")).hasSize(1);
    assertThat(MigrationRule.contractions("ALTER TABLE rings RENAME COLUMN gate TO policy;"))
        .hasSize(1);
    assertThat(MigrationRule.contractions("ALTER TABLE rings RENAME TO ring_table;")).hasSize(1);
    assertThat(MigrationRule.contractions("ALTER TABLE rings ADD COLUMN weight INTEGER NOT NULL;"))
        .hasSize(1);
    assertThat(
            MigrationRule.contractions(
                "ALTER TABLE rings\n  ADD COLUMN weight INTEGER\n  NOT NULL;"))
        .as("across lines")
        .hasSize(1);

    assertThat(
            MigrationRule.contractions(
                "-- we never DROP anything here\n"
                    + "ALTER TABLE rings ADD COLUMN weight INTEGER NOT NULL DEFAULT 0;\n"
                    + "ALTER TABLE rings ADD COLUMN note TEXT;\n"
                    + "CREATE TABLE notes (id INTEGER NOT NULL PRIMARY KEY, body TEXT NOT NULL);\n"
                    + "CREATE INDEX notes_by_body ON notes (body);"))
        .isEmpty();
    assertThat(
            MigrationRule.floorWritten(
                "UPDATE schema_compatibility SET oldest_replica_schema = 12;"))
        .hasValue(12);
    assertThat(
            MigrationRule.floorWritten(
                "INSERT INTO schema_compatibility (id, oldest_replica_schema) VALUES (1, 8);"))
        .hasValue(8);
    assertThat(MigrationRule.floorWritten("CREATE TABLE x (id INTEGER);")).isEmpty();
  }
}
