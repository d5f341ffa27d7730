package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.model.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Function-level authorisation of the admin API: every role against every operation (FAULTS D6).
 * Roles are ordered viewer &lt; editor &lt; publisher &lt; admin; an allowed cell succeeds, a
 * denied one answers 403 {@code forbidden} and changes nothing.
 */
class AdminRoleMatrixTest {

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** The root of the key sets the matrix publishes (it also serves as their signing key). */
  private static final java.security.KeyPair KEYSET_ROOT = KeySetFixtures.pair();

  /** Subscriptions created by a setup, by sequence number, for the operation that ends them. */
  private static final Map<Integer, String> SUBSCRIPTIONS = new ConcurrentHashMap<>();

  private static String standingSubscription;

  /** Blackouts added by a setup, by sequence number, for the operation that removes them. */
  private static final Map<Integer, String> BLACKOUTS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    server.createNamespace("core");
    server.createInstance("matrix-base", "live");
    server.createInstance("matrix-mover", "live");
    heartbeatOf(server.createInstance("matrix-beat", "live"));
    SubscriptionTestSupport.application(server, "crm");
    standingSubscription =
        SubscriptionTestSupport.subscribe(
                server, "matrix-base", "crm", 10, "2000-01-01T00:00:00Z", "2001-01-01T00:00:00Z")
            .get("id")
            .asText();
    for (Role role : Role.values()) {
      TOKENS.put(
          role, HttpTestSupport.createCredential(server, "as-" + role.wireName(), role.wireName()));
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * How to perform one admin operation with a token; the least role it needs is the operation
   * table's ({@link AdminOperation}), so the matrix tests what the table declares.
   */
  enum Operation {
    LIST_RINGS(AdminOperation.LIST_RINGS, (token, n) -> server.get("/v1/admin/rings", token)),
    LIST_INSTANCES(
        AdminOperation.LIST_INSTANCES, (token, n) -> server.get("/v1/admin/instances", token)),
    GET_INSTANCE(
        AdminOperation.GET_INSTANCE,
        (token, n) -> server.get("/v1/admin/instances/matrix-base", token)),
    LIST_NAMESPACES(
        AdminOperation.LIST_NAMESPACES, (token, n) -> server.get("/v1/admin/namespaces", token)),
    GET_LAYERS(
        AdminOperation.GET_LAYERS,
        (token, n) -> server.get("/v1/admin/namespaces/core/layers", token)),
    GET_HISTORY(
        AdminOperation.GET_HISTORY,
        (token, n) -> server.get("/v1/admin/namespaces/core/history", token)),
    GET_EFFECTIVE(
        AdminOperation.GET_EFFECTIVE,
        (token, n) -> server.get("/v1/admin/namespaces/core/effective/matrix-base", token)),
    CREATE_INSTANCE(
        AdminOperation.CREATE_INSTANCE,
        (token, n) ->
            server.sendJson(
                "POST",
                "/v1/admin/instances",
                token,
                "{\"id\":\"inst-" + n + "\",\"ring\":\"live\"}")),
    UPDATE_INSTANCE(
        AdminOperation.UPDATE_INSTANCE,
        (token, n) ->
            server.sendJson(
                "PATCH",
                "/v1/admin/instances/matrix-base",
                token,
                "{\"labels\":{\"n\":\"" + n + "\"}}")),
    MOVE_INSTANCE_RING(
        AdminOperation.MOVE_INSTANCE_RING,
        n -> server.admin("PATCH", "/v1/admin/instances/matrix-mover", "{\"ring\":\"beta\"}"),
        (token, n) ->
            server.sendJson(
                "PATCH", "/v1/admin/instances/matrix-mover", token, "{\"ring\":\"live\"}")),
    CREATE_NAMESPACE(
        AdminOperation.CREATE_NAMESPACE,
        (token, n) ->
            server.sendJson("POST", "/v1/admin/namespaces", token, "{\"name\":\"ns-" + n + "\"}")),
    PUT_DRAFT(
        AdminOperation.PUT_DRAFT,
        (token, n) ->
            server.sendJson(
                "PUT", "/v1/admin/namespaces/core/layers/default", token, "{\"n\":" + n + "}")),
    STAGE_REMOVAL(
        AdminOperation.STAGE_REMOVAL,
        (token, n) ->
            server.send(
                "DELETE", "/v1/admin/namespaces/core/layers/instance:matrix-base", token, null)),
    PUBLISH(
        AdminOperation.PUBLISH,
        n -> HttpTestSupport.stage(server, "core", "ring:live", "{\"published\":" + n + "}"),
        (token, n) ->
            server.sendJson(
                "POST",
                "/v1/admin/namespaces/core/publish",
                token,
                "{\"message\":\"matrix " + n + "\",\"scopes\":[\"ring:live\"]}")),
    LIST_CREDENTIALS(
        AdminOperation.LIST_CREDENTIALS, (token, n) -> server.get("/v1/admin/credentials", token)),
    CREATE_RING(
        AdminOperation.CREATE_RING,
        (token, n) ->
            server.sendJson(
                "POST",
                "/v1/admin/rings",
                token,
                "{\"name\":\"ring-" + n + "\",\"position\":" + (100 + n) + "}")),
    CREATE_CREDENTIAL(
        AdminOperation.CREATE_CREDENTIAL,
        (token, n) ->
            server.sendJson(
                "POST",
                "/v1/admin/credentials",
                token,
                "{\"name\":\"cred-" + n + "\",\"role\":\"viewer\"}")),
    GET_CREDENTIAL(
        AdminOperation.GET_CREDENTIAL,
        (token, n) -> server.get("/v1/admin/credentials/as-viewer", token)),
    UPDATE_CREDENTIAL(
        AdminOperation.UPDATE_CREDENTIAL,
        n -> victim(n),
        (token, n) ->
            server.sendJson(
                "PATCH", "/v1/admin/credentials/victim-" + n, token, "{\"role\":\"editor\"}")),
    ROTATE_CREDENTIAL(
        AdminOperation.ROTATE_CREDENTIAL,
        n -> victim(n),
        (token, n) ->
            server.send("POST", "/v1/admin/credentials/victim-" + n + "/rotate", token, null)),
    REVOKE_CREDENTIAL(
        AdminOperation.REVOKE_CREDENTIAL,
        n -> victim(n),
        (token, n) ->
            server.send("POST", "/v1/admin/credentials/victim-" + n + "/revoke", token, null)),
    ROTATE_INSTANCE_CREDENTIAL(
        AdminOperation.ROTATE_INSTANCE_CREDENTIAL,
        (token, n) ->
            server.send("POST", "/v1/admin/instances/matrix-base/credential", token, null)),
    LIST_APPLICATIONS(
        AdminOperation.LIST_APPLICATIONS,
        (token, n) -> server.get("/v1/admin/applications", token)),
    GET_APPLICATION(
        AdminOperation.GET_APPLICATION,
        (token, n) -> server.get("/v1/admin/applications/crm", token)),
    LIST_SUBSCRIPTIONS(
        AdminOperation.LIST_SUBSCRIPTIONS,
        (token, n) -> server.get("/v1/admin/subscriptions?instance=matrix-base", token)),
    GET_SUBSCRIPTION(
        AdminOperation.GET_SUBSCRIPTION,
        (token, n) -> server.get("/v1/admin/subscriptions/" + standingSubscription, token)),
    INSTANCE_USAGE(
        AdminOperation.INSTANCE_USAGE,
        (token, n) -> server.get("/v1/admin/instances/matrix-base/subscriptions/usage", token)),
    FLEET_USAGE(
        AdminOperation.FLEET_USAGE,
        (token, n) -> server.get("/v1/admin/subscriptions/usage?overAllocated=true", token)),
    CREATE_APPLICATION(
        AdminOperation.CREATE_APPLICATION,
        (token, n) ->
            server.sendJson(
                "POST", "/v1/admin/applications", token, "{\"name\":\"app-" + n + "\"}")),
    RENAME_APPLICATION(
        AdminOperation.RENAME_APPLICATION,
        (token, n) ->
            server.sendJson(
                "PATCH",
                "/v1/admin/applications/crm",
                token,
                "{\"displayName\":\"CRM " + n + "\"}")),
    CREATE_SUBSCRIPTION(
        AdminOperation.CREATE_SUBSCRIPTION,
        (token, n) ->
            server.sendJson("POST", "/v1/admin/subscriptions", token, subscriptionBody(n))),
    CHANGE_SUBSCRIPTION(
        AdminOperation.CHANGE_SUBSCRIPTION,
        (token, n) ->
            server.sendJson(
                "PATCH",
                "/v1/admin/subscriptions/" + standingSubscription,
                token,
                "{\"notes\":\"matrix " + n + "\"}")),
    END_SUBSCRIPTION(
        AdminOperation.END_SUBSCRIPTION,
        n ->
            SUBSCRIPTIONS.put(
                n,
                server
                    .admin("POST", "/v1/admin/subscriptions", subscriptionBody(n))
                    .get("id")
                    .asText()),
        (token, n) ->
            server.send(
                "POST", "/v1/admin/subscriptions/" + SUBSCRIPTIONS.get(n) + "/end", token, null)),
    GET_NAMESPACE(
        AdminOperation.GET_NAMESPACE, (token, n) -> server.get("/v1/admin/namespaces/core", token)),
    GET_LAYER(
        AdminOperation.GET_LAYER,
        (token, n) -> server.get("/v1/admin/namespaces/core/layers/default", token)),
    GET_DIFF(
        AdminOperation.GET_DIFF,
        (token, n) -> server.get("/v1/admin/namespaces/core/diff?from=1", token)),
    GET_HEARTBEAT(
        AdminOperation.GET_HEARTBEAT,
        (token, n) -> server.get("/v1/admin/instances/matrix-beat/heartbeat", token)),
    LIST_PROBES(AdminOperation.LIST_PROBES, (token, n) -> server.get("/v1/admin/probes", token)),
    /** Version n: the sequence only grows, so each allowed publish is a newer key set. */
    PUBLISH_KEYSET(
        AdminOperation.PUBLISH_KEYSET,
        (token, n) ->
            server.send(
                "PUT",
                "/v1/admin/keyset",
                token,
                KeySetFixtures.signed(
                    KeySetFixtures.keySet(n, KeySetFixtures.root(1, KEYSET_ROOT), KEYSET_ROOT),
                    KEYSET_ROOT),
                "Content-Type",
                "application/json")),
    LIST_FLEET(AdminOperation.LIST_FLEET, (token, n) -> server.get("/v1/admin/fleet", token)),
    GET_FLEET_INSTANCE(
        AdminOperation.GET_FLEET_INSTANCE,
        (token, n) -> server.get("/v1/admin/fleet/matrix-base", token)),
    LIST_BLACKOUTS(
        AdminOperation.LIST_BLACKOUTS, (token, n) -> server.get("/v1/admin/blackouts", token)),
    ADD_BLACKOUT(
        AdminOperation.ADD_BLACKOUT,
        (token, n) -> server.sendJson("POST", "/v1/admin/blackouts", token, blackoutBody(n))),
    REMOVE_BLACKOUT(
        AdminOperation.REMOVE_BLACKOUT,
        n ->
            BLACKOUTS.put(
                n, server.admin("POST", "/v1/admin/blackouts", blackoutBody(n)).get("id").asText()),
        (token, n) ->
            server.send("DELETE", "/v1/admin/blackouts/" + BLACKOUTS.get(n), token, null)),
    READ_AUDIT(
        AdminOperation.READ_AUDIT, (token, n) -> server.get("/v1/admin/audit?limit=5", token)),
    VERIFY_AUDIT(
        AdminOperation.VERIFY_AUDIT, (token, n) -> server.get("/v1/admin/audit/verify", token));

    final AdminOperation operation;
    final Role least;

    /** Done as the bootstrap admin before the request, for example staging what to publish. */
    final IntConsumer setup;

    final BiFunction<String, Integer, HttpResponse<byte[]>> request;

    Operation(AdminOperation operation, BiFunction<String, Integer, HttpResponse<byte[]>> request) {
      this(operation, n -> {}, request);
    }

    Operation(
        AdminOperation operation,
        IntConsumer setup,
        BiFunction<String, Integer, HttpResponse<byte[]>> request) {
      this.operation = operation;
      this.least = operation.role();
      this.setup = setup;
      this.request = request;
    }

    HttpResponse<byte[]> perform(Role role, int n) {
      setup.accept(n);
      return request.apply(TOKENS.get(role), n);
    }
  }

  /** A heartbeat of matrix-beat, written (the writer batches) before the matrix reads it. */
  private static void heartbeatOf(String instanceToken) {
    String body =
        "{\"sdkVersion\":\"1.0.0\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":{}}";
    assertThat(
            server
                .sendJson("POST", "/v1/instances/matrix-beat/heartbeat", instanceToken, body)
                .statusCode())
        .isLessThan(300);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () ->
                assertThat(
                        server
                            .get("/v1/admin/instances/matrix-beat/heartbeat", server.adminToken())
                            .statusCode())
                    .isEqualTo(200));
  }

  /** A viewer credential for an operation on credentials to act on. */
  private static void victim(int n) {
    server.admin(
        "POST", "/v1/admin/credentials", "{\"name\":\"victim-" + n + "\",\"role\":\"viewer\"}");
  }

  /** A subscription of matrix-base to crm in a year of its own, so that no two overlap. */
  private static String subscriptionBody(int n) {
    return "{\"instance\":\"matrix-base\",\"application\":\"crm\",\"quantity\":1,\"plan\":\"p\","
        + "\"validFrom\":\""
        + (2100 + n)
        + "-01-01T00:00:00Z\",\"validUntil\":\""
        + (2101 + n)
        + "-01-01T00:00:00Z\"}";
  }

  /** One day of matrix-base's own, a year per cell, so that each cell's blackout is its own. */
  private static String blackoutBody(int n) {
    return "{\"level\":\"instance\",\"target\":\"matrix-base\",\"from\":\""
        + (2100 + n)
        + "-12-24\",\"reason\":\"matrix "
        + n
        + "\"}";
  }

  static Stream<Arguments> matrix() {
    return Stream.of(Role.values())
        .flatMap(
            role ->
                Stream.of(Operation.values())
                    .map(op -> Arguments.of(role, op, role.includes(op.least))));
  }

  @ParameterizedTest(name = "[{index}] {0} {1} allowed={2}")
  @MethodSource("matrix")
  void D6_roleMatrix(Role role, Operation operation, boolean allowed) {
    int n = SEQUENCE.incrementAndGet();
    operation.setup.accept(n);
    String before = HttpTestSupport.fingerprint(server, "core");
    HttpResponse<byte[]> response = operation.request.apply(TOKENS.get(role), n);
    if (allowed && response.statusCode() == 204) {
      assertThat(response.body()).as("%s by %s answers no content", operation, role).isEmpty();
    } else if (allowed) {
      assertThat(response.statusCode())
          .as("%s by %s: %s", operation, role, text(response))
          .isBetween(200, 201);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    } else {
      JsonNode problem = assertProblem(response, ProblemType.FORBIDDEN);
      assertThat(problem.get("detail").asText()).contains(operation.least.wireName());
      assertThat(HttpTestSupport.fingerprint(server, "core"))
          .as("a denied request changes nothing")
          .isEqualTo(before);
    }
  }

  @Test
  void D6_allowedWrites_takeEffect() {
    int n = SEQUENCE.incrementAndGet();
    assertThat(Operation.CREATE_INSTANCE.perform(Role.EDITOR, n).statusCode()).isEqualTo(201);
    assertThat(server.get("/v1/admin/instances/inst-" + n, TOKENS.get(Role.VIEWER)).statusCode())
        .isEqualTo(200);

    assertThat(Operation.CREATE_NAMESPACE.perform(Role.EDITOR, n).statusCode()).isEqualTo(201);
    assertThat(server.get("/v1/admin/namespaces/ns-" + n, TOKENS.get(Role.VIEWER)).statusCode())
        .isEqualTo(200);

    HttpResponse<byte[]> published = Operation.PUBLISH.perform(Role.PUBLISHER, n);
    assertThat(published.statusCode()).isEqualTo(200);
    long revision = json(published).get("revision").asLong();
    JsonNode history =
        server.admin("GET", "/v1/admin/namespaces/core/history", null).get("history");
    assertThat(history.get(0).get("revision").asLong()).isEqualTo(revision);
    assertThat(history.get(0).get("actor").asText())
        .as("the write is attributed to its credential")
        .isEqualTo("admin:as-publisher");

    HttpResponse<byte[]> credential = Operation.CREATE_CREDENTIAL.perform(Role.ADMIN, n);
    assertThat(credential.statusCode()).isEqualTo(201);
    String newToken = json(credential).get("token").asText();
    assertThat(server.get("/v1/admin/rings", newToken).statusCode())
        .as("the new viewer token works")
        .isEqualTo(200);
    assertThat(
            server
                .sendJson("POST", "/v1/admin/namespaces", newToken, "{\"name\":\"nope-" + n + "\"}")
                .statusCode())
        .as("and is only a viewer")
        .isEqualTo(403);
  }

  /**
   * The side door of issue 17: an editor moved an instance to another ring and its documents
   * changed at once, past the publisher role, approvals and gates. A ring move is a publisher's;
   * labels, which no document reads, stay an editor's and change nothing served.
   */
  @Test
  void D6_anEditorCannotMoveAnInstanceBetweenRings_norChangeWhatItIsServed() {
    String instanceToken = server.createInstance("side-door", "live");
    server.createNamespace("features");
    HttpTestSupport.stage(server, "features", "ring:live", "{\"aiAssist\":{\"enabled\":false}}");
    HttpTestSupport.stage(server, "features", "ring:test", "{\"aiAssist\":{\"enabled\":true}}");
    HttpTestSupport.publish(server, "features");
    HttpResponse<byte[]> before =
        server.get("/v1/instances/side-door/config/features", instanceToken);
    assertThat(before.statusCode()).isEqualTo(200);

    HttpResponse<byte[]> moved =
        server.sendJson(
            "PATCH",
            "/v1/admin/instances/side-door",
            TOKENS.get(Role.EDITOR),
            "{\"ring\":\"test\"}");
    JsonNode problem = assertProblem(moved, ProblemType.FORBIDDEN);
    assertThat(problem.get("detail").asText()).contains("publisher");
    HttpResponse<byte[]> labelsAndRing =
        server.sendJson(
            "PATCH",
            "/v1/admin/instances/side-door",
            TOKENS.get(Role.EDITOR),
            "{\"ring\":\"test\",\"labels\":{\"team\":\"x\"}}");
    assertProblem(labelsAndRing, ProblemType.FORBIDDEN);
    assertThat(server.admin("GET", "/v1/admin/instances/side-door", null).get("labels").size())
        .as("a refused request changes nothing, its labels included")
        .isZero();

    HttpResponse<byte[]> labels =
        server.sendJson(
            "PATCH",
            "/v1/admin/instances/side-door",
            TOKENS.get(Role.EDITOR),
            "{\"labels\":{\"team\":\"payments\"},\"ring\":\"live\"}");
    assertThat(labels.statusCode())
        .as("labels, and naming the ring it is in, are an editor's")
        .isEqualTo(200);
    HttpResponse<byte[]> after =
        server.get("/v1/instances/side-door/config/features", instanceToken);
    assertThat(HttpTestSupport.header(after, "ETag"))
        .as("what the instance is served did not change")
        .isEqualTo(HttpTestSupport.header(before, "ETag"));
    assertThat(HttpTestSupport.envelope(after.body()).content().at("/aiAssist/enabled").asBoolean())
        .isFalse();

    HttpResponse<byte[]> published =
        server.sendJson(
            "PATCH",
            "/v1/admin/instances/side-door",
            TOKENS.get(Role.PUBLISHER),
            "{\"ring\":\"test\"}");
    assertThat(published.statusCode()).as("a publisher may move it").isEqualTo(200);
    HttpResponse<byte[]> moves =
        server.get("/v1/instances/side-door/config/features", instanceToken);
    assertThat(HttpTestSupport.envelope(moves.body()).content().at("/aiAssist/enabled").asBoolean())
        .isTrue();
  }

  @Test
  void credentialList_neverShowsTokensOrTheirHashes() {
    HttpResponse<byte[]> list = server.get("/v1/admin/credentials", TOKENS.get(Role.ADMIN));
    assertThat(list.statusCode()).isEqualTo(200);
    String body = text(list);
    for (Map.Entry<Role, String> entry : TOKENS.entrySet()) {
      assertThat(body)
          .doesNotContain(entry.getValue())
          .doesNotContain(CredentialTokens.hash(entry.getValue()));
    }
    assertThat(body)
        .doesNotContain(server.adminToken())
        .doesNotContain(CredentialTokens.hash(server.adminToken()));
    for (JsonNode credential : json(list).get("credentials")) {
      assertThat(credential.has("token")).isFalse();
      assertThat(credential.has("tokenHash")).isFalse();
    }
    assertThat(body.toLowerCase(Locale.ROOT)).doesNotContain("hash");
  }
}
