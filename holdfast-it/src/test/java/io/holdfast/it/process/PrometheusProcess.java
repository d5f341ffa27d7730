package io.holdfast.it.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's, unpacked by {@code bin/ensure-promtool}) scraping given
 * targets every second and evaluating {@code deploy/prometheus/alerts.yml} every second, so a test
 * can ask it which alerts fire.
 */
public final class PrometheusProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JavaProcess process;
  private final URI api;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusProcess(JavaProcess process, URI api) {
    this.process = process;
    this.api = api;
  }

  /**
   * @param targets host:port of each replica's management port, which serves /metrics
   */
  public static PrometheusProcess start(Path root, Path work, List<String> targets)
      throws Exception {
    Path binary = Path.of(ensurePromtool(root)).resolveSibling("prometheus");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    StringBuilder config =
        new StringBuilder()
            .append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n")
            .append("rule_files:\n  - ")
            .append(root.resolve("deploy/prometheus/alerts.yml"))
            .append('\n')
            .append(
                "scrape_configs:\n  - job_name: holdfast\n    static_configs:\n      - targets: [");
    for (int i = 0; i < targets.size(); i++) {
      config.append(i == 0 ? "" : ", ").append('\'').append(targets.get(i)).append('\'');
    }
    config.append("]\n");
    Files.createDirectories(work);
    Path file = work.resolve("prometheus.yml");
    Files.writeString(file, config, StandardCharsets.UTF_8);
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port));
    JavaProcess process = JavaProcess.start(command, work.resolve("prometheus.log"));
    PrometheusProcess prometheus =
        new PrometheusProcess(process, URI.create("http://127.0.0.1:" + port));
    process.awaitLine("ts=", 30);
    return prometheus;
  }

  /** The names and labels of the alerts now firing (not pending). */
  public List<JsonNode> firing() {
    List<JsonNode> firing = new ArrayList<>();
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(api.resolve("/api/v1/alerts")).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        return firing;
      }
      for (JsonNode alert : JSON.readTree(response.body()).path("data").path("alerts")) {
        if ("firing".equals(alert.path("state").asText())) {
          firing.add(alert.path("labels"));
        }
      }
      return firing;
    } catch (IOException e) {
      return firing; // not up yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether the Prometheus process is running and answers its health check: an empty {@link
   * #firing()} proves nothing about resolved alerts unless it does.
   */
  public boolean healthy() {
    if (!process.alive()) {
      return false;
    }
    try {
      return http.send(
                  HttpRequest.newBuilder(api.resolve("/-/healthy")).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code alert} fires for the label {@code name=value}. */
  public boolean fires(String alert, String name, String value) {
    return firing().stream()
        .anyMatch(
            l -> alert.equals(l.path("alertname").asText()) && value.equals(l.path(name).asText()));
  }

  private static String ensurePromtool(Path root) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(root.resolve("bin/ensure-promtool").toString())
            .redirectErrorStream(true)
            .start();
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("bin/ensure-promtool failed: " + output);
    }
    return output;
  }

  @Override
  public void close() {
    process.close();
    http.close();
  }

  public URI api() {
    return api;
  }
}
