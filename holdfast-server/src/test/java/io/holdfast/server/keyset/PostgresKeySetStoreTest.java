package io.holdfast.server.keyset;

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
 * {@link KeySetStoreContract} on the real PostgreSQL at 127.0.0.1:5432, a database of its own per
 * test, dropped afterwards: concurrent publishers are serialised by the advisory write lock there.
 * Fails, never skips, without the server.
 */
class PostgresKeySetStoreTest extends KeySetStoreContract {

  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String RUN =
      "holdfast_keysets_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final List<String> CREATED = new ArrayList<>();

  @Override
  Database openDatabase() {
    String name = RUN + "_" + CREATED.size();
    try {
      admin("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a test database on PostgreSQL at 127.0.0.1:5432", e);
    }
    CREATED.add(name);
    return Database.open(SERVER + name + "?user=postgres", Duration.ofSeconds(5));
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(SERVER + "postgres?user=postgres");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }

  @AfterAll
  static void dropDatabases() throws SQLException {
    for (String database : CREATED) {
      admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }
}
