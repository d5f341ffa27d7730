package io.holdfast.server.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every rollout store test of {@link JdbcRolloutStoreTest} on the real PostgreSQL at
 * 127.0.0.1:5432, each in a database of its own, dropped afterwards: the same releases, races,
 * fencing and holds, with writes serialised by the advisory lock instead of SQLite's single writer.
 * Fails, never skips, without the server.
 */
class PostgresRolloutStoreTest extends JdbcRolloutStoreTest {

  @RegisterExtension
  static final PostgresTestDatabases DATABASES = new PostgresTestDatabases("holdfast_rollouts");

  @Override
  Database openDatabase() {
    return DATABASES.open();
  }
}
