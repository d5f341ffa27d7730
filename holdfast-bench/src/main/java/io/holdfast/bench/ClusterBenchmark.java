package io.holdfast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's two cluster figures on SQLite and on PostgreSQL, in one run:
 *
 * <ul>
 *   <li>publish-to-all-replicas: from the start of a publish through one replica until every
 *       replica serves its revision (SQLite: two replicas on one file, told by their 250 ms poll;
 *       PostgreSQL: three replicas, told by LISTEN/NOTIFY with the same poll as safety net),
 *       against the publish's own acknowledgement (stage, publish, and the writing replica's
 *       snapshot rebuilt) as the reference;
 *   <li>heartbeat ingest: heartbeats per second that one replica accepts from many instances at
 *       once (64 senders), which its writer group-commits to the store.
 * </ul>
 *
 * The publishes run against a fleet of 100 instances (every publish of the {@code default} layer
 * re-signs each instance's document on every replica); the ingest against {@code instances}.
 * Arguments: {@code publishes seconds instances} (default 200, 10, 5000). Needs the PostgreSQL on
 * 127.0.0.1:5432 (user postgres), where it creates and drops databases of its own.
 */
public final class ClusterBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "cluster-benchmark-admin-token-0123456789";

  private ClusterBenchmark() {}

  public static void main(String[] args) throws Exception {
    int publishes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int instances = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    System.out.printf(
        "%-11s %-9s %-40s %10s %10s %10s%n", "store", "replicas", "figure", "p50", "p99", "max");
    for (String store : List.of("sqlite", "postgresql")) {
      int replicas = store.equals("sqlite") ? 2 : 3;
      withStore(store, url -> publishes(store, url, replicas, publishes));
      withStore(store, url -> ingest(store, url, seconds, instances));
    }
  }

  @FunctionalInterface
  private interface Run {
    void on(String url) throws Exception;
  }

  /**
   * A fresh, empty store of the kind: a SQLite file in a temporary directory, or a new database.
   */
  private static void withStore(String store, Run run) throws Exception {
    if (store.equals("sqlite")) {
      run.on(
          "jdbc:sqlite:"
              + Files.createTempDirectory("holdfast-cluster-bench").resolve("holdfast.db"));
      return;
    }
    String database =
        "holdfast_bench_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    admin("CREATE DATABASE " + database);
    try {
      run.on("jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres");
    } finally {
      admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private static List<HoldfastServer> start(String url, int replicas) throws Exception {
    Path dir = Files.createTempDirectory("holdfast-cluster-bench");
    List<HoldfastServer> servers = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      servers.add(
          HoldfastServer.start(
              ServerConfig.builder(dir.resolve("r" + i))
                  .port(0)
                  .jdbcUrl(url)
                  .signingKey(dir.resolve("signing-key.pem"))
                  .adminToken(TOKEN)
                  .build()));
    }
    return servers;
  }

  private static void publishes(String store, String url, int replicas, int publishes)
      throws Exception {
    seed(url, 100);
    List<HoldfastServer> servers = start(url, replicas);
    try (HttpClient http =
        HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
      long[] latencies = new long[publishes];
      long[] acknowledged = new long[publishes];
      for (int i = 0; i < publishes; i++) {
        HoldfastServer through = servers.get(i % replicas);
        long start = System.nanoTime();
        send(
            http,
            through,
            "PUT",
            "/v1/admin/namespaces/core/layers/default",
            "{\"maxUsers\":" + i + "}");
        long revision =
            JSON.readTree(
                    send(
                            http,
                            through,
                            "POST",
                            "/v1/admin/namespaces/core/publish",
                            "{\"message\":\"bench\"}")
                        .body())
                .get("revision")
                .asLong();
        acknowledged[i] = System.nanoTime() - start;
        for (HoldfastServer server : servers) {
          while (server.snapshots().current().revision() < revision) {
            Thread.onSpinWait();
          }
        }
        latencies[i] = System.nanoTime() - start;
      }
      Arrays.sort(latencies);
      Arrays.sort(acknowledged);
      System.out.printf(
          "%-11s %-9d %-40s %8.1fms %8.1fms %8.1fms%n",
          store,
          replicas,
          "reference: publish acknowledged",
          acknowledged[publishes / 2] / 1e6,
          acknowledged[(int) (publishes * 0.99)] / 1e6,
          acknowledged[publishes - 1] / 1e6);
      System.out.printf(
          "%-11s %-9d %-40s %8.1fms %8.1fms %8.1fms%n",
          store,
          replicas,
          "publish until every replica serves it",
          latencies[publishes / 2] / 1e6,
          latencies[(int) (publishes * 0.99)] / 1e6,
          latencies[publishes - 1] / 1e6);
    } finally {
      servers.forEach(HoldfastServer::close);
    }
  }

  /**
   * Heartbeats from every instance to one replica, as fast as 64 senders can, for {@code seconds}.
   */
  private static void ingest(String store, String url, int seconds, int instances)
      throws Exception {
    List<String> credentials = seed(url, instances);
    HoldfastServer server = start(url, 1).get(0);
    try (HttpClient http =
        HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
      ingest(store, http, server, credentials, seconds);
    } finally {
      server.close();
    }
  }

  private static void ingest(
      String store, HttpClient http, HoldfastServer server, List<String> credentials, int seconds)
      throws Exception {
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int s = 0; s < 64; s++) {
        int sender = s;
        senders.submit(
            () -> {
              int i = sender;
              while (System.nanoTime() < end) {
                int instance = i % credentials.size();
                String body = "{\"sdkVersion\":\"bench\",\"sentAt\":\"" + Instant.now() + "\"}";
                HttpRequest request =
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://127.0.0.1:"
                                    + server.port()
                                    + "/v1/instances/i-"
                                    + instance
                                    + "/heartbeat"))
                        .header("Authorization", "Bearer " + credentials.get(instance))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                (status / 100 == 2 ? accepted : refused).incrementAndGet();
                i += 64;
              }
              return null;
            });
      }
    }
    System.out.printf(
        "%-11s %-9d %-40s %10s %10s %10s%n",
        store,
        1,
        "heartbeats accepted per second",
        accepted.get() / seconds,
        "",
        refused.get() == 0 ? "" : refused.get() + " refused");
  }

  /** The namespace and {@code count} instances, written to the store before any replica starts. */
  private static List<String> seed(String url, int count) throws Exception {
    List<String> credentials = new ArrayList<>();
    try (JdbcConfigStore store =
        new JdbcConfigStore(Database.open(url, Duration.ofSeconds(30)), Clock.systemUTC())) {
      store.createNamespace("core", "bench", "bench");
      for (int i = 0; i < count; i++) {
        String token = CredentialTokens.INSTANCE_PREFIX + "bench" + i + "x".repeat(40);
        store.createInstance("i-" + i, "live", Map.of(), CredentialTokens.hash(token), "bench");
        credentials.add(token);
      }
    }
    return credentials;
  }

  private static HttpResponse<byte[]> send(
      HttpClient http, HoldfastServer server, String method, String path, String body)
      throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
    }
    return response;
  }

  private static void admin(String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }
}
