package io.holdfast.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.holdfast.server.config.JdbcUrls;
import io.holdfast.server.datadir.OwnerOnlyFiles;
import io.holdfast.server.upgrade.SchemaCompatibility;
import io.holdfast.server.upgrade.SchemaVersions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pools for one database, and its schema migrations.
 *
 * <p>SQLite allows one writer at a time, so writes go through a one-connection pool whose
 * transactions start {@code IMMEDIATE} (taking the write lock up front instead of failing on
 * upgrade), while reads use a separate pool of deferred transactions that WAL lets run beside the
 * writer.
 *
 * <p>PostgreSQL is shared by replicas on many hosts. Writes there are serialised across all of them
 * by a transaction-scoped advisory lock ({@link Transactions}), which gives the same guarantees
 * SQLite's single writer gives: revisions commit in order, the audit chain never forks, overlap
 * checks see every earlier write. Reads run beside them. Connections time out after the store
 * timeout, so a database that stops answering fails requests instead of holding them. Thread-safe.
 */
public final class Database implements AutoCloseable {

  /** The SQL dialects Holdfast speaks. */
  public enum Dialect {
    SQLITE,
    POSTGRESQL
  }

  private final String jdbcUrl;
  private final Dialect dialect;
  private final HikariDataSource writerPool;
  private final HikariDataSource readerPool;
  private final DataSource writer;
  private final DataSource reader;
  private final SchemaVersions schema;

  private Database(
      String jdbcUrl,
      Dialect dialect,
      SchemaVersions schema,
      HikariDataSource writer,
      HikariDataSource reader) {
    this(jdbcUrl, dialect, schema, writer, reader, writer, reader);
  }

  private Database(
      String jdbcUrl,
      Dialect dialect,
      SchemaVersions schema,
      HikariDataSource writerPool,
      HikariDataSource readerPool,
      DataSource writer,
      DataSource reader) {
    this.jdbcUrl = jdbcUrl;
    this.dialect = dialect;
    this.schema = schema;
    this.writerPool = writerPool;
    this.readerPool = readerPool;
    this.writer = writer;
    this.reader = reader;
  }

  /**
   * The same pools with both data sources seen through {@code view}, for tests that watch the
   * statements a store runs. Closing either database closes the pools of both.
   */
  Database viewedThrough(UnaryOperator<DataSource> view) {
    return new Database(
        jdbcUrl, dialect, schema, writerPool, readerPool, view.apply(writer), view.apply(reader));
  }

  /**
   * Opens the pools and brings the schema up to date.
   *
   * @throws IllegalArgumentException if the URL names a database Holdfast does not support
   * @throws io.holdfast.server.upgrade.SchemaTooNewException if a newer release contracted the
   *     schema beyond what this replica understands
   */
  public static Database open(String jdbcUrl, Duration busyTimeout) {
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return openPostgres(jdbcUrl, busyTimeout);
    }
    if (!jdbcUrl.startsWith("jdbc:sqlite:")) {
      throw new IllegalArgumentException(
          "unsupported JDBC URL (jdbc:sqlite:<file> and jdbc:postgresql://host/db are"
              + " supported): "
              + JdbcUrls.redact(jdbcUrl));
    }
    createParentDirectory(jdbcUrl);
    HikariDataSource writer =
        sqlitePool(jdbcUrl, "holdfast-store-writer", 1, "IMMEDIATE", busyTimeout);
    HikariDataSource reader = null;
    try {
      SchemaVersions schema = migrate(writer, "classpath:db/migration/sqlite");
      reader = sqlitePool(jdbcUrl, "holdfast-store-reader", 4, "DEFERRED", busyTimeout);
      return new Database(jdbcUrl, Dialect.SQLITE, schema, writer, reader);
    } catch (RuntimeException e) {
      writer.close();
      if (reader != null) {
        reader.close();
      }
      throw e;
    }
  }

  private static Database openPostgres(String jdbcUrl, Duration timeout) {
    HikariDataSource writer = postgresPool(jdbcUrl, "holdfast-store-writer", 4, timeout);
    HikariDataSource reader = null;
    try {
      SchemaVersions schema = migrate(writer, "classpath:db/migration/postgresql");
      reader = postgresPool(jdbcUrl, "holdfast-store-reader", 8, timeout);
      return new Database(jdbcUrl, Dialect.POSTGRESQL, schema, writer, reader);
    } catch (RuntimeException e) {
      writer.close();
      if (reader != null) {
        reader.close();
      }
      throw e;
    }
  }

  /**
   * Checks that this replica may run on the store's schema, then applies the migrations it lacks.
   * Migrations of a newer release that this replica does not carry are left alone (Flyway's default
   * ignores such "future" ones).
   */
  private static SchemaVersions migrate(DataSource writer, String location) {
    Flyway flyway = Flyway.configure().dataSource(writer).locations(location).load();
    SchemaVersions schema = SchemaCompatibility.check(flyway, writer);
    flyway.migrate();
    return schema;
  }

  private static HikariDataSource postgresPool(
      String jdbcUrl, String name, int size, Duration timeout) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(Math.max(250, timeout.toMillis()));
    config.setAutoCommit(true);
    // Seconds, as pgjdbc takes them: a host that does not answer fails the connection attempt,
    // and a query the server never answers fails too (twice the store timeout: long enough for
    // a write queued behind the advisory lock).
    long seconds = Math.max(1, timeout.toSeconds());
    config.addDataSourceProperty("connectTimeout", String.valueOf(seconds));
    config.addDataSourceProperty("socketTimeout", String.valueOf(2 * seconds + 1));
    config.addDataSourceProperty("tcpKeepAlive", "true");
    config.addDataSourceProperty("ApplicationName", "holdfast");
    // Fail start-up at once if the database is unreachable, with the driver's own message.
    config.setInitializationFailTimeout(1);
    return new HikariDataSource(config);
  }

  private static HikariDataSource sqlitePool(
      String jdbcUrl, String name, int size, String transactionMode, Duration busyTimeout) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(Math.max(250, busyTimeout.toMillis()));
    config.setAutoCommit(true);
    // Pragmas that sqlite-jdbc applies to every new connection.
    config.addDataSourceProperty("journal_mode", "WAL");
    // FULL: a committed publish survives power loss, not only a process crash.
    config.addDataSourceProperty("synchronous", "FULL");
    config.addDataSourceProperty("foreign_keys", "true");
    config.addDataSourceProperty("busy_timeout", String.valueOf(busyTimeout.toMillis()));
    config.addDataSourceProperty("transaction_mode", transactionMode);
    return new HikariDataSource(config);
  }

  private static void createParentDirectory(String jdbcUrl) {
    String file = jdbcUrl.substring("jdbc:sqlite:".length());
    int query = file.indexOf('?');
    if (query >= 0) {
      file = file.substring(0, query);
    }
    if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
      return;
    }
    Path parent = Path.of(file).toAbsolutePath().getParent();
    try {
      OwnerOnlyFiles.createDirectories(parent);
      // Created owner-only before SQLite opens it: SQLite gives the -wal and -shm files the
      // database file's mode, so all three stay private.
      OwnerOnlyFiles.createFile(Path.of(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create the database file " + file, e);
    }
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The schema this replica understands, and the store's when it opened. */
  public SchemaVersions schema() {
    return schema;
  }

  /** Connections for write transactions. */
  public DataSource writer() {
    return writer;
  }

  /** Connections for reads. */
  public DataSource reader() {
    return reader;
  }

  @Override
  public void close() {
    readerPool.close();
    writerPool.close();
  }
}
