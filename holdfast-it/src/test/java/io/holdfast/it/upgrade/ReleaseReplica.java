package io.holdfast.it.upgrade;

import io.holdfast.it.FreePorts;
import io.holdfast.it.process.JavaProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A replica of another release, run as {@code java -jar <jar> server} in a process of its own on a
 * store it shares with the test's replicas, as an operator runs one. Its settings go through the
 * environment ({@code HOLDFAST_*}), which every release reads. Closing it stops it as a service
 * manager does ({@code SIGTERM}, so its own graceful stop runs).
 */
final class ReleaseReplica implements AutoCloseable {

  private final JavaProcess process;
  private final int port;
  private final int managementPort;

  private ReleaseReplica(JavaProcess process, int port, int managementPort) {
    this.process = process;
    this.port = port;
    this.managementPort = managementPort;
  }

  /**
   * Starts the release's replica and waits until it is ready.
   *
   * @param dataDir its own data directory (the signing key it makes there is the one to share)
   * @param jdbcUrl the shared store
   * @param signingKey the shared signing key, or {@code null} to make one in {@code dataDir}
   */
  static ReleaseReplica start(
      Path jar, Path dataDir, String jdbcUrl, Path signingKey, String adminToken) {
    int port = FreePorts.any();
    int management = FreePorts.any();
    List<String> command = new ArrayList<>();
    command.add("env");
    command.add("HOLDFAST_ADMIN_TOKEN=" + adminToken);
    command.add("HOLDFAST_ROLLOUT_APPROVALS=0");
    command.add("HOLDFAST_ROLLOUT_TICK=250ms");
    command.add("HOLDFAST_PROBE_ENABLED=false");
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-jar");
    command.add(jar.toString());
    command.add("server");
    command.add("--data-dir=" + dataDir);
    command.add("--port=" + port);
    command.add("--management-port=" + management);
    command.add("--jdbc-url=" + jdbcUrl);
    command.add("--refresh-interval=100ms");
    if (signingKey != null) {
      command.add("--signing-key=" + signingKey);
    }
    JavaProcess process =
        JavaProcess.start(command, dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    ReleaseReplica replica = new ReleaseReplica(process, port, management);
    try {
      replica.awaitReady();
    } catch (RuntimeException e) {
      replica.close();
      throw e;
    }
    return replica;
  }

  int port() {
    return port;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI ready = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
    Awaitility.await("the release's replica is ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.alive()) {
                throw new IllegalStateException(
                    "the release's replica ended at start: " + process.output());
              }
              try {
                return http.send(
                            HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(1)).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200;
              } catch (IOException notListeningYet) {
                return false;
              }
            });
  }

  @Override
  public void close() {
    process.close();
  }
}
