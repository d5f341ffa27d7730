package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The long-polling watch on an instance's checksums: it answers at once when the client's tag is
 * out of date, waits (without polling) for a publish that changes this instance's checksums, and
 * answers 304 at its timeout; behind the same tenant wall as the reads, bounded by {@code
 * max-watchers}, and released when the replica stops (FAULTS A5, A10, B11, B16).
 *
 * <p>Two replicas share one data directory; a watch is known to be waiting once the replica's
 * readiness counts it, so no test sleeps.
 */
class WatchTest {

  private static final String CHECKSUMS = "/v1/instances/acme-prod/checksums";
  private static final Duration AT_ONCE = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(10);

  @TempDir static Path dataDir;

  private static ServerFixture replicaA;
  private static ServerFixture replicaB;
  private static String token;
  private static String betaToken;
  private static ExecutorService clients;
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  @BeforeAll
  static void startReplicas() {
    clients = Executors.newVirtualThreadPerTaskExecutor();
    replicaA = ServerFixture.start(dataDir);
    replicaA.createNamespace("core");
    token = replicaA.createInstance("acme-prod", "live");
    betaToken = replicaA.createInstance("beta-co", "beta");
    HttpTestSupport.stage(replicaA, "core", "default", "{\"seats\":{\"crm\":25}}");
    HttpTestSupport.publish(replicaA, "core");
    replicaB = ServerFixture.start(dataDir);
  }

