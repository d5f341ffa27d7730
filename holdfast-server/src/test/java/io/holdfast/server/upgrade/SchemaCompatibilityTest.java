package io.holdfast.server.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.server.HoldfastServer;
import io.holdfast.server.ReplicaStartException;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replica runs on a store that the next release migrated (expand-only), and refuses one that a
 * later release contracted, on SQLite and on PostgreSQL. The later releases are played by test-only
 * migrations (db/future/) applied to the store beside the real ones.
 */
class SchemaCompatibilityTest {

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String RUN =
      "holdfast_schema_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final List<String> CREATED = new ArrayList<>();

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aNewStore_isAtThisReplicasSchema_whichRunsReplicasOfThePreviousReleaseToo(String dialect)
      throws Exception {
    String url = store(dialect);
    try (Database database = Database.open(url, Duration.ofSeconds(5))) {
      int highest = highestMigration(dialect);
      assertThat(database.schema()).isEqualTo(new SchemaVersions(highest, highest));
      assertThat(database.schema().storeAhead()).isFalse();
      // Which release's schema exactly is MigrationRuleTest's to check, against the release tag.
      assertThat(query(url, "SELECT oldest_replica_schema FROM schema_compatibility"))
          .as("replicas of an earlier release run on it")
          .isBetween(1L, highest - 1L);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aStoreTheNextReleaseExpanded_isRunOnAsOneCompatibleStep(String dialect) throws Exception {
    String url = store(dialect);
    Database.open(url, Duration.ofSeconds(5)).close();
    laterRelease(url, dialect, "expand");
    int highest = highestMigration(dialect);

    try (Database database = Database.open(url, Duration.ofSeconds(5))) {
      assertThat(database.schema()).isEqualTo(new SchemaVersions(highest, highest + 1));
      assertThat(database.schema().storeAhead()).isTrue();
    }
    assertThat(query(url, "SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history"))
        .as("the later migration stays applied")
        .isEqualTo(highest + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aStoreALaterReleaseContracted_isRefused_namingBothSchemas_andLeftAsItWas(String dialect)
      throws Exception {
    String url = store(dialect);
    Database.open(url, Duration.ofSeconds(5)).close();
    laterRelease(url, dialect, "contract");
    int highest = highestMigration(dialect);
    long historyBefore = query(url, "SELECT COUNT(*) FROM flyway_schema_history");

    assertThatThrownBy(() -> Database.open(url, Duration.ofSeconds(5)))
        .isInstanceOf(SchemaTooNewException.class)
        .hasMessage(
            "the database's schema is at version "
                + (highest + 1)
                + " and runs only replicas that understand schema "
                + (highest + 1)
                + " or newer; this replica understands schema "
                + highest
                + ": upgrade it to the release the other replicas run (docs/operations.md,"
                + " Upgrading Holdfast)");
    assertThat(query(url, "SELECT COUNT(*) FROM flyway_schema_history")).isEqualTo(historyBefore);
  }

  @Test
  void aReplica_refusesToStartOnAContractedStore_inOneLineForTheOperator() throws Exception {
    String url = store("sqlite");
    Database.open(url, Duration.ofSeconds(5)).close();
    laterRelease(url, "sqlite", "contract");

    assertThatThrownBy(
            () ->
                HoldfastServer.start(
                    ServerConfig.builder(dir.resolve("replica")).port(0).jdbcUrl(url).build()))
        .isInstanceOf(ReplicaStartException.class)
        .hasMessageStartingWith("cannot open the database jdbc:sqlite:")
        .hasMessageContaining("runs only replicas that understand schema")
        .hasMessageNotContaining("\n");
  }

  /** Applies a later release's test migration (expand or contract) on top of the real ones. */
  private static void laterRelease(String url, String dialect, String kind) {
    Flyway.configure()
        .dataSource(url, null, null)
        .locations(
            "classpath:db/migration/" + dialect, "classpath:db/future/" + dialect + "-" + kind)
        .load()
        .migrate();
  }

  private String store(String dialect) throws SQLException {
    if (dialect.equals("sqlite")) {
      return "jdbc:sqlite:" + dir.resolve("holdfast.db");
    }
    String name = RUN + "_" + CREATED.size();
    admin("CREATE DATABASE " + name);
    CREATED.add(name);
    return POSTGRES + name + "?user=postgres";
  }

  private static int highestMigration(String dialect) throws IOException {
    Path folder = Path.of("src/main/resources/db/migration", dialect);
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.matches("V\\d+__.*\\.sql"))
          .mapToInt(f -> Integer.parseInt(f.substring(1, f.indexOf("__"))))
          .max()
          .orElseThrow();
    }
  }

  private static long query(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement statement = c.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }

  @AfterAll
  static void dropDatabases() throws SQLException {
    for (String database : CREATED) {
      admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres?user=postgres");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }
}
