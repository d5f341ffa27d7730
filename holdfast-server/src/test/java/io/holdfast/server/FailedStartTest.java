package io.holdfast.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.datadir.DataDirectoryLock;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.StoreUnavailableException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails says what failed in one line and stops everything it had started: the web
 * server lets go of its ports, the database pools close (SQLite removes its write-ahead log when
 * the last connection closes, so a leftover {@code -wal} file means a leaked connection), and the
 * data directory's lock is free, so the next start on the same directory and ports succeeds.
 */
class FailedStartTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path dataDir;

  private ServerConfig.Builder config(int port, int managementPort) {
    return ServerConfig.builder(dataDir)
        .port(port)
        .managementPort(managementPort)
        .adminToken("hfa_failed-start-test-token");
  }

  @Test
  void instancePortTaken_failsNamingIt_andFreesTheManagementPortThePoolAndTheDirectory()
      throws Exception {
    int management = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      ServerConfig config = config(taken.getLocalPort(), management).build();

      assertThatThrownBy(() -> HoldfastServer.start(config))
          .isInstanceOf(ReplicaStartException.class)
          .hasMessage(
              "cannot listen on 127.0.0.1:"
                  + taken.getLocalPort()
                  + " and management port "
                  + management
                  + ": already in use: 127.0.0.1:"
                  + taken.getLocalPort()
                  + " (port)");

      assertBindable(management);
      assertEverythingElseReleased();
    }
  }

  @Test
  void managementPortTaken_failsNamingIt_andFreesTheInstancePort() throws Exception {
    int port = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      ServerConfig config = config(port, taken.getLocalPort()).build();

      assertThatThrownBy(() -> HoldfastServer.start(config))
          .isInstanceOf(ReplicaStartException.class)
          .hasMessageEndingWith(
              "already in use: 127.0.0.1:" + taken.getLocalPort() + " (management-port)");

      assertBindable(port);
      assertEverythingElseReleased();
    }
  }

  @Test
  void storeFailingAtTheFirstSnapshot_failsSayingSo_andTheNextStartSucceeds() throws Exception {
    UnaryOperator<ConfigStore> firstSnapshotFails =
        store ->
            (ConfigStore)
                Proxy.newProxyInstance(
                    ConfigStore.class.getClassLoader(),
                    new Class<?>[] {ConfigStore.class},
                    (self, method, args) -> {
                      if (method
                          .getName()
                          .equals(
                              "currentRevision")) { // after initialisation, the first snapshot's
                        // read
                        throw new StoreUnavailableException(
                            "injected: the store failed", new SQLException("injected"));
                      }
                      try {
                        return method.invoke(store, args);
                      } catch (InvocationTargetException e) {
                        throw e.getCause();
                      }
                    });

    assertThatThrownBy(
            () -> HoldfastServer.start(config(0, 0).build(), Clock.systemUTC(), firstSnapshotFails))
        .isInstanceOf(ReplicaStartException.class)
        .hasMessage("the replica did not start: injected: the store failed");

    assertEverythingElseReleased();
  }

  @Test
  void unreadableSigningKey_failsNamingTheFile_andClosesTheDatabase() throws Exception {
    Path key = dataDir.resolve("signing-key.pem");
    Files.createDirectories(dataDir);
    Files.writeString(key, "not a key\n", StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(
        key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    ServerConfig config = config(freePort(), freePort()).build();

    assertThatThrownBy(() -> HoldfastServer.start(config))
        .isInstanceOf(ReplicaStartException.class)
        .hasMessageStartingWith("cannot use the signing key " + key + ": ")
        .hasMessageNotContaining("\n");

    Files.delete(key); // the next start creates a new one
    assertEverythingElseReleased();
  }

  @Test
  void unreachableDatabase_failsNamingItWithoutItsPassword_andFreesTheDirectory() {
    String url =
        "jdbc:postgresql://127.0.0.1:1/holdfast?user=postgres&password=hunter2-not-for-logs";
    ServerConfig config = config(0, 0).jdbcUrl(url).build();

    assertThatThrownBy(() -> HoldfastServer.start(config))
        .isInstanceOf(ReplicaStartException.class)
        .hasMessageStartingWith(
            "cannot open the database jdbc:postgresql://127.0.0.1:1/holdfast?user=postgres&password=***: ")
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("\n");

    assertDirectoryLockFree();
  }

  /**
   * The pools are closed (no write-ahead log left behind), the directory's lock is free, and a new
   * start works.
   */
  private void assertEverythingElseReleased() throws IOException {
    assertThat(dataDir.resolve("holdfast.db")).exists();
    assertThat(dataDir.resolve("holdfast.db-wal"))
        .as("every database connection closed")
        .doesNotExist();
    assertDirectoryLockFree();
    try (HoldfastServer again = HoldfastServer.start(config(0, 0).build(), Clock.systemUTC())) {
      assertThat(again.port()).isPositive();
    }
  }

  private void assertDirectoryLockFree() {
    // Within one JVM, a lock still held would make this throw OverlappingFileLockException.
    try (DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir)) {
      assertThat(lock).isNotNull();
    }
  }

  private static void assertBindable(int port) throws IOException {
    try (ServerSocket again = new ServerSocket(port, 1, LOOPBACK)) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      return probe.getLocalPort();
    }
  }
}
