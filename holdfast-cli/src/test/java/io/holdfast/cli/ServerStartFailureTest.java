package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code holdfast server} as a process of its own, on a port another process holds: it exits at
 * once with status {@link ServerCommand#EXIT_START_FAILED} and one line saying which port, no stack
 * trace, and it never took the rollout lease (a replica that cannot serve must not lead), instead
 * of running on with port -1 and probing itself, as a process manager would see it.
 */
class ServerStartFailureTest {

  /** A generous bound for a JVM's start and exit; the run is measured and must be far below it. */
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} taken")
  @ValueSource(strings = {"port", "management-port"})
  void portTaken_exitsAtOnceWithOneLine_andNeverTakesTheRolloutLease(String key) throws Exception {
    Path data = dir.resolve("data");
    Path output = dir.resolve("server.log");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "--enable-native-access=ALL-UNNAMED",
                  "-cp",
                  System.getProperty(
                      "surefire.test.class.path", System.getProperty("java.class.path")),
                  HoldfastCommand.class.getName(),
                  "server",
                  "--data-dir",
                  data.toString(),
                  "--probe-enabled",
                  "true"));
      int other = freePort();
      command.addAll(
          key.equals("port")
              ? List.of(
                  "--port",
                  String.valueOf(taken.getLocalPort()),
                  "--management-port",
                  String.valueOf(other))
              : List.of(
                  "--port",
                  String.valueOf(other),
                  "--management-port",
                  String.valueOf(taken.getLocalPort())));
      long started = System.nanoTime();
      Process server =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean ended = server.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (!ended) {
        server.destroyForcibly().waitFor();
      }
      String printed = Files.readString(output, StandardCharsets.UTF_8);

      assertThat(ended).as("the process ended; it printed:%n%s", printed).isTrue();
      assertThat(server.exitValue()).as(printed).isEqualTo(ServerCommand.EXIT_START_FAILED);
      assertThat(printed)
          .containsOnlyOnce("error: cannot listen on ")
          .contains(": already in use: 127.0.0.1:" + taken.getLocalPort() + " (" + key + ")\n");
      assertThat(printed)
          .as("no stack trace")
          .doesNotContain("\tat ")
          .doesNotContain("listening on");
      assertThat(leaseRows(data.resolve("holdfast.db"))).isZero();
      System.out.printf(
          "a start with its %s taken exited with %d after %d ms%n",
          key, server.exitValue(), took.toMillis());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  private static int leaseRows(Path database) throws SQLException, IOException {
    assertThat(database).exists();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM leases")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
