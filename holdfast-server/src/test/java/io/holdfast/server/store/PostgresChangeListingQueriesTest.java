package io.holdfast.server.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ChangeListingQueriesTest} on the real PostgreSQL at 127.0.0.1:5432, each test in a
 * database of its own, dropped afterwards. Fails, never skips, without the server.
 */
class PostgresChangeListingQueriesTest extends ChangeListingQueriesTest {

  @RegisterExtension
  static final PostgresTestDatabases DATABASES = new PostgresTestDatabases("holdfast_listing");

  @Override
  Database openDatabase() {
    return DATABASES.open();
  }
}
