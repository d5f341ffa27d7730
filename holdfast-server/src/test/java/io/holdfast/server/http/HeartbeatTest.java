package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.FailingStore;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Heartbeats: an instance reports its status for itself alone; the latest report is stored with the
 * time it was received and shown to admins; a report is checked member by member, bounded in size,
 * and never counts as a revision (DESIGN: heartbeat; invariants 5 and 6).
 */
class HeartbeatTest {

  private static final String HEARTBEAT = "/v1/instances/acme-prod/heartbeat";
  private static final String ADMIN_READ = "/v1/admin/instances/acme-prod/heartbeat";
  private static final String CONFIG = "/v1/instances/acme-prod/config/core";
  private static final String CHECKSUMS = "/v1/instances/acme-prod/checksums";

  @TempDir static Path dataDir;

  private static FailingStore failing;
  private static ServerFixture server;
  private static String token;
  private static String otherToken;
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir, store -> failing = new FailingStore(store));
    server.createNamespace("core");
    token = server.createInstance("acme-prod", "live");
    otherToken = server.createInstance("beta-co", "beta");
    server.createInstance("quiet-co", "live");
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
    await()
        .atMost(Duration.ofSeconds(5))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () ->
                assertThat(json(server.get("/health/ready", null)).get("status").asText())
                    .isEqualTo("ready"));
  }

  /** A complete, valid report whose SDK version makes it unique. */
  private static String report() {
    return report("1.0." + SEQUENCE.incrementAndGet());
  }

  private static String report(String sdkVersion) {
    return "{\"sdkVersion\":\""
        + sdkVersion
        + "\",\"sentAt\":\"2026-11-25T18:19:15.516Z\","
        + "\"lastSuccessAt\":\"2026-11-25T18:19:00+01:00\",\"lastError\":null,"
        + "\"namespaces\":{\"core\":{\"revision\":9,\"etag\":\"\\\"abc\\\"\",\"status\":\"FRESH\","
        + "\"since\":\"2026-11-25T18:00:00Z\",\"reason\":null},"
        + "\"features\":{\"revision\":0,\"etag\":null,\"status\":\"STALE\",\"since\":\"2026-11-25T17:00:00.1Z\","
        + "\"reason\":\"replica unreachable\"}},"
        + "\"seatsInUse\":{\"crm\":12,\"erp\":0}}";
  }

  private static HttpResponse<byte[]> beat(String path, String tokenToUse, String body) {
    return server.sendJson("POST", path, tokenToUse, body);
  }

  private static HttpResponse<byte[]> adminRead() {
    return server.get(ADMIN_READ, server.adminToken());
  }

  // ------------------------------------------------------------------ recording and reading

  @Test
  void heartbeat_answers204_andAdminsReadItBackWithTheTimeItWasReceived() {
    String body = report();
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    HttpResponse<byte[]> response = beat(HEARTBEAT, token, body);

    Instant after = Instant.now();
    assertThat(response.statusCode()).as(text(response)).isEqualTo(204);
    assertThat(response.body()).isEmpty();
    HttpResponse<byte[]> read = adminRead();
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(header(read, "Content-Type")).isEqualTo("application/json");
    assertThat(header(read, "Cache-Control")).isEqualTo("no-store");
    JsonNode view = json(read);
    assertThat(view.get("instance").asText()).isEqualTo("acme-prod");
    assertThat(Instant.parse(view.get("receivedAt").asText())).isBetween(before, after);
    assertThat(view.get("heartbeat")).isEqualTo(json(body));
    assertThat(view.size()).isEqualTo(3);
  }

  @Test
  void laterHeartbeat_replacesTheEarlierOne() {
    beat(HEARTBEAT, token, report("2.0.0"));

    assertThat(beat(HEARTBEAT, token, report("2.0.1")).statusCode()).isEqualTo(204);

    assertThat(json(adminRead()).get("heartbeat").get("sdkVersion").asText()).isEqualTo("2.0.1");
  }

  @Test
  void minimalHeartbeat_withOnlySdkVersionAndSentAt_isAccepted() {
    String body = "{\"sdkVersion\":\"0.1.0\",\"sentAt\":\"2026-11-25T18:19:15Z\"}";

    assertThat(beat(HEARTBEAT, token, body).statusCode()).isEqualTo(204);

    assertThat(json(adminRead()).get("heartbeat")).isEqualTo(json(body));
  }

  @Test
  void viewerMayReadHeartbeats() {
    beat(HEARTBEAT, token, report());
    String viewer =
        HttpTestSupport.createCredential(
            server, "hb-viewer-" + SEQUENCE.incrementAndGet(), "viewer");

    assertThat(server.get(ADMIN_READ, viewer).statusCode()).isEqualTo(200);
  }

  @Test
  void adminRead_ofAnInstanceWithoutHeartbeat_is404HeartbeatNotFound() {
    assertProblem(
        server.get("/v1/admin/instances/quiet-co/heartbeat", server.adminToken()),
        ProblemType.HEARTBEAT_NOT_FOUND);
  }

  @Test
  void adminRead_ofAnUnknownInstance_is404InstanceNotFound() {
    assertProblem(
        server.get("/v1/admin/instances/nobody/heartbeat", server.adminToken()),
        ProblemType.INSTANCE_NOT_FOUND);
  }

  @Test
  void adminRead_withAnInstanceToken_is403() {
    assertProblem(server.get(ADMIN_READ, token), ProblemType.FORBIDDEN);
  }

  @Test
  void heartbeat_doesNotChangeRevisionsEtagsOrDocuments() {
    HttpResponse<byte[]> config = server.get(CONFIG, token);
    HttpResponse<byte[]> checksums = server.get(CHECKSUMS, token);
    long storeRevision = HttpTestSupport.storeRevision(server, "core");
    long servedRevision = json(server.get("/health/ready", null)).get("revision").asLong();

    for (int i = 0; i < 3; i++) {
      assertThat(beat(HEARTBEAT, token, report()).statusCode()).isEqualTo(204);
    }

    HttpResponse<byte[]> configAfter = server.get(CONFIG, token);
    HttpResponse<byte[]> checksumsAfter = server.get(CHECKSUMS, token);
    for (String name : List.of("ETag", "Holdfast-Revision")) {
      assertThat(header(configAfter, name)).as(name).isEqualTo(header(config, name));
      assertThat(header(checksumsAfter, name)).as(name).isEqualTo(header(checksums, name));
    }
    assertThat(configAfter.body()).isEqualTo(config.body());
    assertThat(HttpTestSupport.storeRevision(server, "core")).isEqualTo(storeRevision);
    assertThat(json(server.get("/health/ready", null)).get("revision").asLong())
        .isEqualTo(servedRevision);
    assertThat(server.admin("GET", "/v1/admin/namespaces/core/history", null).get("history"))
        .hasSize(2);
  }

  // ------------------------------------------------------------------ who may send one

  @Test
  void heartbeat_withAnAdminToken_is403_becauseHeartbeatsComeFromInstances() {
    assertProblem(beat(HEARTBEAT, server.adminToken(), report()), ProblemType.FORBIDDEN);
  }

  @Test
  void heartbeat_forAnotherInstance_isIndistinguishableFromAnUnknownInstance_andStoresNothing() {
    HttpResponse<byte[]> crossTenant =
        beat("/v1/instances/quiet-co/heartbeat", otherToken, report());
    HttpResponse<byte[]> unknown = beat("/v1/instances/quiet-zz/heartbeat", otherToken, report());

    assertProblem(crossTenant, ProblemType.INSTANCE_NOT_FOUND);
    assertProblem(unknown, ProblemType.INSTANCE_NOT_FOUND);
    assertThat(text(crossTenant).replace("quiet-co", "quiet-zz")).isEqualTo(text(unknown));
    assertProblem(
        server.get("/v1/admin/instances/quiet-co/heartbeat", server.adminToken()),
        ProblemType.HEARTBEAT_NOT_FOUND);
  }

  @Test
  void heartbeat_withoutOrWithABadToken_is401() {
    assertProblem(beat(HEARTBEAT, null, report()), ProblemType.UNAUTHENTICATED);
    assertProblem(beat(HEARTBEAT, "hfi_wrong", report()), ProblemType.UNAUTHENTICATED);
  }

  @Test
  void heartbeat_withGet_is405NamingPost() {
    HttpResponse<byte[]> response = server.get(HEARTBEAT, token);

    assertProblem(response, ProblemType.METHOD_NOT_ALLOWED);
    assertThat(header(response, "Allow")).isEqualTo("POST");
  }

  // ------------------------------------------------------------------ what a body may hold

  @Test
  void unknownMember_is400UnknownField_atTheTopOrInANamespaceEntry_andStoresNothing() {
    String stored = report("3.0.0");
    beat(HEARTBEAT, token, stored);

    assertProblem(
        beat(
            HEARTBEAT,
            token,
            report().replace("\"lastError\":null", "\"lastError\":null,\"admin\":true")),
        ProblemType.UNKNOWN_FIELD);
    JsonNode nested =
        assertProblem(
            beat(HEARTBEAT, token, report().replace("\"reason\":null", "\"reason\":null,\"x\":1")),
            ProblemType.UNKNOWN_FIELD);

    assertThat(nested.get("detail").asText()).contains("namespaces.core.x");
    assertThat(json(adminRead()).get("heartbeat")).isEqualTo(json(stored));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "{\"sentAt\":\"2026-11-25T18:19:15Z\"}",
        "{\"sdkVersion\":\"1\"}",
        "{\"sdkVersion\":1,\"sentAt\":\"2026-11-25T18:19:15Z\"}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"yesterday\"}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25 18:19:15Z\"}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19Z\"}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15\"}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-13-25T18:19:15Z\"}",
        "{\"sdkVersion\":\"1\",\"sentAt\":1764094755}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"lastSuccessAt\":\"never\"}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"lastError\":42}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":[]}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":{\"core\":7}}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":{\"core\":"
            + "{\"revision\":-1,\"status\":\"FRESH\",\"since\":\"2026-11-25T18:19:15Z\"}}}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":{\"core\":"
            + "{\"revision\":1.5,\"status\":\"FRESH\",\"since\":\"2026-11-25T18:19:15Z\"}}}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":{\"core\":"
            + "{\"revision\":99999999999999999999,\"status\":\"FRESH\",\"since\":\"2026-11-25T18:19:15Z\"}}}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":{\"core\":"
            + "{\"status\":\"FRESH\",\"since\":\"2026-11-25T18:19:15Z\"}}}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":{\"core\":"
            + "{\"revision\":1,\"status\":\"fresh\",\"since\":\"2026-11-25T18:19:15Z\"}}}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":{\"core\":"
            + "{\"revision\":1,\"status\":\"FRESH\"}}}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":{\"core\":"
            + "{\"revision\":1,\"status\":\"FRESH\",\"since\":\"2026-11-25T18:19:15Z\",\"etag\":true}}}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"seatsInUse\":{\"crm\":-1}}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"seatsInUse\":{\"crm\":\"12\"}}",
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"seatsInUse\":7}",
        "[]",
      })
  void malformedOrMistypedMember_is400InvalidRequest(String body) {
    assertProblem(beat(HEARTBEAT, token, body), ProblemType.INVALID_REQUEST);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"sdkVersion:65", "lastError:1001", "etag:101", "reason:501"})
  void stringOverItsLimit_is400InvalidRequest_andOneAtItsLimitIsAccepted(String memberAndLimit) {
    String member = memberAndLimit.substring(0, memberAndLimit.indexOf(':'));
    int tooLong = Integer.parseInt(memberAndLimit.substring(memberAndLimit.indexOf(':') + 1));
    String template =
        "{\"sdkVersion\":\"%s\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"lastError\":\"%s\","
            + "\"namespaces\":{\"core\":{\"revision\":1,\"etag\":\"%s\",\"status\":\"EXPIRED\","
            + "\"since\":\"2026-11-25T18:19:15Z\",\"reason\":\"%s\"}}}";
    List<String> members = List.of("sdkVersion", "lastError", "etag", "reason");

    Object[] atLimit =
        members.stream().map(m -> m.equals(member) ? "x".repeat(tooLong - 1) : "v").toArray();
    Object[] overLimit =
        members.stream().map(m -> m.equals(member) ? "x".repeat(tooLong) : "v").toArray();

    assertThat(beat(HEARTBEAT, token, template.formatted(atLimit)).statusCode()).isEqualTo(204);
    assertProblem(
        beat(HEARTBEAT, token, template.formatted(overLimit)), ProblemType.INVALID_REQUEST);
  }

  @Test
  void moreThan256SeatCounts_is400InvalidRequest_and256AreAccepted() {
    assertThat(beat(HEARTBEAT, token, withEntries("seatsInUse", 256, "3")).statusCode())
        .isEqualTo(204);
    assertProblem(
        beat(HEARTBEAT, token, withEntries("seatsInUse", 257, "3")), ProblemType.INVALID_REQUEST);
  }

  @Test
  void moreThan256Namespaces_is400InvalidRequest_beforeAnyEntryIsLookedAt() {
    // 257 complete entries would not fit in 16 KiB; the count is checked before the entries.
    assertProblem(
        beat(HEARTBEAT, token, withEntries("namespaces", 257, "{}")), ProblemType.INVALID_REQUEST);
    assertThat(
            beat(
                    HEARTBEAT,
                    token,
                    withEntries(
                        "namespaces",
                        3,
                        "{\"revision\":1,\"status\":\"INITIALIZING\",\"since\":\"2026-11-25T18:19:15Z\"}"))
                .statusCode())
        .isEqualTo(204);
  }

  private static String withEntries(String member, int count, String entry) {
    StringBuilder body =
        new StringBuilder("{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"")
            .append(member)
            .append("\":{");
    for (int i = 0; i < count; i++) {
      body.append(i == 0 ? "" : ",").append("\"n").append(i).append("\":").append(entry);
    }
    return body.append("}}").toString();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {"namespaces\":{\"Core\"", "namespaces\":{\"-core\"", "seatsInUse\":{\"crm app\""})
  void namespaceOrApplicationNameBreakingTheNamingRule_is400InvalidName(String fragment) {
    String body =
        fragment.startsWith("namespaces")
            ? "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\""
                + fragment
                + ":{\"revision\":1,\"status\":\"FRESH\",\"since\":\"2026-11-25T18:19:15Z\"}}}"
            : "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"" + fragment + ":1}}";

    assertProblem(beat(HEARTBEAT, token, body), ProblemType.INVALID_NAME);
  }

  @Test
  void bodyOver16KiB_is413DocumentTooLarge() {
    String body =
        "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"lastError\":\""
            + "x".repeat(16 * 1024)
            + "\"}";

    assertProblem(beat(HEARTBEAT, token, body), ProblemType.DOCUMENT_TOO_LARGE);
  }

  @Test
  void malformedJson_is400_andDuplicateMembers_are400DuplicateKey() {
    assertProblem(beat(HEARTBEAT, token, "{\"sdkVersion\":"), ProblemType.MALFORMED_JSON);
    assertProblem(
        beat(
            HEARTBEAT,
            token,
            "{\"sdkVersion\":\"1\",\"sdkVersion\":\"2\",\"sentAt\":\"2026-11-25T18:19:15Z\"}"),
        ProblemType.DUPLICATE_KEY);
  }

  @Test
  void bodyThatIsNotJson_is415() {
    HttpResponse<byte[]> response =
        server.send(
            "POST",
            HEARTBEAT,
            token,
            report().getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            "text/plain");

    assertProblem(response, ProblemType.UNSUPPORTED_MEDIA_TYPE);
  }

  // ------------------------------------------------------------------ the application's health

  private static final String APPLICATION_BASE =
      "{\"sdkVersion\":\"1\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"application\":";

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "{\"status\":\"FAILING\",\"reason\":\"checkout error rate 12 %\",\"since\":\"2026-11-25T18:19:00.125Z\"}",
        "{\"status\":\"DEGRADED\",\"since\":\"2026-11-25T19:19:00+01:00\"}",
        "{\"status\":\"OK\",\"reason\":null,\"since\":\"2026-11-25T18:19:00Z\"}",
      })
  void applicationHealth_isAccepted_andStoredAsSent(String application) {
    String body = APPLICATION_BASE + application + "}";

    assertThat(beat(HEARTBEAT, token, body).statusCode()).isEqualTo(204);

    assertThat(json(adminRead()).get("heartbeat").get("application")).isEqualTo(json(application));
  }

  @Test
  void applicationHealth_withAnUnknownMember_is400UnknownField_namingIt() {
    JsonNode problem =
        assertProblem(
            beat(
                HEARTBEAT,
                token,
                APPLICATION_BASE
                    + "{\"status\":\"OK\",\"since\":\"2026-11-25T18:19:00Z\",\"revision\":4}}"),
            ProblemType.UNKNOWN_FIELD);

    assertThat(problem.get("detail").asText()).contains("application.revision");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "\"FAILING\"",
        "[]",
        "{\"since\":\"2026-11-25T18:19:00Z\"}",
        "{\"status\":null,\"since\":\"2026-11-25T18:19:00Z\"}",
        "{\"status\":\"failing\",\"since\":\"2026-11-25T18:19:00Z\"}",
        "{\"status\":\"UNKNOWN\",\"since\":\"2026-11-25T18:19:00Z\"}",
        "{\"status\":\"FRESH\",\"since\":\"2026-11-25T18:19:00Z\"}",
        "{\"status\":2,\"since\":\"2026-11-25T18:19:00Z\"}",
        "{\"status\":\"OK\"}",
        "{\"status\":\"OK\",\"since\":null}",
        "{\"status\":\"OK\",\"since\":\"a minute ago\"}",
        "{\"status\":\"OK\",\"since\":1764094755}",
        "{\"status\":\"OK\",\"since\":\"2026-11-25T18:19:00Z\",\"reason\":42}",
        "{\"status\":\"OK\",\"since\":\"2026-11-25T18:19:00Z\",\"reason\":{}}",
      })
  void applicationHealth_malformedOrMistyped_is400InvalidRequest(String application) {
    assertProblem(
        beat(HEARTBEAT, token, APPLICATION_BASE + application + "}"), ProblemType.INVALID_REQUEST);
  }

  @Test
  void applicationReason_over500Characters_is400InvalidRequest_and500AreAccepted() {
    String template =
        APPLICATION_BASE
            + "{\"status\":\"FAILING\",\"reason\":\"%s\",\"since\":\"2026-11-25T18:19:00Z\"}}";

    assertThat(beat(HEARTBEAT, token, template.formatted("x".repeat(500))).statusCode())
        .isEqualTo(204);
    assertProblem(
        beat(HEARTBEAT, token, template.formatted("x".repeat(501))), ProblemType.INVALID_REQUEST);
  }

  // ------------------------------------------------------------------ store outage

  @Test
  void
      heartbeat_whileTheStoreIsDown_isAccepted202AndKept_thenWrittenWhenTheStoreIsBack_withoutAnotherReport() {
    String before = report("4.0.0");
    assertThat(beat(HEARTBEAT, token, before).statusCode()).isEqualTo(204);
    failing.down.set(true);

    HttpResponse<byte[]> buffered = beat(HEARTBEAT, token, report("4.0.1"));

    assertThat(buffered.statusCode()).as("kept in memory, not refused").isEqualTo(202);
    assertThat(adminRead().statusCode()).as("the store is still down").isEqualTo(503);
    failing.down.set(false);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                adminRead().statusCode() == 200
                    && json(adminRead())
                        .get("heartbeat")
                        .get("sdkVersion")
                        .asText()
                        .equals("4.0.1"));
    assertThat(beat(HEARTBEAT, token, report("4.0.2")).statusCode()).isEqualTo(204);
    assertThat(json(adminRead()).get("heartbeat").get("sdkVersion").asText()).isEqualTo("4.0.2");
  }
}
