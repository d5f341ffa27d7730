package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.STRICT;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.text;
import static io.holdfast.server.http.KeySetFixtures.keySet;
import static io.holdfast.server.http.KeySetFixtures.pair;
import static io.holdfast.server.http.KeySetFixtures.root;
import static io.holdfast.server.http.KeySetFixtures.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.server.ServerFixture;
import io.holdfast.testkit.ManualTime;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real replicas on one SQLite file serve checksums carrying the freshness statement and the
 * newest key set's version (issue 19, FAULTS D11): byte for byte the same on both, re-issued when
 * the period rolls over or a key set is published, and every pending watch hears of it. The
 * replicas tell time by a {@link ManualTime} the tests move; a watch is known to be waiting once
 * the replica's readiness counts it, so nothing sleeps.
 */
class ChecksumsStatementReplicaTest {

  private static final Duration AT_ONCE = Duration.ofSeconds(5);
  private static final Duration PERIOD = Duration.ofHours(12);

  @TempDir Path dataDir;

  /** Now: the key sets published are issued by the real clock, and must not be in the future. */
  private final ManualTime time = new ManualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
  private ServerFixture replicaA;
  private ServerFixture replicaB;
  private Map<String, String> tokens;

  @BeforeEach
  void start() {
    replicaA = ServerFixture.startWithClock(dataDir, time.clock());
    replicaA.createNamespace("core");
    tokens =
        Map.of(
            "acme-prod", replicaA.createInstance("acme-prod", "live"),
            "beta-co", replicaA.createInstance("beta-co", "beta"));
    replicaA.publishLayer("core", "default", "{\"seats\":{\"crm\":25}}");
    replicaB = ServerFixture.startWithClock(dataDir, time.clock());
  }

