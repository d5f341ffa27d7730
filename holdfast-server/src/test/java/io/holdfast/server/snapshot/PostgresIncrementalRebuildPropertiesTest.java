package io.holdfast.server.snapshot;

import io.holdfast.server.store.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link IncrementalRebuildPropertiesTest} on the real PostgreSQL at 127.0.0.1:5432, with fewer
 * seeds: what differs there is the SQL of the delta read, not the builder.
 */
class PostgresIncrementalRebuildPropertiesTest extends IncrementalRebuildPropertiesTest {

  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String RUN =
      "holdfast_incremental_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final List<String> CREATED = new ArrayList<>();

  @Override
  Database openDatabase(long seed) {
    String name = RUN + "_" + seed;
    try {
      admin("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a test database on PostgreSQL at 127.0.0.1:5432", e);
    }
    CREATED.add(name);
    return Database.open(SERVER + name + "?user=postgres", Duration.ofSeconds(5));
  }

  @Override
  long[] seeds() {
    return new long[] {101, 102, 103};
  }

  @AfterAll
  static void dropDatabases() throws SQLException {
    for (String database : CREATED) {
      admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(SERVER + "postgres?user=postgres");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }
}
