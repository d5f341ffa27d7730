package io.holdfast.server.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link UnreportedRingRolloutTest} on the real PostgreSQL at 127.0.0.1:5432, each test in a
 * database of its own, dropped afterwards. Fails, never skips, without the server.
 */
class PostgresUnreportedRingRolloutTest extends UnreportedRingRolloutTest {

  @RegisterExtension
  static final PostgresTestDatabases DATABASES = new PostgresTestDatabases("holdfast_unreported");

  @Override
  Database openDatabase() {
    return DATABASES.open();
  }
}