  @AfterAll
  static void stopReplicas() throws InterruptedException {
    try {
      for (ServerFixture replica : new ServerFixture[] {replicaB, replicaA}) {
        if (replica != null) {
          replica.close();
        }
      }
    } finally {
      clients.shutdownNow();
      clients.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  // ------------------------------------------------------------------ helpers

  private static String watchPath(String instance, String etag, String timeout) {
    StringBuilder path = new StringBuilder("/v1/instances/").append(instance).append("/watch");
    String separator = "?";
    if (etag != null) {
      path.append(separator)
          .append("etag=")
          .append(URLEncoder.encode(etag, StandardCharsets.UTF_8));
      separator = "&";
    }
    if (timeout != null) {
      path.append(separator)
          .append("timeout=")
          .append(URLEncoder.encode(timeout, StandardCharsets.UTF_8));
    }
    return path.toString();
  }

  private static String checksumsEtag(ServerFixture replica) {
    return header(replica.get(CHECKSUMS, token), "ETag");
  }

  /** Sends the watch on a virtual thread of its own. */
  private static CompletableFuture<HttpResponse<byte[]>> watchAsync(
      ServerFixture replica, String path) {
    return CompletableFuture.supplyAsync(() -> replica.get(path, token), clients);
  }

  /** How many watch requests the replica holds waiting, as its readiness reports. */
  private static int waiting(ServerFixture replica) {
    return json(replica.get("/health/ready", null)).path("watchers").path("waiting").asInt(-1);
  }

  private static void awaitWaiting(ServerFixture replica, int count) {
    await()
        .atMost(AT_ONCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .untilAsserted(() -> assertThat(waiting(replica)).isEqualTo(count));
  }

  /** Publishes new content to the default layer, which every instance's documents include. */
  private static long publishForEveryone() {
    HttpTestSupport.stage(
        replicaA,
        "core",
        "default",
        "{\"seats\":{\"crm\":" + (100 + SEQUENCE.incrementAndGet()) + "}}");
    return HttpTestSupport.publish(replicaA, "core");
  }

  private static void assertSameAsChecksums(
      HttpResponse<byte[]> watched, HttpResponse<byte[]> checksums) {
    assertThat(watched.statusCode()).isEqualTo(200);
    assertThat(checksums.statusCode()).isEqualTo(200);
    assertThat(watched.body()).isEqualTo(checksums.body());
    for (String name :
        List.of(
            "ETag",
            "Repr-Digest",
            "Holdfast-Signature",
            "Holdfast-Revision",
            "Cache-Control",
            "Content-Type")) {
      assertThat(header(watched, name)).as(name).isEqualTo(header(checksums, name));
    }
  }

  // ------------------------------------------------------------------ answering at once

  @Test
  void watch_withoutEtag_answersAtOnceWithTheChecksumsDocumentAndItsHeaders() {
    HttpResponse<byte[]> watched =
        assertTimeoutPreemptively(
            AT_ONCE, () -> replicaA.get(watchPath("acme-prod", null, "60s"), token));

    assertSameAsChecksums(watched, replicaA.get(CHECKSUMS, token));
    assertThat(header(watched, "Cache-Control")).isEqualTo("private, no-cache");
    assertThat(header(watched, "Content-Type")).isEqualTo("application/vnd.holdfast.envelope+json");
  }

  @ParameterizedTest(name = "[{index}] etag={0}")
  @ValueSource(strings = {"\"out-of-date\"", "out-of-date", "W/\"out-of-date\""})
  void watch_withAnOutOfDateEtag_quotedOrNot_answersAtOnceWithTheChecksums(String etag) {
    HttpResponse<byte[]> watched =
        assertTimeoutPreemptively(
            AT_ONCE, () -> replicaA.get(watchPath("acme-prod", etag, "60s"), token));

    assertSameAsChecksums(watched, replicaA.get(CHECKSUMS, token));
  }

  @Test
  void watch_withoutTimeout_isAccepted_andDefaultsToThirtySeconds() {
    HttpResponse<byte[]> watched =
        replicaA.get(watchPath("acme-prod", "\"out-of-date\"", null), token);

    assertThat(watched.statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "[{index}] timeout={0}")
  @ValueSource(strings = {"1s", "1000ms", "1m", "60s", "PT5S", "pt1m", "61s", "2m", "1h"})
  void watch_acceptsTimeoutsFromOneSecondUp_inShortOrIsoForm(String timeout) {
    HttpResponse<byte[]> watched =
        replicaA.get(watchPath("acme-prod", "\"out-of-date\"", timeout), token);

    assertThat(watched.statusCode()).as(HttpTestSupport.text(watched)).isEqualTo(200);
  }

  // ------------------------------------------------------------------ waiting

  @Test
  void watch_withTheCurrentEtag_waitsForAPublishForThisInstance_thenAnswersWithTheNewChecksums() {
    String etag = checksumsEtag(replicaA);
    CompletableFuture<HttpResponse<byte[]>> watch =
        watchAsync(replicaA, watchPath("acme-prod", etag, "30s"));
    awaitWaiting(replicaA, 1);
    assertThat(watch).as("the watch waits while nothing changed").isNotDone();

    long revision = publishForEveryone();

    HttpResponse<byte[]> watched = watch.orTimeout(AT_ONCE.toSeconds(), TimeUnit.SECONDS).join();
    HttpResponse<byte[]> checksums = replicaA.get(CHECKSUMS, token);
    assertSameAsChecksums(watched, checksums);
    assertThat(header(watched, "ETag")).isNotEqualTo(etag);
    assertThat(Long.parseLong(header(watched, "Holdfast-Revision"))).isEqualTo(revision);
    awaitWaiting(replicaA, 0);
  }

  @Test
  void watch_withTheCurrentEtagUnquoted_waitsLikeTheQuotedForm() {
    String etag = checksumsEtag(replicaA);
    CompletableFuture<HttpResponse<byte[]>> watch =
        watchAsync(replicaA, watchPath("acme-prod", EntityTag.parse(etag).opaque(), "30s"));
    awaitWaiting(replicaA, 1);

    publishForEveryone();

    HttpResponse<byte[]> watched = watch.orTimeout(AT_ONCE.toSeconds(), TimeUnit.SECONDS).join();
    assertThat(watched.statusCode()).isEqualTo(200);
    assertThat(header(watched, "ETag")).isNotEqualTo(etag).isEqualTo(checksumsEtag(replicaA));
  }

  @Test
  void watch_isNotWokenByAPublishForAnotherRing_andTimesOutWith304() {
    String etag = checksumsEtag(replicaA);
    String betaEtag = header(replicaA.get("/v1/instances/beta-co/checksums", betaToken), "ETag");
    CompletableFuture<HttpResponse<byte[]>> watch =
        watchAsync(replicaA, watchPath("acme-prod", etag, "1s"));
    awaitWaiting(replicaA, 1);

    HttpTestSupport.stage(
        replicaA, "core", "ring:beta", "{\"beta\":" + SEQUENCE.incrementAndGet() + "}");
    HttpTestSupport.publish(replicaA, "core");

    HttpResponse<byte[]> watched = watch.orTimeout(AT_ONCE.toSeconds(), TimeUnit.SECONDS).join();
    assertThat(watched.statusCode()).isEqualTo(304);
    assertThat(header(watched, "ETag")).isEqualTo(etag).isEqualTo(checksumsEtag(replicaA));
    assertThat(watched.body()).isEmpty();
    assertThat(header(replicaA.get("/v1/instances/beta-co/checksums", betaToken), "ETag"))
        .as("the publish did change the other ring's checksums")
        .isNotEqualTo(betaEtag);
  }

  @Test
  void
      watch_isNotAnsweredByAPublishToAnotherInstancesLayer_whileThatInstancesWatcherIsAnsweredAtOnce() {
    String etag = checksumsEtag(replicaA);
    String betaEtag = header(replicaA.get("/v1/instances/beta-co/checksums", betaToken), "ETag");
    CompletableFuture<HttpResponse<byte[]>> acme =
        watchAsync(replicaA, watchPath("acme-prod", etag, "1s"));
    CompletableFuture<HttpResponse<byte[]>> beta =
        CompletableFuture.supplyAsync(
            () -> replicaA.get(watchPath("beta-co", betaEtag, "60s"), betaToken), clients);
    awaitWaiting(replicaA, 2);

    HttpTestSupport.stage(
        replicaA, "core", "instance:beta-co", "{\"own\":" + SEQUENCE.incrementAndGet() + "}");
    long revision = HttpTestSupport.publish(replicaA, "core");

    HttpResponse<byte[]> betaWatched = beta.orTimeout(AT_ONCE.toSeconds(), TimeUnit.SECONDS).join();
    assertThat(betaWatched.statusCode()).isEqualTo(200);
    assertThat(header(betaWatched, "ETag"))
        .isNotEqualTo(betaEtag)
        .isEqualTo(header(replicaA.get("/v1/instances/beta-co/checksums", betaToken), "ETag"));
    assertThat(Long.parseLong(header(betaWatched, "Holdfast-Revision"))).isEqualTo(revision);
    HttpResponse<byte[]> acmeWatched = acme.orTimeout(AT_ONCE.toSeconds(), TimeUnit.SECONDS).join();
    assertThat(acmeWatched.statusCode()).isEqualTo(304);
    assertThat(header(acmeWatched, "ETag")).isEqualTo(etag).isEqualTo(checksumsEtag(replicaA));
    awaitWaiting(replicaA, 0);
  }

  @Test
  void watch_whoseCredentialIsRotatedWhileItWaits_endsPromptlyWith401_notAtItsTimeout(
      @TempDir Path dir) {
    // A replica of its own: the rotation must not touch the shared instances, and closing it
    // releases the watch even if the rotation did not.
    try (ServerFixture server = ServerFixture.start(dir)) {
      server.createNamespace("core");
      String own = server.createInstance("acme-prod", "live");
      String etag = header(server.get(CHECKSUMS, own), "ETag");
      CompletableFuture<HttpResponse<byte[]>> watch =
          CompletableFuture.supplyAsync(
              () -> server.get(watchPath("acme-prod", etag, "60s"), own), clients);
      awaitWaiting(server, 1);

      String rotated =
          server
              .admin("POST", "/v1/admin/instances/acme-prod/credential", null)
              .get("credential")
              .asText();

      HttpResponse<byte[]> ended = watch.orTimeout(AT_ONCE.toSeconds(), TimeUnit.SECONDS).join();
      assertProblem(ended, ProblemType.UNAUTHENTICATED);
      awaitWaiting(server, 0);
      HttpResponse<byte[]> withNewCredential = server.get(CHECKSUMS, rotated);
      assertThat(withNewCredential.statusCode()).isEqualTo(200);
      assertThat(header(withNewCredential, "ETag"))
          .as("the rotation changed nothing the instance reads")
          .isEqualTo(etag);
    }
  }

  @Test
  void watch_timeout_answers304WithTheSameValidatorsAsThe200_andNoContentLength() {
    RawHttp.Response ok =
        RawHttp.request(
            replicaA.server().port(), "GET", CHECKSUMS, "Authorization: Bearer " + token);
    String etag = ok.first("ETag").orElseThrow();

    RawHttp.Response timedOut =
        RawHttp.request(
            replicaA.server().port(),
            "GET",
            watchPath("acme-prod", etag, "1s"),
            "Authorization: Bearer " + token);

    assertThat(timedOut.status()).isEqualTo(304);
    assertThat(timedOut.all("ETag")).containsExactly(etag);
    assertThat(timedOut.all("Cache-Control")).containsExactly("private, no-cache");
    assertThat(timedOut.all("Holdfast-Revision")).isEqualTo(ok.all("Holdfast-Revision")).hasSize(1);
    assertThat(timedOut.all("Content-Length")).isEmpty();
    assertThat(timedOut.all("Transfer-Encoding")).isEmpty();
    assertThat(timedOut.rest()).isEmpty();
  }

  @Test
  void watchOnReplicaB_wakesWithinOneSecondOfAPublishThroughReplicaA() {
    await()
        .atMost(AT_ONCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .untilAsserted(
            () -> assertThat(checksumsEtag(replicaB)).isEqualTo(checksumsEtag(replicaA)));
    String etag = checksumsEtag(replicaB);
    CompletableFuture<HttpResponse<byte[]>> watch =
        watchAsync(replicaB, watchPath("acme-prod", etag, "30s"));
    awaitWaiting(replicaB, 1);

    publishForEveryone();

    await()
        .atMost(Duration.ofSeconds(1))
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .until(watch::isDone);
    HttpResponse<byte[]> watched = watch.join();
    assertThat(watched.statusCode()).isEqualTo(200);
    assertThat(header(watched, "ETag")).isNotEqualTo(etag);
    assertSameAsChecksums(watched, replicaA.get(CHECKSUMS, token));
  }

  // ------------------------------------------------------------------ tenant wall

  @Test
  void watch_withAnotherInstancesToken_isIndistinguishableFromAnUnknownInstance() {
    HttpResponse<byte[]> crossTenant = replicaA.get(watchPath("acme-prod", null, "1s"), betaToken);
    HttpResponse<byte[]> unknown = replicaA.get(watchPath("acme-zzzz", null, "1s"), betaToken);

    assertProblem(crossTenant, ProblemType.INSTANCE_NOT_FOUND);
    assertProblem(unknown, ProblemType.INSTANCE_NOT_FOUND);
    assertThat(HttpTestSupport.text(crossTenant).replace("acme-prod", "acme-zzzz"))
        .isEqualTo(HttpTestSupport.text(unknown));
  }

  @Test
  void watch_withAnotherInstancesToken_andItsCurrentEtag_is404_notAWaitOr304() {
    String etag = checksumsEtag(replicaA);

    HttpResponse<byte[]> crossTenant =
        assertTimeoutPreemptively(
            AT_ONCE, () -> replicaA.get(watchPath("acme-prod", etag, "60s"), betaToken));

    assertProblem(crossTenant, ProblemType.INSTANCE_NOT_FOUND);
  }

  @Test
  void watch_withAnAdminToken_readsAnyInstance() {
    HttpResponse<byte[]> watched =
        replicaA.get(watchPath("acme-prod", null, "1s"), replicaA.adminToken());

    assertSameAsChecksums(watched, replicaA.get(CHECKSUMS, token));
  }

  @Test
  void watch_withoutOrWithABadToken_is401() {
    assertProblem(
        replicaA.get(watchPath("acme-prod", null, "1s"), null), ProblemType.UNAUTHENTICATED);
    assertProblem(
        replicaA.get(watchPath("acme-prod", null, "1s"), "hfi_wrong"), ProblemType.UNAUTHENTICATED);
  }

  @Test
  void watch_withAnotherMethod_is405NamingGet() {
    HttpResponse<byte[]> response =
        replicaA.send("POST", watchPath("acme-prod", null, "1s"), token, null);

    assertProblem(response, ProblemType.METHOD_NOT_ALLOWED);
    assertThat(header(response, "Allow")).isEqualTo("GET");
  }

  // ------------------------------------------------------------------ bad parameters

  @ParameterizedTest(name = "[{index}] etag={0}")
  @ValueSource(strings = {"", "abc\"", "\"abc", "W/abc", "a b", "\"a\", \"b\"", "w/\"abc\""})
  void watch_withAMalformedEtag_is400InvalidPrecondition(String etag) {
    assertProblem(
        replicaA.get(watchPath("acme-prod", etag, "1s"), token), ProblemType.INVALID_PRECONDITION);
  }

  @Test
  void watch_withTwoEtags_is400InvalidPrecondition() {
    assertProblem(
        replicaA.get(watchPath("acme-prod", "a", "1s") + "&etag=b", token),
        ProblemType.INVALID_PRECONDITION);
  }

  @ParameterizedTest(name = "[{index}] timeout={0}")
  @ValueSource(
      strings = {"", "0s", "999ms", "250ms", "-5s", "PT0S", "soon", "5", "9999999999999999999s"})
  void watch_withATimeoutThatIsMalformedOrUnderOneSecond_is400InvalidRequest(String timeout) {
    assertProblem(
        replicaA.get(watchPath("acme-prod", "\"out-of-date\"", timeout), token),
        ProblemType.INVALID_REQUEST);
  }

  @ParameterizedTest(name = "[{index}] timeout={0}")
  @ValueSource(strings = {"51s", "60s", "1m", "PT60S", "2m", "1h", "365d"})
  void F7_watchTimeoutsAboveFiftySeconds_areClampedToFifty_beforeCommonProxyTimeoutsOfSixty(
      String timeout) {
    assertThat(InstanceApi.watchTimeout(timeout)).isEqualTo(Duration.ofSeconds(50));
    assertThat(InstanceApi.MAX_WATCH_TIMEOUT).isLessThan(Duration.ofSeconds(60));
  }

  @ParameterizedTest(name = "[{index}] timeout={0}")
  @ValueSource(strings = {"1s", "30s", "50s", "PT45S", "49999ms"})
  void watchTimeoutsUpToFiftySeconds_areKeptAsAsked(String timeout) {
    Duration asked = io.holdfast.server.config.ServerConfigLoader.duration("timeout", timeout);
    assertThat(InstanceApi.watchTimeout(timeout)).isEqualTo(asked);
  }

  @Test
  void watch_withTwoTimeouts_is400InvalidRequest() {
    assertProblem(
        replicaA.get(watchPath("acme-prod", null, "1s") + "&timeout=2s", token),
        ProblemType.INVALID_REQUEST);
  }

  // ------------------------------------------------------------------ lifecycle and limits

  @Test
  void closingTheServer_releasesAWaitingWatcherPromptly(@TempDir Path dir) {
    ServerFixture server = ServerFixture.start(dir);
    CompletableFuture<HttpResponse<byte[]>> watch;
    String etag;
    try {
      server.createNamespace("core");
      String own = server.createInstance("acme-prod", "live");
      etag = header(server.get(CHECKSUMS, own), "ETag");
      watch =
          CompletableFuture.supplyAsync(
              () -> server.get(watchPath("acme-prod", etag, "60s"), own), clients);
      awaitWaiting(server, 1);
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }

    // Well under the web server's 5 s grace period: the watcher did not hold the stop up.
    assertTimeoutPreemptively(Duration.ofSeconds(3), server::close);

    HttpResponse<byte[]> released = watch.orTimeout(1, TimeUnit.SECONDS).join();
    assertThat(released.statusCode()).isEqualTo(304);
    assertThat(header(released, "ETag")).isEqualTo(etag);
  }

  @Test
  void watchBeyondMaxWatchers_is503TooManyWatchersWithRetryAfter_andTheLimitFreesUpAgain(
      @TempDir Path dir) {
    try (ServerFixture server =
        ServerFixture.startConfigured(dir, config -> config.maxWatchers(1))) {
      server.createNamespace("core");
      String own = server.createInstance("acme-prod", "live");
      String etag = header(server.get(CHECKSUMS, own), "ETag");
      assertThat(json(server.get("/health/ready", null)).path("watchers").path("max").asInt())
          .isEqualTo(1);
      CompletableFuture<HttpResponse<byte[]>> first =
          CompletableFuture.supplyAsync(
              () -> server.get(watchPath("acme-prod", etag, "2s"), own), clients);
      awaitWaiting(server, 1);

      HttpResponse<byte[]> refused = server.get(watchPath("acme-prod", etag, "2s"), own);
      assertProblem(refused, ProblemType.TOO_MANY_WATCHERS);
      assertThat(header(refused, "Retry-After")).matches("[1-9][0-9]*");
      assertThat(server.get(watchPath("acme-prod", "\"out-of-date\"", "2s"), own).statusCode())
          .as("a watch that answers at once needs no place")
          .isEqualTo(200);

      assertThat(first.orTimeout(AT_ONCE.toSeconds(), TimeUnit.SECONDS).join().statusCode())
          .isEqualTo(304);
      awaitWaiting(server, 0);
      assertThat(server.get(watchPath("acme-prod", etag, "1s"), own).statusCode())
          .as("the place is free again")
          .isEqualTo(304);
    }
  }
}
