package io.holdfast.client.seats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

/**
 * What differs between the databases {@link JdbcSeatStore} supports: how a transaction that will
 * assign a seat begins, and how it serialises with others assigning seats for the same application.
 * The seat table itself and the conditional insert are the same on both.
 */
enum SqlDialect {

  /**
   * SQLite has one writer at a time. {@code BEGIN IMMEDIATE} takes the write lock before the
   * transaction reads anything, so the holder check, the count and the insert all see the state no
   * other writer can change until commit; waiting for the lock is bounded by {@code busy_timeout}.
   */
  SQLITE {
    @Override
    void prepare(Connection connection, Duration lockTimeout) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        // Per connection, so set on each: a pooled connection may have been set otherwise.
        statement.execute("PRAGMA busy_timeout = " + lockTimeout.toMillis());
      }
    }

    @Override
    void begin(Connection connection, Duration lockTimeout) throws SQLException {
      // The driver must not have begun a deferred transaction of its own: ours takes the lock.
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        statement.execute("BEGIN IMMEDIATE");
      }
    }

    @Override
    void lockApplication(Connection connection, String lockTable, String application) {
      // BEGIN IMMEDIATE already holds the database's only write lock.
    }

    @Override
    void commit(Connection connection) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute("COMMIT");
      }
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute("ROLLBACK");
      }
    }

    @Override
    String lockTableDdl(String lockTable) {
      return null;
    }
  },

  /**
   * Under READ COMMITTED two transactions can both count N - 1 seats and both insert, since neither
   * sees the other's uncommitted row: the conditional insert alone overshoots. So each assignment
   * first locks its application's row in a lock table ({@code SELECT ... FOR UPDATE}); the next
   * assigner for that application waits for the commit, then counts afresh (each READ COMMITTED
   * statement takes a new snapshot). Other applications are not blocked. Waiting is bounded by
   * {@code lock_timeout}.
   */
  POSTGRESQL {
    @Override
    void prepare(Connection connection, Duration lockTimeout) {
      // lock_timeout is set per assignment transaction (SET LOCAL), leaving the session as it was.
    }

    @Override
    void begin(Connection connection, Duration lockTimeout) throws SQLException {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'");
      }
    }

    @Override
    void lockApplication(Connection connection, String lockTable, String application)
        throws SQLException {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO "
                  + lockTable
                  + " (application) VALUES (?) ON CONFLICT (application) DO NOTHING")) {
        insert.setString(1, application);
        insert.executeUpdate();
      }
      try (PreparedStatement lock =
          connection.prepareStatement(
              "SELECT application FROM " + lockTable + " WHERE application = ? FOR UPDATE")) {
        lock.setString(1, application);
        lock.executeQuery().close();
      }
    }

    @Override
    void commit(Connection connection) throws SQLException {
      connection.commit();
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      connection.rollback();
    }

    @Override
    String lockTableDdl(String lockTable) {
      return "CREATE TABLE IF NOT EXISTS " + lockTable + " (application VARCHAR(255) PRIMARY KEY)";
    }
  };

  /** Readies a borrowed connection for any of the store's statements. */
  abstract void prepare(Connection connection, Duration lockTimeout) throws SQLException;

  /** Begins the transaction in which one seat is assigned. */
  abstract void begin(Connection connection, Duration lockTimeout) throws SQLException;

  /** Serialises this transaction with others assigning seats for the same application. */
  abstract void lockApplication(Connection connection, String lockTable, String application)
      throws SQLException;

  abstract void commit(Connection connection) throws SQLException;

  abstract void rollback(Connection connection) throws SQLException;

  /** The lock table's DDL, or {@code null} if the dialect needs none. */
  abstract String lockTableDdl(String lockTable);

  /** The dialect for a database product name as JDBC reports it. */
  static SqlDialect of(String productName) {
    String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (name.equals("sqlite")) {
      return SQLITE;
    }
    if (name.equals("postgresql")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported database '"
            + productName
            + "': the seat store supports SQLite and PostgreSQL");
  }
}
