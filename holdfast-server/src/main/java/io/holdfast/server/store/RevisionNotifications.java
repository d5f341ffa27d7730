package io.holdfast.server.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On PostgreSQL, hears of every revision any replica commits ({@code LISTEN}), and runs a callback
 * at once, so that a publish through one replica is served by the others without waiting for their
 * next poll. The poll stays as the safety net: a notification lost while this connection was down
 * is caught up by it.
 *
 * <p>One daemon thread with its own connection (outside the pools, which recycle connections and
 * would drop the {@code LISTEN}); it reconnects with a growing pause when the database goes away,
 * and runs the callback once after reconnecting for what it may have missed.
 */
public final class RevisionNotifications implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RevisionNotifications.class);

  /** The channel {@link RevisionLog} notifies on. */
  public static final String CHANNEL = "holdfast_revisions";

  private static final int WAIT_MILLIS = 1000;
  private static final Duration PING_AFTER = Duration.ofSeconds(10);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(10);

  private final String jdbcUrl;
  private final Duration timeout;
  private final Runnable onRevision;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection connection;

  private RevisionNotifications(String jdbcUrl, Duration timeout, Runnable onRevision) {
    this.jdbcUrl = jdbcUrl;
    this.timeout = timeout;
    this.onRevision = onRevision;
    this.thread =
        Thread.ofPlatform().daemon().name("holdfast-revision-listener").unstarted(this::run);
  }

  /**
   * Starts listening on the database behind {@code jdbcUrl}; {@code onRevision} must not block for
   * long.
   */
  public static RevisionNotifications start(String jdbcUrl, Duration timeout, Runnable onRevision) {
    RevisionNotifications notifications = new RevisionNotifications(jdbcUrl, timeout, onRevision);
    notifications.thread.start();
    return notifications;
  }

  private void run() {
    Duration pause = Duration.ofMillis(250);
    boolean failing = false;
    while (!closed) {
      try (Connection c = connect()) {
        connection = c;
        try (Statement listen = c.createStatement()) {
          listen.execute("LISTEN " + CHANNEL);
        }
        if (failing) {
          LOG.info("listening for revisions again");
        }
        failing = false;
        pause = Duration.ofMillis(250);
        onRevision.run(); // whatever was committed while not listening
        PGConnection pg = c.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
          if (notifications != null && notifications.length > 0) {
            onRevision.run();
            quietSince = System.nanoTime();
          } else if (System.nanoTime() - quietSince > PING_AFTER.toNanos()) {
            // getNotifications treats its own wait running out as "nothing yet", so a connection
            // that died without a reset would look quiet forever: ask the server something.
            try (Statement ping = c.createStatement()) {
              ping.execute("SELECT 1");
            }
            quietSince = System.nanoTime();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        if (!failing) {
          LOG.warn(
              "not listening for revisions ({}); the poll carries on, retrying", e.getMessage());
        }
        failing = true;
        try {
          Thread.sleep(pause.toMillis()); // a reconnect pause on a daemon thread, not a test wait
        } catch (InterruptedException interrupted) {
          return;
        }
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      } finally {
        connection = null;
      }
    }
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    long seconds = Math.max(1, timeout.toSeconds());
    properties.setProperty("connectTimeout", String.valueOf(seconds));
    // A dead server shows up as this read timeout on the periodic ping.
    properties.setProperty("socketTimeout", String.valueOf(2 * seconds + 5));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "holdfast-listener");
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  @Override
  public void close() {
    closed = true;
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // Closing anyway.
      }
    }
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