  @AfterEach
  void stop() throws InterruptedException {
    try {
      replicaB.close();
      replicaA.close();
    } finally {
      clients.shutdownNow();
      clients.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** The start of the 12-hour period (of the default 24-hour validity) {@code at} is in. */
  private static Instant periodStart(Instant at) {
    long period = PERIOD.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), period) * period);
  }

  private HttpResponse<byte[]> checksums(ServerFixture replica, String instance) {
    HttpResponse<byte[]> response =
        replica.get("/v1/instances/" + instance + "/checksums", tokens.get(instance));
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    return response;
  }

  private static Checksums parse(byte[] body) {
    try {
      return Checksums.parse(body, STRICT);
    } catch (JsonInputException e) {
      throw new AssertionError(e);
    }
  }

  private CompletableFuture<HttpResponse<byte[]>> watch(
      ServerFixture replica, String instance, String etag) {
    String path =
        "/v1/instances/"
            + instance
            + "/watch?timeout=45s&etag="
            + URLEncoder.encode(etag, StandardCharsets.UTF_8);
    return CompletableFuture.supplyAsync(() -> replica.get(path, tokens.get(instance)), clients);
  }

  private static void awaitWaiting(ServerFixture replica, int count) {
    await()
        .atMost(AT_ONCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                ServerFixture.json(replica.get("/health/ready", null))
                        .path("watchers")
                        .path("waiting")
                        .asInt(-1)
                    == count);
  }

  /** Replica B serves what A serves: it polls the store every 50 ms. */
  private void awaitBothServeTheSame(String instance) {
    await()
        .atMost(AT_ONCE)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                header(checksums(replicaB, instance), "ETag")
                    .equals(header(checksums(replicaA, instance), "ETag")));
  }

  @Test
  void D11_bothReplicas_serveByteIdenticalChecksums_carryingTheAlignedStatement() {
    for (String instance : tokens.keySet()) {
      awaitBothServeTheSame(instance);
      HttpResponse<byte[]> a = checksums(replicaA, instance);
      HttpResponse<byte[]> b = checksums(replicaB, instance);

      assertThat(b.body()).isEqualTo(a.body());
      Checksums statement = parse(a.body());
      Instant issuedAt = periodStart(time.clock().instant());
      assertThat(statement.validity())
          .hasValue(new Checksums.Validity(issuedAt, issuedAt.plus(Duration.ofHours(24))));
      assertThat(statement.keySetVersion()).isZero();
    }
  }

  @Test
  void D11_aPeriodRollover_wakesPendingWatches_onBothReplicas_withTheReissuedStatement() {
    awaitBothServeTheSame("acme-prod");
    String etag = header(checksums(replicaA, "acme-prod"), "ETag");
    CompletableFuture<HttpResponse<byte[]>> onA = watch(replicaA, "acme-prod", etag);
    CompletableFuture<HttpResponse<byte[]>> onB = watch(replicaB, "acme-prod", etag);
    awaitWaiting(replicaA, 1);
    awaitWaiting(replicaB, 1);

    Instant next = periodStart(time.clock().instant()).plus(PERIOD);
    time.advance(Duration.between(time.clock().instant(), next)); // the next period's first instant

    HttpResponse<byte[]> fromA = onA.orTimeout(AT_ONCE.toSeconds(), TimeUnit.SECONDS).join();
    HttpResponse<byte[]> fromB = onB.orTimeout(AT_ONCE.toSeconds(), TimeUnit.SECONDS).join();
    for (HttpResponse<byte[]> watched : List.of(fromA, fromB)) {
      assertThat(watched.statusCode()).as(text(watched)).isEqualTo(200);
      assertThat(header(watched, "ETag")).isNotEqualTo(etag);
      assertThat(parse(watched.body()).validity().orElseThrow().issuedAt())
          .isEqualTo(time.clock().instant());
    }
    assertThat(fromB.body()).as("the same statement on both").isEqualTo(fromA.body());
  }

  @Test
  void D11_aPublishedKeySet_wakesEveryPendingWatch_andEveryChecksumsNameItsVersion() {
    awaitBothServeTheSame("acme-prod");
    awaitBothServeTheSame("beta-co");
    Map<String, String> etags =
        Map.of(
            "acme-prod", header(checksums(replicaA, "acme-prod"), "ETag"),
            "beta-co", header(checksums(replicaA, "beta-co"), "ETag"));
    CompletableFuture<HttpResponse<byte[]>> acmeOnA =
        watch(replicaA, "acme-prod", etags.get("acme-prod"));
    CompletableFuture<HttpResponse<byte[]>> betaOnA =
        watch(replicaA, "beta-co", etags.get("beta-co"));
    CompletableFuture<HttpResponse<byte[]>> acmeOnB =
        watch(replicaB, "acme-prod", etags.get("acme-prod"));
    awaitWaiting(replicaA, 2);
    awaitWaiting(replicaB, 1);
    KeyPair rootKey = pair();

    HttpResponse<byte[]> published =
        replicaA.send(
            "PUT",
            "/v1/admin/keyset",
            replicaA.adminToken(),
            signed(keySet(1, root(1, rootKey), pair()), rootKey),
            "Content-Type",
            "application/json");

    assertThat(published.statusCode()).as(text(published)).isEqualTo(201);
    // The replica it was published through re-issued its checksums before the publish answered.
    assertThat(parse(checksums(replicaA, "beta-co").body()).keySetVersion()).isEqualTo(1);
    for (CompletableFuture<HttpResponse<byte[]>> watch : List.of(acmeOnA, betaOnA, acmeOnB)) {
      HttpResponse<byte[]> watched = watch.orTimeout(AT_ONCE.toSeconds(), TimeUnit.SECONDS).join();
      assertThat(watched.statusCode()).as(text(watched)).isEqualTo(200);
      assertThat(parse(watched.body()).keySetVersion()).isEqualTo(1);
    }
    for (String instance : tokens.keySet()) {
      awaitBothServeTheSame(instance);
      for (ServerFixture replica : List.of(replicaA, replicaB)) {
        assertThat(parse(checksums(replica, instance).body()).keySetVersion())
            .as(instance)
            .isEqualTo(1);
      }
    }
  }
}
