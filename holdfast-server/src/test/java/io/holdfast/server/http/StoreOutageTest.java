package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.envelope;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.FailingStore;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica whose database fails (FAULTS A13, A18): reads keep coming from the in-memory snapshot
 * (same bytes, same ETag, 304 still honoured, never 503 or empty), readiness says "degraded",
 * writes fail fast with 503 and Retry-After and change nothing, and once the store is back the
 * replica writes and serves new publishes without a restart.
 */
class StoreOutageTest {

  private static final String CONFIG = "/v1/instances/acme-prod/config/core";
  private static final String CHECKSUMS = "/v1/instances/acme-prod/checksums";
  private static final Duration NOTICE = Duration.ofSeconds(5);

  @TempDir static Path dataDir;

  private static FailingStore failing;
  private static ServerFixture server;
  private static String token;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir, store -> failing = new FailingStore(store));
    server.createNamespace("core");
    token = server.createInstance("acme-prod", "live");
    HttpTestSupport.stage(server, "core", "default", "{\"seats\":{\"crm\":25}}");
    HttpTestSupport.publish(server, "core");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void restoreStore() {
    failing.down.set(false);
    awaitReadiness("ready");
  }

  private static JsonNode awaitReadiness(String status) {
    await()
        .atMost(NOTICE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () ->
                assertThat(json(server.get("/health/ready", null)).get("status").asText())
                    .isEqualTo(status));
    return json(server.get("/health/ready", null));
  }

  /** Takes the store down and waits until the replica's poller has noticed. */
  private static void storeDown() {
    failing.down.set(true);
    awaitReadiness("degraded");
  }

  @Test
  void A13_whileTheStoreIsDown_readsComeFromTheSnapshot_withTheSameBytesAndEtag() {
    HttpResponse<byte[]> before = server.get(CONFIG, token);
    HttpResponse<byte[]> checksumsBefore = server.get(CHECKSUMS, token);
    assertThat(before.statusCode()).isEqualTo(200);

    storeDown();

    HttpResponse<byte[]> during = server.get(CONFIG, token);
    assertThat(during.statusCode()).isEqualTo(200);
    assertThat(during.body()).isEqualTo(before.body()).isNotEmpty();
    for (String name : List.of("ETag", "Repr-Digest", "Holdfast-Signature", "Holdfast-Revision")) {
      assertThat(header(during, name)).as(name).isEqualTo(header(before, name));
    }
    assertThat(envelope(during.body()).content().path("seats").path("crm").isInt()).isTrue();

    HttpResponse<byte[]> checksums = server.get(CHECKSUMS, token);
    assertThat(checksums.statusCode()).isEqualTo(200);
    assertThat(checksums.body()).isEqualTo(checksumsBefore.body());
  }

  @Test
  void A13_whileTheStoreIsDown_conditionalGetsStillAnswer304WithTheSameEtag() {
    String etag = header(server.get(CONFIG, token), "ETag");
    String checksumsEtag = header(server.get(CHECKSUMS, token), "ETag");

    storeDown();

    HttpResponse<byte[]> notModified = server.get(CONFIG, token, "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(header(notModified, "ETag")).isEqualTo(etag);
    assertThat(server.get(CONFIG, token, "If-None-Match", "*").statusCode()).isEqualTo(304);
    assertThat(server.get(CHECKSUMS, token, "If-None-Match", checksumsEtag).statusCode())
        .isEqualTo(304);
    HttpResponse<byte[]> other = server.get(CONFIG, token, "If-None-Match", "\"some-older-tag\"");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(header(other, "ETag")).isEqualTo(etag);
    assertProblem(
        server.get("/v1/instances/acme-prod/config/missing", token),
        ProblemType.NAMESPACE_NOT_FOUND);
    assertProblem(server.get(CONFIG, "hfi_wrong"), ProblemType.UNAUTHENTICATED);
  }

  @Test
  void A13_whileTheStoreIsDown_everyReadSaysSinceWhenItCannotReachTheStore_andStopsOnceBack() {
    String etag = header(server.get(CONFIG, token), "ETag");
    assertThat(server.get(CONFIG, token).headers().firstValue("Holdfast-Store-Unreachable-Since"))
        .isEmpty();

    storeDown();

    HttpResponse<byte[]> ok = server.get(CONFIG, token);
    HttpResponse<byte[]> notModified = server.get(CONFIG, token, "If-None-Match", etag);
    String since = header(ok, "Holdfast-Store-Unreachable-Since");
    assertThat(java.time.Instant.parse(since)).isBeforeOrEqualTo(java.time.Instant.now());
    assertThat(header(notModified, "Holdfast-Store-Unreachable-Since"))
        .as("304 parity")
        .isEqualTo(since);

    failing.down.set(false);
    awaitReadiness("ready");
    assertThat(server.get(CONFIG, token).headers().firstValue("Holdfast-Store-Unreachable-Since"))
        .isEmpty();
  }

  @Test
  void A18_readinessStays200ButSaysDegraded_withTheRevisionItServes() {
    long served = json(server.get("/health/ready", null)).get("revision").asLong();

    storeDown();

    HttpResponse<byte[]> ready = server.get("/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonNode body = json(ready);
    assertThat(body.get("status").asText()).isEqualTo("degraded");
    assertThat(body.get("revision").asLong()).isEqualTo(served);
    assertThat(body.get("store").get("healthy").asBoolean()).isFalse();
    assertThat(body.get("store").get("error").asText()).contains("injected");
    assertThat(server.get("/health/live", null).statusCode()).isEqualTo(200);
  }

  @Test
  void A18_adminCallsFailFastWith503StoreUnavailableAndRetryAfter() {
    storeDown();

    List<HttpResponse<byte[]>> responses =
        assertTimeout(
            Duration.ofSeconds(5),
            () ->
                List.of(
                    server.sendJson(
                        "POST",
                        "/v1/admin/namespaces",
                        server.adminToken(),
                        "{\"name\":\"during-outage\"}"),
                    server.sendJson(
                        "POST",
                        "/v1/admin/instances",
                        server.adminToken(),
                        "{\"id\":\"during-outage\",\"ring\":\"live\"}"),
                    server.sendJson(
                        "PUT",
                        "/v1/admin/namespaces/core/layers/default",
                        server.adminToken(),
                        "{\"seats\":{\"crm\":0}}"),
                    server.sendJson(
                        "POST",
                        "/v1/admin/namespaces/core/publish",
                        server.adminToken(),
                        "{\"message\":\"outage\"}"),
                    server.send(
                        "POST",
                        "/v1/admin/instances/acme-prod/credential",
                        server.adminToken(),
                        null),
                    server.get("/v1/admin/instances", server.adminToken())));
    for (HttpResponse<byte[]> response : responses) {
      assertProblem(response, ProblemType.STORE_UNAVAILABLE);
      assertThat(header(response, "Retry-After")).matches("[1-9][0-9]*");
    }
    assertThat(server.get(CONFIG, token).statusCode())
        .as("the instance credential was not rotated")
        .isEqualTo(200);
  }

  @Test
  void A18_afterRecovery_writesWorkAgain_andNewPublishesAreServedWithoutRestart() {
    HttpResponse<byte[]> before = server.get(CONFIG, token);
    storeDown();
    assertProblem(
        server.sendJson(
            "PUT",
            "/v1/admin/namespaces/core/layers/default",
            server.adminToken(),
            "{\"seats\":{\"crm\":0}}"),
        ProblemType.STORE_UNAVAILABLE);
    assertProblem(
        server.sendJson(
            "POST", "/v1/admin/namespaces", server.adminToken(), "{\"name\":\"lost-write\"}"),
        ProblemType.STORE_UNAVAILABLE);

    failing.down.set(false);
    awaitReadiness("ready");

    assertThat(server.get("/v1/admin/namespaces/lost-write", server.adminToken()).statusCode())
        .as("the write refused during the outage did not happen")
        .isEqualTo(404);
    assertThat(server.admin("GET", "/v1/admin/namespaces/core/layers", null).get("drafts"))
        .isEmpty();
    assertThat(server.get(CONFIG, token).body()).isEqualTo(before.body());

    HttpTestSupport.stage(server, "core", "default", "{\"seats\":{\"crm\":30}}");
    long revision = HttpTestSupport.publish(server, "core");
    HttpResponse<byte[]> after = server.get(CONFIG, token);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(Long.parseLong(header(after, "Holdfast-Revision")))
        .isEqualTo(revision)
        .isGreaterThan(Long.parseLong(header(before, "Holdfast-Revision")));
    assertThat(header(after, "ETag")).isNotEqualTo(header(before, "ETag"));
    assertThat(envelope(after.body()).content()).isEqualTo(json("{\"seats\":{\"crm\":30}}"));
    assertThat(json(server.get("/health/ready", null)).get("revision").asLong())
        .isGreaterThanOrEqualTo(revision);
  }
}
