package io.holdfast.it.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.it.AdminApi;
import io.holdfast.it.AdminHttp;
import io.holdfast.it.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * One replica process started with an open-files limit and tight edge settings, with two tenants
 * ({@code acme} and {@code globex}) that each read a published {@code core} document.
 */
final class EdgeReplica implements AutoCloseable {

  static final String ADMIN = "hfa_edge_admin_token_0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  final JavaProcess process;
  final int port;
  final String acme;
  final String globex;
  private final AdminHttp admin = new AdminHttp();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * @param openFiles the process's open-files limit (soft and hard)
   * @param settings {@code idle-ms header-ms request-ms max-connections per-address
   *     watches-per-instance requests-per-instance}
   */
  EdgeReplica(Path dir, int openFiles, long... settings)
      throws TimeoutException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(dir.resolve("data").toString(), ADMIN));
    for (long s : settings) {
      args.add(Long.toString(s));
    }
    List<String> java =
        JavaProcess.javaCommand(EdgeReplicaMain.class.getName(), args.toArray(String[]::new));
    String command =
        "ulimit -n "
            + openFiles
            + " && exec "
            + String.join(" ", java.stream().map(EdgeReplica::quote).toList());
    process = JavaProcess.start(List.of("bash", "-c", command), dir.resolve("replica.log"));
    port = Integer.parseInt(process.awaitLine("READY ", 60).substring("READY ".length()).strip());
    AdminApi api = new AdminApi(admin, port, ADMIN);
    api.createNamespace("core");
    acme = api.createInstance("acme", "live");
    globex = api.createInstance("globex", "live");
    api.stage("core", "default", "{\"maxUsers\": 100}");
    api.publish("core", "edge test");
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /**
   * Reads {@code core} as {@code instance}; returns the status, or -1 if the request failed
   * outright.
   */
  int read(String instance, String token) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + port + "/v1/instances/" + instance + "/config/core"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(5))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** {@code /health/ready} as JSON (whatever its status). */
  JsonNode ready() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    try {
      return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The replica's output lines containing {@code text}. */
  List<String> logLines(String text) {
    return process.output().stream().filter(l -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    http.close();
    admin.close();
    process.close();
  }
}
