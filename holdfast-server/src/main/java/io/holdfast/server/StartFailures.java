package io.holdfast.server;

import io.holdfast.server.config.JdbcUrls;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.datadir.UnsafePermissionsException;
import io.holdfast.server.edge.EdgeServer;
import io.holdfast.server.signing.ReplicaSigningKey;
import io.holdfast.server.store.Database;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The steps of a replica's start that fail for reasons an operator must fix (the database, the
 * signing key, the ports), each failure turned into a {@link ReplicaStartException} whose message
 * is one line naming what failed and where, with secrets redacted. Stateless.
 */
final class StartFailures {

  private StartFailures() {}

  static Database openDatabase(ServerConfig config) {
    try {
      return Database.open(config.jdbcUrl(), config.storeTimeout());
    } catch (RuntimeException e) {
      throw new ReplicaStartException(
          "cannot open the database " + JdbcUrls.redact(config.jdbcUrl()) + ": " + reason(e), e);
    }
  }

  static ReplicaSigningKey signingKey(ServerConfig config, Clock clock) {
    try {
      return ReplicaSigningKey.load(config.signingKey(), clock);
    } catch (UnsafePermissionsException e) {
      throw e; // already one line, and the CLI gives it an exit status of its own
    } catch (RuntimeException e) {
      // The outer message names the file again; the innermost says what is wrong with it.
      Throwable innermost = e;
      while (innermost.getCause() != null) {
        innermost = innermost.getCause();
      }
      throw new ReplicaStartException(
          "cannot use the signing key " + config.signingKey() + ": " + reason(innermost), e);
    }
  }

  /**
   * Runs {@code start}, which binds the instance and management ports. The ports are tried first:
   * Helidon reports a port it cannot bind with an ERROR and a stack trace of its own, where one
   * line naming the port is what an operator needs. Should a port be taken between the two, the
   * failure is explained the same way.
   */
  static EdgeServer listen(ServerConfig config, Supplier<EdgeServer> start) {
    requireFreePorts(config, null);
    try {
      return start.get();
    } catch (RuntimeException e) {
      requireFreePorts(config, e);
      throw new ReplicaStartException(cannotListen(config) + reason(e), e);
    }
  }

  private static void requireFreePorts(ServerConfig config, RuntimeException cause) {
    List<String> taken = new ArrayList<>();
    if (taken(config.host(), config.port())) {
      taken.add(config.host() + ":" + config.port() + " (port)");
    }
    if (taken(config.host(), config.managementPort())) {
      taken.add(config.host() + ":" + config.managementPort() + " (management-port)");
    }
    if (!taken.isEmpty()) {
      throw new ReplicaStartException(
          cannotListen(config) + "already in use: " + String.join(", ", taken), cause);
    }
  }

  private static String cannotListen(ServerConfig config) {
    return "cannot listen on "
        + config.host()
        + ":"
        + config.port()
        + " and management port "
        + config.managementPort()
        + ": ";
  }

  /**
   * Whether another process holds {@code port} now (a free port is bound for a moment and let go).
   */
  @SuppressWarnings("try") // the socket is only bound and closed
  private static boolean taken(String host, int port) {
    if (port == 0) {
      return false;
    }
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * The first line of the failure's message (or its cause's, or its type), with secrets redacted.
   */
  static String reason(Throwable failure) {
    Throwable t = failure;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
    int newline = message.indexOf('\n');
    return JdbcUrls.redact(newline < 0 ? message : message.substring(0, newline));
  }
}
