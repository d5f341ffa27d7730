package io.holdfast.server.store;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * New, migrated databases on the real PostgreSQL at 127.0.0.1:5432, one per {@link #open()}, named
 * after the test class's prefix and a random run id so that concurrent runs never share one.
 * Registered as a static extension of a test class, it drops every database it made once the class
 * is done. Opening fails, never skips, without the server. Not thread-safe.
 */
final class PostgresTestDatabases implements AfterAllCallback {

  private final String run;
  private final List<String> created = new ArrayList<>();

  PostgresTestDatabases(String prefix) {
    this.run = prefix + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  /** A new, empty database, migrated as a replica would migrate it. */
  Database open() {
    String name = run + "_" + created.size();
    try {
      PostgresConfigStoreTest.admin("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a test database on PostgreSQL at 127.0.0.1:5432", e);
    }
    created.add(name);
    return Database.open(PostgresConfigStoreTest.url(name), Duration.ofSeconds(5));
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    for (String database : created) {
      PostgresConfigStoreTest.admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
    created.clear();
  }
}
