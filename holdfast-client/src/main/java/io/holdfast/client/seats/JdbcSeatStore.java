package io.holdfast.client.seats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Seats in the tenant's own database, over JDBC: SQLite or PostgreSQL.
 *
 * <p>One row per seat in a table (default {@code holdfast_seats}) keyed by application and user,
 * created if absent when the store is built. {@link #tryAssign} runs in one transaction that is
 * serialised with every other assignment for the same application (see {@link SqlDialect} for how
 * on each database), and inserts with a conditional insert ({@code INSERT ... SELECT ... WHERE
 * (SELECT count(*) ...) < limit}) under the primary key, so the count and the insert are one
 * statement as well. There is no check-then-insert anywhere.
 *
 * <p>Thread-safe: each call borrows its own connection from the data source and gives it back. A
 * database error or a lock wait longer than {@code lockTimeout} throws {@link SeatStoreException},
 * with nothing assigned.
 */
public final class JdbcSeatStore implements SeatStore {

  /** Application and user names are stored as {@code VARCHAR(255)}. */
  public static final int MAX_NAME_LENGTH = 255;

  private static final System.Logger LOG = System.getLogger("io.holdfast.client.seats");
  private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,47}");

  private final DataSource dataSource;
  private final SqlDialect dialect;
  private final Duration lockTimeout;
  private final Clock clock;
  private final String table;
  private final String lockTable;
  private final String holdsSql;
  private final String assignSql;
  private final String releaseSql;
  private final String countSql;
  private final String countsSql;

  private JdbcSeatStore(Builder builder, SqlDialect dialect) {
    this.dataSource = builder.dataSource;
    this.dialect = dialect;
    this.lockTimeout = builder.lockTimeout;
    this.clock = builder.clock;
    this.table = builder.table;
    this.lockTable = table + "_applications";
    this.holdsSql = "SELECT 1 FROM " + table + " WHERE application = ? AND user_id = ?";
    this.assignSql =
        "INSERT INTO "
            + table
            + " (application, user_id, assigned_at) SELECT ?, ?, ?"
            + " WHERE (SELECT COUNT(*) FROM "
            + table
            + " WHERE application = ?) < ?"
            + " ON CONFLICT (application, user_id) DO NOTHING";
    this.releaseSql = "DELETE FROM " + table + " WHERE application = ? AND user_id = ?";
    this.countSql = "SELECT COUNT(*) FROM " + table + " WHERE application = ?";
    this.countsSql = "SELECT application, COUNT(*) FROM " + table + " GROUP BY application";
  }

  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  @Override
  public boolean holds(String application, String user) {
    requireName(application, "application");
    requireName(user, "user");
    return withConnection(
        "could not read whether '" + user + "' holds a seat for '" + application + "'",
        connection -> holds(connection, application, user));
  }

  @Override
  public Assignment tryAssign(String application, String user, long limit) {
    requireName(application, "application");
    requireName(user, "user");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    return withConnection(
        "could not assign '" + user + "' a seat for '" + application + "'",
        connection -> {
          boolean autoCommit = connection.getAutoCommit();
          try {
            return assign(connection, application, user, limit);
          } finally {
            connection.setAutoCommit(autoCommit);
          }
        });
  }

  private Assignment assign(Connection connection, String application, String user, long limit)
      throws SQLException {
    dialect.begin(connection, lockTimeout);
    try {
      dialect.lockApplication(connection, lockTable, application);
      Assignment assignment;
      if (holds(connection, application, user)) {
        assignment = Assignment.ALREADY_HELD;
      } else {
        try (PreparedStatement insert = connection.prepareStatement(assignSql)) {
          insert.setString(1, application);
          insert.setString(2, user);
          insert.setLong(3, clock.millis());
          insert.setString(4, application);
          insert.setLong(5, limit);
          assignment = insert.executeUpdate() == 1 ? Assignment.ASSIGNED : Assignment.LIMIT_REACHED;
        }
      }
      dialect.commit(connection);
      return assignment;
    } catch (SQLException | RuntimeException e) {
      try {
        dialect.rollback(connection);
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  @Override
  public boolean release(String application, String user) {
    requireName(application, "application");
    requireName(user, "user");
    return withConnection(
        "could not release the seat of '" + user + "' for '" + application + "'",
        connection -> {
          try (PreparedStatement delete = connection.prepareStatement(releaseSql)) {
            delete.setString(1, application);
            delete.setString(2, user);
            return delete.executeUpdate() > 0;
          }
        });
  }

  @Override
  public long count(String application) {
    requireName(application, "application");
    return withConnection(
        "could not count the seats for '" + application + "'",
        connection -> {
          try (PreparedStatement query = connection.prepareStatement(countSql)) {
            query.setString(1, application);
            try (ResultSet rows = query.executeQuery()) {
              rows.next();
              return rows.getLong(1);
            }
          }
        });
  }

  @Override
  public Map<String, Long> counts() {
    return withConnection(
        "could not count the seats",
        connection -> {
          Map<String, Long> counts = new TreeMap<>();
          try (Statement query = connection.createStatement();
              ResultSet rows = query.executeQuery(countsSql)) {
            while (rows.next()) {
              counts.put(rows.getString(1), rows.getLong(2));
            }
          }
          return counts;
        });
  }

  /** One piece of work on a borrowed connection. */
  private interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Borrows a connection, does the work and gives it back. A data source configured without
   * auto-commit (as pools can be) gets its transaction committed here, so a release is durable and
   * no read leaves a transaction open on a pooled connection.
   */
  private <T> T withConnection(String failure, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      dialect.prepare(connection, lockTimeout);
      T result = work.run(connection);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return result;
    } catch (SQLException e) {
      throw new SeatStoreException(failure, e);
    }
  }

  private boolean holds(Connection connection, String application, String user)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(holdsSql)) {
      query.setString(1, application);
      query.setString(2, user);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static void requireName(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " is longer than "
              + MAX_NAME_LENGTH
              + " characters: '"
              + value.substring(0, 40)
              + "...'");
    }
  }

  /** Configures a {@link JdbcSeatStore}. Not thread-safe. */
  public static final class Builder {

    private final DataSource dataSource;
    private String table = "holdfast_seats";
    private Duration lockTimeout = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "data source");
    }

    /**
     * The seat table's name (default {@code holdfast_seats}); the lock table adds {@code
     * _applications}.
     */
    public Builder table(String name) {
      Objects.requireNonNull(name, "table");
      if (!TABLE.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "table must match " + TABLE.pattern() + ": '" + name + "'");
      }
      this.table = name;
      return this;
    }

    /**
     * How long an assignment waits for another one for the same application before giving up
     * (default 5 s): SQLite's {@code busy_timeout}, PostgreSQL's {@code lock_timeout}.
     */
    public Builder lockTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "lock timeout");
      if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "lock timeout must be positive and under 24 days: " + timeout);
      }
      this.lockTimeout = timeout;
      return this;
    }

    /** The clock that stamps {@code assigned_at} (default the system clock, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Detects the database, creates the tables if absent, and returns the store.
     *
     * @throws IllegalArgumentException if the database is neither SQLite nor PostgreSQL
     * @throws SeatStoreException if the database cannot be reached or the tables cannot be created
     */
    public JdbcSeatStore build() {
      try (Connection connection = dataSource.getConnection()) {
        SqlDialect dialect = SqlDialect.of(connection.getMetaData().getDatabaseProductName());
        JdbcSeatStore store = new JdbcSeatStore(this, dialect);
        dialect.prepare(connection, lockTimeout);
        store.createTables(connection);
        LOG.log(System.Logger.Level.DEBUG, "seat table {0} ready ({1})", table, dialect);
        return store;
      } catch (SQLException e) {
        throw new SeatStoreException("could not prepare the seat table '" + table + "'", e);
      }
    }
  }

  private void createTables(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " (application VARCHAR(255) NOT NULL, user_id VARCHAR(255) NOT NULL, assigned_at BIGINT NOT NULL,"
              + " PRIMARY KEY (application, user_id))");
      String lockDdl = dialect.lockTableDdl(lockTable);
      if (lockDdl != null) {
        statement.execute(lockDdl);
      }
    }
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
  }
}
