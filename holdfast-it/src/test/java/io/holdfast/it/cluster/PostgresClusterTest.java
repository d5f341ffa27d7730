package io.holdfast.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.it.process.ClusterReplicaMain;
import io.holdfast.it.process.JavaProcess;
import io.holdfast.testkit.TcpRelay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replica processes on the real PostgreSQL (in a database of their own), reaching it through
 * a TCP proxy the test cuts mid-run, as a database that goes down. While it is down every replica
 * keeps serving reads (200, 304 and watch) from its snapshot, admin writes fail at once with 503
 * and {@code Retry-After}, and heartbeats are accepted into the bounded buffer. When it returns the
 * replicas resync without a restart, the buffered heartbeat is stored, and every acknowledged
 * publish is still there.
 */
@Timeout(240)
class PostgresClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "cluster-test-admin-token-0123456789";
  private static final ConditionFactory EVENTUALLY =
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));

  @TempDir Path dir;

  private final String database =
      "holdfast_cluster_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<JavaProcess> processes = new ArrayList<>();
  private final List<URI> replicas = new ArrayList<>();
  private TcpRelay proxy;

  @BeforeEach
  void cluster() throws Exception {
    admin("CREATE DATABASE " + database);
    proxy = TcpRelay.start("127.0.0.1", 5432);
    String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database + "?user=postgres";
    Path key = dir.resolve("a").resolve("signing-key.pem");
    for (String name : List.of("a", "b", "c")) {
      JavaProcess process =
          JavaProcess.java(
              dir.resolve("replica-" + name + ".log"),
              ClusterReplicaMain.class.getName(),
              dir.resolve(name).toString(),
              "0",
              TOKEN,
              url,
              key.toString(),
              "250");
      processes.add(process);
      String ready = process.awaitLine("READY", 90);
      replicas.add(URI.create("http://127.0.0.1:" + ready.substring("READY ".length()).strip()));
    }
  }

  @AfterEach
  void stop() throws SQLException {
    processes.forEach(JavaProcess::close);
    if (proxy != null) {
      proxy.close();
    }
    http.close();
    admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }

  @Test
  void theDatabaseGoesAway_readsCarryOn_writesFailFast_andNothingAcknowledgedIsLost()
      throws Exception {
    send(replicas.get(0), "POST", "/v1/admin/namespaces", TOKEN, "{\"name\":\"core\"}");
    String credential =
        json(send(
                replicas.get(0),
                "POST",
                "/v1/admin/instances",
                TOKEN,
                "{\"id\":\"acme-prod\",\"ring\":\"live\"}"))
            .get("credential")
            .asText();
    List<Long> acknowledged = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      acknowledged.add(publish(replicas.get(i), "{\"maxUsers\":" + (10 + i) + "}"));
    }
    long last = acknowledged.get(2);
    for (URI replica : replicas) {
      EVENTUALLY.until(() -> revisionServed(replica, credential) == last);
    }
    String etag =
        send(replicas.get(0), "GET", "/v1/instances/acme-prod/config/core", credential, null)
            .headers()
            .firstValue("ETag")
            .orElseThrow();
    String checksumsEtag =
        send(replicas.get(0), "GET", "/v1/instances/acme-prod/checksums", credential, null)
            .headers()
            .firstValue("ETag")
            .orElseThrow();

    proxy.cut();

    for (URI replica : replicas) {
      HttpResponse<byte[]> read =
          send(replica, "GET", "/v1/instances/acme-prod/config/core", credential, null);
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(json(read).path("content").path("maxUsers").asInt()).isEqualTo(12);
      assertThat(
              send(
                      replica,
                      "GET",
                      "/v1/instances/acme-prod/config/core",
                      credential,
                      null,
                      "If-None-Match",
                      etag)
                  .statusCode())
          .isEqualTo(304);
      assertThat(
              send(
                      replica,
                      "GET",
                      "/v1/instances/acme-prod/watch?timeout=1s&etag="
                          + URLEncoder.encode(checksumsEtag, StandardCharsets.UTF_8),
                      credential,
                      null)
                  .statusCode())
          .isEqualTo(304);
    }
    HttpResponse<byte[]> write =
        send(replicas.get(1), "POST", "/v1/admin/namespaces", TOKEN, "{\"name\":\"features\"}");
    assertThat(write.statusCode()).isEqualTo(503);
    assertThat(write.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(write.headers().firstValue("Retry-After")).isPresent();
    assertThat(json(write).path("type").asText()).endsWith("store-unavailable");
    Instant sentAt = Instant.now();
    HttpResponse<byte[]> heartbeat =
        send(
            replicas.get(2),
            "POST",
            "/v1/instances/acme-prod/heartbeat",
            credential,
            "{\"sdkVersion\":\"cluster-test\",\"sentAt\":\"" + sentAt + "\"}");
    assertThat(heartbeat.statusCode()).isEqualTo(202);

    proxy.restore();

    // Back without a restart: a write succeeds again, every replica serves it, and the heartbeat
    // that waited in memory is stored.
    EVENTUALLY.until(
        () ->
            send(replicas.get(1), "POST", "/v1/admin/namespaces", TOKEN, "{\"name\":\"features\"}")
                    .statusCode()
                == 201);
    long after = publish(replicas.get(2), "{\"maxUsers\":20}");
    for (URI replica : replicas) {
      EVENTUALLY.until(() -> revisionServed(replica, credential) == after);
    }
    EVENTUALLY.until(
        () ->
            send(replicas.get(0), "GET", "/v1/admin/instances/acme-prod/heartbeat", TOKEN, null)
                    .statusCode()
                == 200);
    JsonNode stored =
        json(send(replicas.get(0), "GET", "/v1/admin/instances/acme-prod/heartbeat", TOKEN, null));
    assertThat(stored.toString()).contains("cluster-test");
    List<Long> history = new ArrayList<>();
    json(send(replicas.get(1), "GET", "/v1/admin/namespaces/core/history", TOKEN, null))
        .path("history")
        .forEach(entry -> history.add(entry.path("revision").asLong()));
    assertThat(history).containsAll(acknowledged).contains(after);
  }

  private long publish(URI replica, String layer) {
    assertThat(
            send(replica, "PUT", "/v1/admin/namespaces/core/layers/default", TOKEN, layer)
                .statusCode())
        .isEqualTo(200);
    HttpResponse<byte[]> published =
        send(
            replica,
            "POST",
            "/v1/admin/namespaces/core/publish",
            TOKEN,
            "{\"message\":\"cluster test\"}");
    assertThat(published.statusCode())
        .as(new String(published.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    return json(published).get("revision").asLong();
  }

  private long revisionServed(URI replica, String credential) {
    HttpResponse<byte[]> response =
        send(replica, "GET", "/v1/instances/acme-prod/config/core", credential, null);
    return response.statusCode() == 200 ? json(response).path("revision").asLong() : -1;
  }

  private HttpResponse<byte[]> send(
      URI replica, String method, String path, String token, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(replica.resolve(path))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
