package io.holdfast.server.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link WindowedRolloutTest} on the real PostgreSQL at 127.0.0.1:5432, each test in a database of
 * its own, dropped afterwards. Fails, never skips, without the server.
 */
class PostgresWindowedRolloutTest extends WindowedRolloutTest {

  @RegisterExtension
  static final PostgresTestDatabases DATABASES = new PostgresTestDatabases("holdfast_windows");

  @Override
  Database openDatabase() {
    return DATABASES.open();
  }
}
