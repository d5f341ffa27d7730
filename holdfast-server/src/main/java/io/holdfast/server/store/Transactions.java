package io.holdfast.server.store;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The transaction discipline every JDBC store follows: reads on the reader pool, writes in one
 * transaction on the writer pool that commits completely or rolls back completely. A failing
 * database becomes {@link StoreUnavailableException}; a unique or check constraint that a
 * concurrent writer tripped becomes {@code ALREADY_EXISTS}. Thread-safe.
 */
public final class Transactions {

  /** Work on a connection; the transaction around it is the caller's. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * The key of the advisory lock every PostgreSQL write transaction takes first: one lock for all
   * writes of every replica, as SQLite has one writer. ("HOLDFAST" in ASCII, as a number.)
   */
  static final long WRITE_LOCK = 0x484F4C4446415354L;

  private final Database database;

  public Transactions(Database database) {
    this.database = database;
  }

  public <T> T read(SqlWork<T> work) {
    try (Connection c = database.reader().getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  /**
   * A read that must see one consistent state across several queries. SQLite's deferred read
   * transaction gives that by itself; PostgreSQL's default (READ COMMITTED) gives each statement
   * its own view, so there the transaction is REPEATABLE READ: a snapshot built from layers of one
   * moment and rollouts of the next could serve a lower revision than before.
   */
  public <T> T readTransaction(SqlWork<T> work) {
    try (Connection c = database.reader().getConnection()) {
      boolean postgres = database.dialect() == Database.Dialect.POSTGRESQL;
      c.setAutoCommit(false);
      if (postgres) {
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
      }
      try {
        return work.run(c);
      } finally {
        c.rollback();
        if (postgres) {
          c.setReadOnly(false);
          c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  public <T> T write(SqlWork<T> work) {
    try (Connection c = database.writer().getConnection()) {
      c.setAutoCommit(false);
      try {
        if (database.dialect() == Database.Dialect.POSTGRESQL) {
          try (java.sql.PreparedStatement lock =
              c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, WRITE_LOCK);
            lock.execute();
          }
        }
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      if (isConstraintViolation(e)) {
        // The driver's message names tables and constraints: the log may have it, the client not.
        throw new ProblemException(
            ProblemType.ALREADY_EXISTS,
            "a concurrent write created the same item; read it again",
            e);
      }
      throw unavailable(e);
    }
  }

  private static boolean isConstraintViolation(SQLException e) {
    String state = e.getSQLState();
    String message = String.valueOf(e.getMessage());
    return (state != null && state.startsWith("23")) || message.contains("SQLITE_CONSTRAINT");
  }

  private static StoreUnavailableException unavailable(SQLException e) {
    return new StoreUnavailableException("the store failed; nothing was written", e);
  }
}
