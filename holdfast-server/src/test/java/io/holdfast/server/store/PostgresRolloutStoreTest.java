package io.holdfast.server.store;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;

/**
 * Every rollout store test of {@link JdbcRolloutStoreTest} on the real PostgreSQL at
 * 127.0.0.1:5432, each in a database of its own, dropped afterwards: the same releases, races,
 * fencing and holds, with writes serialised by the advisory lock instead of SQLite's single writer.
 * Fails, never skips, without the server.
 */
class PostgresRolloutStoreTest extends JdbcRolloutStoreTest {

  private static final String RUN =
      "holdfast_rollouts_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final List<String> CREATED = new ArrayList<>();

  @Override
  Database openDatabase() {
    String name = RUN + "_" + CREATED.size();
    try {
      PostgresConfigStoreTest.admin("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a test database on PostgreSQL at 127.0.0.1:5432", e);
    }
    CREATED.add(name);
    return Database.open(PostgresConfigStoreTest.url(name), Duration.ofSeconds(5));
  }

  @AfterAll
  static void dropDatabases() throws SQLException {
    for (String database : CREATED) {
      PostgresConfigStoreTest.admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }
}
