package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.testkit.ManualTime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin credentials can be taken back: revoked and rotated tokens fail at once on the replica that
 * made the change and within one refresh interval on another replica over the same SQLite file, for
 * plain requests and for watches already waiting; the last admin stays; an expiry (on a driven
 * clock) refuses the token as a revocation does; every change is audited.
 */
class CredentialLifecycleTest {

  /** Far above the replicas' 50 ms refresh interval, far below a watch's 30 s timeout. */
  private static final Duration PROPAGATION = Duration.ofSeconds(5);

  @TempDir static Path dataDir;

  private static ServerFixture replicaA;
  private static ServerFixture replicaB;
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    replicaA = ServerFixture.start(dataDir);
    replicaB = ServerFixture.start(dataDir);
    replicaA.createInstance("watched", "live");
    replicaA.createNamespace("lifecycle");
  }

  @AfterAll
  static void stop() {
    replicaB.close();
    replicaA.close();
  }

  /** A new credential of {@code role}, made through replica A, known to both replicas. */
  private static Credential credential(String role) {
    String name = "cred-" + SEQUENCE.incrementAndGet();
    JsonNode created =
        replicaA.admin(
            "POST",
            "/v1/admin/credentials",
            "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    String token = created.get("token").asText();
    Awaitility.await().atMost(PROPAGATION).until(() -> works(replicaB, token));
    return new Credential(name, token);
  }

  private record Credential(String name, String token) {}

  private static boolean works(ServerFixture replica, String token) {
    return replica.get("/v1/admin/instances", token).statusCode() == 200;
  }

  private static void assertRefused(ServerFixture replica, String token) {
    assertProblem(replica.get("/v1/admin/instances", token), ProblemType.UNAUTHENTICATED);
  }

  @Test
  void revokedToken_failsAtOnceHere_andWithinARefreshIntervalOnTheOtherReplica() {
    Credential ops = credential("editor");
    assertThat(works(replicaA, ops.token())).isTrue();

    JsonNode revoked =
        replicaA.admin("POST", "/v1/admin/credentials/" + ops.name() + "/revoke", null);

    assertThat(revoked.get("state").asText()).isEqualTo("revoked");
    assertThat(revoked.get("revokedAt").isTextual()).isTrue();
    assertThat(revoked.has("token")).isFalse();
    assertRefused(replicaA, ops.token());
    Awaitility.await().atMost(PROPAGATION).until(() -> !works(replicaB, ops.token()));
    assertRefused(replicaB, ops.token());
    HttpResponse<byte[]> again =
        replicaA.send(
            "POST", "/v1/admin/credentials/" + ops.name() + "/revoke", replicaA.adminToken(), null);
    assertProblem(again, ProblemType.CREDENTIAL_REVOKED);
    JsonNode listed = listed(replicaB, ops.name());
    assertThat(listed.get("state").asText())
        .as("a revoked credential stays listed, as revoked")
        .isEqualTo("revoked");
  }

  @Test
  void rotatedToken_failsAtOnceOnBothReplicas_andTheNewOneWorks_withItsRoleKept() {
    Credential ops = credential("publisher");

    JsonNode rotated =
        replicaA.admin("POST", "/v1/admin/credentials/" + ops.name() + "/rotate", null);

    String fresh = rotated.get("token").asText();
    assertThat(fresh).startsWith(CredentialTokens.ADMIN_PREFIX).isNotEqualTo(ops.token());
    assertThat(rotated.get("role").asText()).isEqualTo("publisher");
    assertRefused(replicaA, ops.token());
    assertThat(works(replicaA, fresh)).isTrue();
    Awaitility.await().atMost(PROPAGATION).until(() -> works(replicaB, fresh));
    assertRefused(replicaB, ops.token());
    assertThat(text(replicaA.get("/v1/admin/credentials/" + ops.name(), replicaA.adminToken())))
        .as("the new token is shown once, in the rotation's answer")
        .doesNotContain(fresh);
  }

  @Test
  void waitingWatches_heldWithARevokedToken_endAtOnce_onBothReplicas() throws Exception {
    Credential watcher = credential("viewer");
    String etag =
        HttpTestSupport.header(
            replicaA.get("/v1/instances/watched/checksums", watcher.token()), "ETag");
    CompletableFuture<HttpResponse<String>> onA = watch(replicaA, watcher.token(), etag);
    CompletableFuture<HttpResponse<String>> onB = watch(replicaB, watcher.token(), etag);
    Awaitility.await().atMost(PROPAGATION).until(() -> waiting(replicaA) && waiting(replicaB));
    long started = System.nanoTime();

    replicaA.admin("POST", "/v1/admin/credentials/" + watcher.name() + "/revoke", null);

    HttpResponse<String> endedA = onA.get(PROPAGATION.toSeconds(), TimeUnit.SECONDS);
    HttpResponse<String> endedB = onB.get(PROPAGATION.toSeconds(), TimeUnit.SECONDS);
    assertThat(endedA.statusCode()).isEqualTo(401);
    assertThat(endedB.statusCode()).isEqualTo(401);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("long before the watch's 30 s timeout")
        .isLessThan(PROPAGATION);
  }

  @Test
  void waitingWatches_heldWithARotatedToken_endAtOnce() throws Exception {
    Credential watcher = credential("viewer");
    String etag =
        HttpTestSupport.header(
            replicaB.get("/v1/instances/watched/checksums", watcher.token()), "ETag");
    CompletableFuture<HttpResponse<String>> onB = watch(replicaB, watcher.token(), etag);
    Awaitility.await().atMost(PROPAGATION).until(() -> waiting(replicaB));

    replicaA.admin("POST", "/v1/admin/credentials/" + watcher.name() + "/rotate", null);

    assertThat(onB.get(PROPAGATION.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(401);
  }

  /**
   * Real time here: the watch's own deadline is what is tested, and it runs on the replica's wall
   * clock.
   */
  @Test
  void aWatchHeldWithAnExpiringCredential_endsAtItsExpiry_notAtItsTimeout() throws Exception {
    String name = "expiring-" + SEQUENCE.incrementAndGet();
    String token =
        replicaA
            .admin(
                "POST",
                "/v1/admin/credentials",
                "{\"name\":\""
                    + name
                    + "\",\"role\":\"viewer\",\"expiresAt\":\""
                    + Instant.now().plusSeconds(3)
                    + "\"}")
            .get("token")
            .asText();
    String etag =
        HttpTestSupport.header(replicaA.get("/v1/instances/watched/checksums", token), "ETag");
    long started = System.nanoTime();

    HttpResponse<String> ended = watch(replicaA, token, etag).get(20, TimeUnit.SECONDS);

    assertThat(ended.statusCode()).isEqualTo(401);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("well before the 30 s timeout")
        .isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void theLastAdmin_cannotBeRevokedOrDemoted_409LastAdmin() throws Exception {
    // Every other admin credential of this pair is a viewer, editor or publisher, or revoked.
    for (JsonNode credential :
        replicaA.admin("GET", "/v1/admin/credentials", null).get("credentials")) {
      if (credential.get("role").asText().equals("admin")
          && credential.get("state").asText().equals("active")
          && !credential.get("name").asText().equals("bootstrap")) {
        replicaA.admin(
            "POST", "/v1/admin/credentials/" + credential.get("name").asText() + "/revoke", null);
      }
    }
    String before = HttpTestSupport.fingerprint(replicaA, "lifecycle");

    JsonNode revoke =
        assertProblem(
            replicaA.send(
                "POST", "/v1/admin/credentials/bootstrap/revoke", replicaA.adminToken(), null),
            ProblemType.LAST_ADMIN);
    JsonNode demote =
        assertProblem(
            replicaA.sendJson(
                "PATCH",
                "/v1/admin/credentials/bootstrap",
                replicaA.adminToken(),
                "{\"role\":\"publisher\"}"),
            ProblemType.LAST_ADMIN);

    assertThat(revoke.get("status").asInt()).isEqualTo(409);
    assertThat(revoke.get("detail").asText()).contains("last usable admin");
    assertThat(demote.get("detail").asText()).contains("last usable admin");
    assertThat(HttpTestSupport.fingerprint(replicaA, "lifecycle"))
        .as("nothing changed")
        .isEqualTo(before);
    assertThat(works(replicaA, replicaA.adminToken())).isTrue();
  }

  @Test
  void changes_roleAndExpiry_overHttp_andRefusesBadInputWithProblems() {
    Credential ops = credential("viewer");
    String path = "/v1/admin/credentials/" + ops.name();

    JsonNode updated =
        json(
            replicaA.sendJson(
                "PATCH",
                path,
                replicaA.adminToken(),
                "{\"role\":\"editor\",\"expiresAt\":\"2100-01-01T00:00:00Z\"}"));
    assertThat(updated.get("role").asText()).isEqualTo("editor");
    assertThat(updated.get("expiresAt").asText()).isEqualTo("2100-01-01T00:00:00Z");
    assertThat(
            replicaA
                .sendJson(
                    "POST",
                    "/v1/admin/namespaces",
                    ops.token(),
                    "{\"name\":\"by-" + ops.name() + "\"}")
                .statusCode())
        .as("the new role applies at once")
        .isEqualTo(201);
    JsonNode cleared =
        json(replicaA.sendJson("PATCH", path, replicaA.adminToken(), "{\"expiresAt\":null}"));
    assertThat(cleared.get("expiresAt").isNull()).isTrue();

    assertProblem(
        replicaA.sendJson("PATCH", path, replicaA.adminToken(), "{}"), ProblemType.INVALID_REQUEST);
    assertProblem(
        replicaA.sendJson("PATCH", path, replicaA.adminToken(), "{\"role\":\"root\"}"),
        ProblemType.INVALID_REQUEST);
    assertProblem(
        replicaA.sendJson("PATCH", path, replicaA.adminToken(), "{\"expiresAt\":\"tomorrow\"}"),
        ProblemType.INVALID_REQUEST);
    assertProblem(
        replicaA.sendJson(
            "PATCH", path, replicaA.adminToken(), "{\"expiresAt\":\"2001-01-01T00:00:00Z\"}"),
        ProblemType.INVALID_REQUEST);
    assertProblem(
        replicaA.sendJson("PATCH", path, replicaA.adminToken(), "{\"token\":\"hfa_mine\"}"),
        ProblemType.UNKNOWN_FIELD);
    assertProblem(
        replicaA.sendJson(
            "PATCH",
            "/v1/admin/credentials/nobody",
            replicaA.adminToken(),
            "{\"role\":\"viewer\"}"),
        ProblemType.CREDENTIAL_NOT_FOUND);
    assertProblem(
        replicaA.send("POST", "/v1/admin/credentials/nobody/rotate", replicaA.adminToken(), null),
        ProblemType.CREDENTIAL_NOT_FOUND);
    assertProblem(
        replicaA.send("DELETE", path, replicaA.adminToken(), null), ProblemType.METHOD_NOT_ALLOWED);
    assertThat(listed(replicaA, ops.name()).get("role").asText()).isEqualTo("editor");
  }

  @Test
  void everyCredentialAction_isAudited_withoutTokensOrHashes() {
    Credential ops = credential("viewer");
    String path = "/v1/admin/credentials/" + ops.name();
    replicaA.admin("PATCH", path, "{\"role\":\"editor\"}");
    String rotated = replicaA.admin("POST", path + "/rotate", null).get("token").asText();
    replicaB.admin("POST", path + "/revoke", null);

    JsonNode audit = replicaA.admin("GET", "/v1/admin/audit?target=credential:" + ops.name(), null);

    List<String> actions = new java.util.ArrayList<>();
    audit.get("entries").forEach(e -> actions.add(0, e.get("action").asText()));
    assertThat(actions)
        .containsExactly(
            "credential.create", "credential.update", "credential.rotate", "credential.revoke");
    audit
        .get("entries")
        .forEach(e -> assertThat(e.get("actor").asText()).isEqualTo("admin:bootstrap"));
    assertThat(audit.get("verification").get("intact").asBoolean()).isTrue();
    String text = audit.toString();
    for (String secret : List.of(ops.token(), rotated)) {
      assertThat(text).doesNotContain(secret).doesNotContain(CredentialTokens.hash(secret));
    }
  }

  @Test
  void lastUse_isShown_andWrittenInBatchesNotPerRequest() {
    Credential ops = credential("viewer");
    replicaA.server().credentialUse().flush();
    replicaB.server().credentialUse().flush();
    String stored = listed(replicaB, ops.name()).get("lastUsedAt").asText(); // B's own check above
    long revision = replicaA.server().snapshots().storeRevision();
    for (int i = 0; i < 20; i++) {
      assertThat(works(replicaA, ops.token())).isTrue();
    }

    String shownByA = listed(replicaA, ops.name()).get("lastUsedAt").asText();
    assertThat(Instant.parse(shownByA))
        .as("this replica shows the use it has not written yet")
        .isAfter(Instant.parse(stored));
    assertThat(listed(replicaB, ops.name()).get("lastUsedAt").asText())
        .as("twenty requests wrote nothing to the store")
        .isEqualTo(stored);
    assertThat(replicaA.server().credentialUse().flush()).as("one batch").isPositive();
    assertThat(listed(replicaB, ops.name()).get("lastUsedAt").asText())
        .as("the batch, seen from the other replica")
        .isEqualTo(shownByA);
    assertThat(replicaA.server().snapshots().storeRevision())
        .as("last use is not a revision")
        .isEqualTo(revision);
    JsonNode created = listed(replicaB, ops.name()).get("createdAt");
    assertThat(Instant.parse(created.asText())).isBefore(Instant.parse(shownByA));
  }

  /** Expiry, on a replica of its own whose clock the test moves. */
  @Test
  void anExpiredCredential_isRefusedLikeARevokedOne(@TempDir Path ownDir) {
    ManualTime time = new ManualTime(Instant.now());
    try (ServerFixture replica = ServerFixture.startWithClock(ownDir, time.clock())) {
      Instant expiry = time.clock().instant().plus(Duration.ofHours(1));
      JsonNode created =
          replica.admin(
              "POST",
              "/v1/admin/credentials",
              "{\"name\":\"temp\",\"role\":\"viewer\",\"expiresAt\":\"" + expiry + "\"}");
      String token = created.get("token").asText();
      assertThat(created.get("expiresAt").asText()).isEqualTo(expiry.toString());
      assertThat(works(replica, token)).isTrue();

      time.advance(Duration.ofMinutes(59));
      assertThat(works(replica, token)).as("a minute before its expiry").isTrue();
      time.advance(Duration.ofMinutes(1));

      JsonNode problem =
          assertProblem(replica.get("/v1/admin/instances", token), ProblemType.UNAUTHENTICATED);
      assertThat(problem.get("detail").asText()).isEqualTo("the bearer token is not valid");
      assertThat(listed(replica, "temp").get("state").asText()).isEqualTo("expired");
      replica.admin("PATCH", "/v1/admin/credentials/temp", "{\"expiresAt\":null}");
      assertThat(works(replica, token)).as("an expiry lifted brings the credential back").isTrue();
    }
  }

  /**
   * The bootstrap credential rotates like any other; its old token (the admin-token file's, or the
   * configured one) is then dead, and a restart with the same token does not revive it. A new token
   * in its place (here: the file deleted, so a new one is generated) resets it: the way back in for
   * an operator who holds the data directory.
   */
  @Test
  void theBootstrapCredential_rotates_andARestartDoesNotReviveItsOldToken(@TempDir Path ownDir)
      throws Exception {
    String original;
    String rotated;
    try (ServerFixture replica = ServerFixture.start(ownDir)) {
      original = replica.adminToken();
      rotated =
          replica
              .admin("POST", "/v1/admin/credentials/bootstrap/rotate", null)
              .get("token")
              .asText();
      assertRefused(replica, original);
      assertThat(works(replica, rotated)).isTrue();
    }
    assertThat(java.nio.file.Files.readString(ownDir.resolve("admin-token")).strip())
        .as("the file still holds the retired token")
        .isEqualTo(original);

    try (ServerFixture restarted = ServerFixture.start(ownDir)) {
      assertRefused(restarted, original);
      assertThat(works(restarted, rotated)).isTrue();
    }

    java.nio.file.Files.delete(ownDir.resolve("admin-token"));
    try (ServerFixture reset = ServerFixture.start(ownDir)) {
      String generated = reset.adminToken();
      assertThat(generated).isNotEqualTo(original);
      assertThat(works(reset, generated)).isTrue();
      assertRefused(reset, rotated);
      JsonNode audit =
          reset.admin("GET", "/v1/admin/audit?target=credential:bootstrap", null).get("entries");
      assertThat(audit)
          .extracting(e -> e.get("action").asText())
          .containsExactly("credential.bootstrap", "credential.rotate", "credential.bootstrap");
    }
  }

  private static JsonNode listed(ServerFixture replica, String name) {
    return replica.admin("GET", "/v1/admin/credentials/" + name, null);
  }

  private static boolean waiting(ServerFixture replica) {
    JsonNode health = json(replica.get("/health/ready", null));
    return health.path("watchers").path("waiting").asInt() > 0;
  }

  private static CompletableFuture<HttpResponse<String>> watch(
      ServerFixture replica, String token, String etag) {
    URI uri =
        replica.uri(
            "/v1/instances/watched/watch?timeout=30s&etag="
                + java.net.URLEncoder.encode(etag, java.nio.charset.StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(40))
            .build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }
}
