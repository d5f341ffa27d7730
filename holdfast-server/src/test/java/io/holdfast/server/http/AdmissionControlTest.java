package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.FailingStore;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.config.EdgeSettings;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission control on the instance API ({@code max-concurrent-requests}, FAULTS B9 and E5): a
 * request beyond the limit waits briefly for a place, then gets 503 {@code overloaded} with a
 * {@code Retry-After}; health, metrics, admin and waiting watches are never refused; the place
 * comes back when the request holding it ends. A request holds its place here because its body is
 * still on the way: a real request in flight, with no test hook in the server.
 */
class AdmissionControlTest {

  private static final String CHECKSUMS = "/v1/instances/acme-prod/checksums";

  /** One admin or console request served at once: the default on a 2-core machine. */
  private static final EdgeSettings ONE_ADMIN =
      new EdgeSettings(
          EdgeSettings.DEFAULT_IDLE_TIMEOUT,
          EdgeSettings.DEFAULT_HEADER_TIMEOUT,
          EdgeSettings.DEFAULT_REQUEST_TIMEOUT,
          EdgeSettings.DEFAULT_MAX_CONNECTIONS,
          EdgeSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
          EdgeSettings.DEFAULT_MAX_WATCHES_PER_INSTANCE,
          EdgeSettings.DEFAULT_MAX_REQUESTS_PER_INSTANCE,
          1);

  @Test
  void
      B9_aRequestBeyondTheLimit_is503OverloadedWithRetryAfter_andThePlaceComesBackWhenTheHolderEnds(
          @TempDir Path dir) throws Exception {
    try (ServerFixture server =
        ServerFixture.startConfigured(dir, config -> config.maxConcurrentRequests(1))) {
      server.createNamespace("core");
      String token = server.createInstance("acme-prod", "live");
      assertThat(server.get(CHECKSUMS, token).statusCode())
          .as("one at a time is within the limit")
          .isEqualTo(200);

      try (Socket holder = new Socket("127.0.0.1", server.server().port())) {
        // A heartbeat whose body has not arrived yet holds the only place while it reads.
        OutputStream out = holder.getOutputStream();
        out.write(
            ("POST /v1/instances/acme-prod/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> server.get(CHECKSUMS, token).statusCode() == 503);

        var refused = server.get(CHECKSUMS, token);
        assertProblem(refused, ProblemType.OVERLOADED);
        assertThat(header(refused, "Retry-After")).isEqualTo(AdmissionControl.RETRY_AFTER_SECONDS);
        // Spring Cloud Config's routes are instance reads too: the same lane, the same refusal.
        assertProblem(server.get("/core/default", token), ProblemType.OVERLOADED);
        assertThat(server.get("/health/ready", null).statusCode())
            .as("health is never refused")
            .isEqualTo(200);
        assertThat(server.get("/v1/admin/instances/acme-prod", server.adminToken()).statusCode())
            .as("operators get through an overload")
            .isEqualTo(200);
        assertThat(server.get("/v1/instances/acme-prod/watch?etag=%22stale%22", token).statusCode())
            .as("watches are bounded by max-watchers instead")
            .isEqualTo(200);
        String metrics = server.scrapeMetrics();
        assertThat(metrics).containsPattern("holdfast_requests_refused_total(\\{[^}]*})? [1-9]");
        assertThat(metrics).contains("holdfast_requests_concurrent_limit 1.0");
      }

      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> server.get(CHECKSUMS, token).statusCode() == 200);
    }
  }

  @Test
  void F3_adminRequestsTakeTurns_soInstanceReadsKeepTheirCores_andTheNextAdminWaitsNotFails(
      @TempDir Path dir) throws Exception {
    try (ServerFixture server =
        ServerFixture.startConfigured(dir, config -> config.edge(ONE_ADMIN))) {
      server.createNamespace("core");
      String token = server.createInstance("acme-prod", "live");
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpRequest admin =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(
                      "http://127.0.0.1:"
                          + server.server().port()
                          + "/v1/admin/instances/acme-prod"))
              .header("Authorization", "Bearer " + server.adminToken())
              .timeout(Duration.ofMillis(500))
              .build();
      try (Socket holder = new Socket("127.0.0.1", server.server().port())) {
        // An admin write whose body has not arrived yet holds the only admin turn.
        OutputStream out = holder.getOutputStream();
        out.write(
            ("POST /v1/admin/namespaces HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + server.adminToken()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // Once the holder has its turn, another admin request waits for it (and times out here).
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .ignoreExceptionsMatching(e -> false)
            .until(
                () -> {
                  try {
                    http.send(admin, java.net.http.HttpResponse.BodyHandlers.discarding());
                    return false;
                  } catch (java.net.http.HttpTimeoutException waited) {
                    return true;
                  }
                });
        assertThat(server.get(CHECKSUMS, token).statusCode())
            .as("instance reads do not wait for operators")
            .isEqualTo(200);
      }
      // The holder is gone: the turn passes on, and operators are served again, not refused.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  server.get("/v1/admin/instances/acme-prod", server.adminToken()).statusCode()
                      == 200);
      http.close();
    }
  }

  @Test
  void
      aCommittedWriteWaitingForItsSnapshot_givesItsTurnBack_draftsDoNotWait_andItIsAnsweredOnceServed(
          @TempDir Path dir) throws Exception {
    AtomicReference<FailingStore> failing = new AtomicReference<>();
    try (ServerFixture server =
        ServerFixture.startConfigured(
            dir,
            config -> config.edge(ONE_ADMIN),
            store -> {
              failing.set(new FailingStore(store));
              return failing.get();
            })) {
      server.createNamespace("core");
      String token = server.createInstance("acme-prod", "live");
      server.publishLayer("core", "default", "{\"seats\":10}");
      server.sendJson(
          "PUT", "/v1/admin/namespaces/core/layers/default", server.adminToken(), "{\"seats\":25}");
      CountDownLatch slowStore = new CountDownLatch(1);
      failing.get().holdChanges.set(slowStore);

      try (HttpClient http = HttpClient.newHttpClient()) {
        CompletableFuture<HttpResponse<String>> publish =
            http.sendAsync(
                adminRequest(server, "/v1/admin/namespaces/core/publish")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"raise seats\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        // Only the publish moves the store's revision, so a refresh that reads changes (the
        // publish's own, or the poller's) comes after its commit.
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> failing.get().heldChanges.get() > 0);

        HttpResponse<String> meanwhile =
            http.send(
                adminRequest(server, "/v1/admin/instances/acme-prod")
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(meanwhile.statusCode())
            .as("the only admin turn is free while the publish waits for its snapshot")
            .isEqualTo(200);
        HttpResponse<String> draft =
            http.send(
                adminRequest(server, "/v1/admin/namespaces/core/layers/ring:live")
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"seats\":30}"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(draft.statusCode())
            .as("a draft, which no replica serves, does not wait for the snapshot")
            .isEqualTo(200);
        assertThat(publish).as("not answered before this replica serves it").isNotDone();

        slowStore.countDown();
        assertThat(publish.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(
                HttpTestSupport.json(server.get("/v1/instances/acme-prod/config/core", token))
                    .path("content")
                    .path("seats")
                    .asInt())
            .as("read your writes: served the moment the publish is answered")
            .isEqualTo(25);
      } finally {
        slowStore.countDown(); // a failed assertion must not leave the replica's refresh waiting
      }
    }
  }

  private static HttpRequest.Builder adminRequest(ServerFixture server, String path) {
    return HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + server.server().port() + path))
        .header("Authorization", "Bearer " + server.adminToken());
  }
}
