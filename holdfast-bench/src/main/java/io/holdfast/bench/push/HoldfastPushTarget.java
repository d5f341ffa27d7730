package io.holdfast.bench.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.model.Scope;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Holdfast replica with a SQLite store seeded for the benchmark: namespace {@code core}, the
 * burst namespaces, and one instance credential per watcher.
 */
final class HoldfastPushTarget implements PushTarget {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_TOKEN = "push-benchmark-admin-token";

  private final Path dataDir;

  /**
   * Where the server process serves /metrics; chosen with its arguments, kept across its restart.
   */
  private int managementPort;

  private final String[] tokens;

  HoldfastPushTarget(int watchers) throws Exception {
    dataDir = Files.createTempDirectory("holdfast-push-bench");
    tokens = new String[watchers];
    ServerConfig config = ServerConfig.builder(dataDir).build();
    CredentialTokens credentials = new CredentialTokens(new java.security.SecureRandom());
    try (JdbcConfigStore store =
        new JdbcConfigStore(
            Database.open(config.jdbcUrl(), Duration.ofSeconds(30)), Clock.systemUTC())) {
      store.createNamespace("core", "bench", "bench");
      store.putDraft(
          "core", Scope.DEFAULT, JSON.readTree("{\"maxUsers\":10,\"region\":\"eu\"}"), "bench");
      store.publish("core", Set.of(), "bench", "bench");
      for (String namespace : BURST_NAMESPACES) {
        store.createNamespace(namespace, "bench", "bench");
        store.putDraft(namespace, Scope.DEFAULT, JSON.readTree("{\"n\":0}"), "bench");
        store.publish(namespace, Set.of(), "bench", "bench");
      }
      for (int i = 0; i < watchers; i++) {
        tokens[i] = credentials.newInstanceToken();
        store.createInstance("i-" + i, "live", Map.of(), CredentialTokens.hash(tokens[i]), "bench");
      }
    }
  }

  @Override
  public String name() {
    return "Holdfast";
  }

  @Override
  public List<String> serverArguments(int port) throws IOException {
    managementPort = BenchHttp.freePort();
    return List.of(
        "holdfast",
        dataDir.toString(),
        Integer.toString(port),
        ADMIN_TOKEN,
        Integer.toString(managementPort));
  }

  private static long servedRevision(String metrics) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith("holdfast_replica_revision ")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  @Override
  public String token(int watcher) {
    return tokens[watcher];
  }

  @Override
  public void prepare(HttpClient http, URI base, String namespace, String scope, int value)
      throws Exception {
    BenchHttp.send(
        http,
        admin(base, "/v1/admin/namespaces/" + namespace + "/layers/" + scope)
            .PUT(
                HttpRequest.BodyPublishers.ofString(
                    "{\"maxUsers\":" + value + ",\"region\":\"eu\"}")),
        200);
  }

  @Override
  public long publish(HttpClient http, URI base, String namespace, String scope) throws Exception {
    return BenchHttp.json(
            http,
            admin(base, "/v1/admin/namespaces/" + namespace + "/publish")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"message\":\"bench\",\"scopes\":[\"" + scope + "\"]}")))
        .get("revision")
        .asLong();
  }

  @Override
  public int waiting(HttpClient http, URI base) throws Exception {
    return BenchHttp.json(http, HttpRequest.newBuilder(base.resolve("/health/ready")).GET())
        .get("watchers")
        .get("waiting")
        .asInt();
  }

  @Override
  public double[] lastRefresh(HttpClient http, URI base, long revision) throws Exception {
    // /metrics is on the management port, and a page may be up to a second old: read until it
    // shows the revision, so the timings are this publish's rebuild.
    URI metricsUri = URI.create("http://127.0.0.1:" + managementPort + "/metrics");
    String metrics = BenchHttp.send(http, HttpRequest.newBuilder(metricsUri).GET(), 200);
    while (servedRevision(metrics) < revision) {
      WatchFleet.sleepQuietly(Duration.ofMillis(100));
      metrics = BenchHttp.send(http, HttpRequest.newBuilder(metricsUri).GET(), 200);
    }
    double[] phases = new double[3];
    List<String> names = List.of("load", "build", "swap");
    for (String line : metrics.split("\n")) {
      if (line.startsWith("holdfast_snapshot_refresh_last_seconds{")) {
        int phase = names.indexOf(line.replaceAll(".*phase=\"([a-z]+)\".*", "$1"));
        phases[phase] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000;
      }
    }
    return phases;
  }

  private static HttpRequest.Builder admin(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + ADMIN_TOKEN)
        .header("Content-Type", "application/json");
  }
}
