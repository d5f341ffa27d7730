package io.holdfast.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.testkit.ManualTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on the real PostgreSQL at 127.0.0.1:5432 (user {@code postgres}, trust auth).
 * Each test gets its own database, copied from a template migrated once for this run, and every
 * database is dropped afterwards. An unreachable server fails these tests; it never skips them.
 */
class PostgresConfigStoreTest extends ConfigStoreContract {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String RUN =
      "holdfast_store_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final List<String> CREATED = new ArrayList<>();

  private final ManualTime time = new ManualTime(START);
  private String current;

  @BeforeAll
  static void template() throws SQLException {
    admin("CREATE DATABASE " + RUN + "_template");
    CREATED.add(RUN + "_template");
    Database.open(url(RUN + "_template"), Duration.ofSeconds(5)).close();
  }

  @AfterAll
  static void dropDatabases() throws SQLException {
    for (String database : CREATED) {
      admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  static String url(String database) {
    return SERVER + database + "?user=postgres";
  }

  static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url("postgres"));
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  protected ConfigStore newStore() {
    current = RUN + "_" + CREATED.size();
    try {
      admin("CREATE DATABASE " + current + " TEMPLATE " + RUN + "_template");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a test database on PostgreSQL at 127.0.0.1:5432", e);
    }
    CREATED.add(current);
    return reopen();
  }

  @Override
  protected ConfigStore reopen() {
    return new JdbcConfigStore(Database.open(url(current), Duration.ofSeconds(5)), time.clock());
  }

  @Override
  protected void executeSql(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(current));
        Statement statement = c.createStatement()) {
      statement.executeUpdate(sql);
    }
  }

  @Test
  void theUrlSelectsPostgres_withItsOwnMigrations() {
    Database database = Database.open(url(current), Duration.ofSeconds(5));
    try {
      assertThat(database.dialect()).isEqualTo(Database.Dialect.POSTGRESQL);
    } finally {
      database.close();
    }
  }
}
