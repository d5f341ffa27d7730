package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.text;
import static io.holdfast.server.http.RolloutTestSupport.CHANGES;
import static io.holdfast.server.http.RolloutTestSupport.FREEZE;
import static io.holdfast.server.http.RolloutTestSupport.body;
import static io.holdfast.server.http.RolloutTestSupport.edit;
import static io.holdfast.server.http.RolloutTestSupport.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.model.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Function-level authorisation of change requests, rollouts, rings and schemas (FAULTS D6): viewers
 * read, editors write and cancel changes, publishers approve and steer them and may freeze, admins
 * hot-fix, lift the freeze, tune rings and set schemas. An allowed cell succeeds; a denied one
 * answers 403 {@code forbidden} naming the role it needs, and changes nothing.
 *
 * <p>Every cell works on a change of its own, in a namespace of its own, written by the editor
 * credential and moved by the bootstrap admin, so no cell holds a layer another needs and the
 * approver is never the author.
 */
class ChangeRoleMatrixTest {

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** The change each cell's setup prepared, by sequence number. */
  private static final Map<Integer, Long> CHANGE = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    server = RolloutTestSupport.start(dataDir, 1);
    for (Role role : Role.values()) {
      TOKENS.put(
          role, HttpTestSupport.createCredential(server, "as-" + role.wireName(), role.wireName()));
    }
    server.createNamespace("core");
    server.createNamespace("loose");
    server.admin("PUT", "/v1/admin/namespaces/core/schema", "{\"type\":\"object\"}");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void liftFreeze() {
    // A freeze is global: one a cell set must not stop the next cell's setup.
    server.admin("DELETE", FREEZE, null);
  }

  /** A draft in namespace {@code m<n>}, written by the editor. */
  private static long draft(int n) {
    server.createNamespace("m" + n);
    long id =
        RolloutTestSupport.create(
                server, TOKENS.get(Role.EDITOR), edit("m" + n, "default", "{\"n\":" + n + "}"))
            .get("id")
            .asLong();
    CHANGE.put(n, id);
    return id;
  }

  private static long approved(int n) {
    long id = draft(n);
    RolloutTestSupport.perform(server, server.adminToken(), id, "approve", null);
    return id;
  }

  private static long rollingOut(int n) {
    long id = approved(n);
    RolloutTestSupport.perform(server, server.adminToken(), id, "promote", null);
    return id;
  }

  private static HttpResponse<byte[]> post(String token, int n, String action, String json) {
    return RolloutTestSupport.act(server, token, CHANGE.get(n), action, json);
  }

  /**
   * One operation: what to prepare as the bootstrap admin, and the request; the least role it needs
   * is the operation table's ({@link AdminOperation}).
   */
  enum Operation {
    LIST_CHANGES(
        AdminOperation.LIST_CHANGES,
        (token, n) -> server.get(CHANGES + "?state=draft,approved", token)),
    GET_CHANGE(
        AdminOperation.GET_CHANGE,
        ChangeRoleMatrixTest::draft,
        (token, n) -> server.get(CHANGES + "/" + CHANGE.get(n), token)),
    DRY_RUN_STORED_CHANGE(
        AdminOperation.DRY_RUN_CHANGE,
        ChangeRoleMatrixTest::draft,
        (token, n) -> server.get(CHANGES + "/" + CHANGE.get(n) + "/dry-run", token)),
    GET_ROLLOUTS(
        AdminOperation.GET_ROLLOUTS, (token, n) -> server.get("/v1/admin/rollouts", token)),
    GET_RINGS(AdminOperation.LIST_RINGS, (token, n) -> server.get("/v1/admin/rings", token)),
    GET_SCHEMA(
        AdminOperation.GET_SCHEMA,
        (token, n) -> server.get("/v1/admin/namespaces/core/schema", token)),
    CREATE_CHANGE(
        AdminOperation.CREATE_CHANGE,
        n -> server.createNamespace("m" + n),
        (token, n) ->
            server.sendJson(
                "POST",
                CHANGES,
                token,
                body("role matrix " + n, edit("m" + n, "default", "{\"n\":" + n + "}")))),
    DRY_RUN_NEW_CHANGE(
        AdminOperation.CREATE_CHANGE,
        (token, n) ->
            server.sendJson(
                "POST",
                CHANGES + "?dryRun=true",
                token,
                body("role matrix " + n, edit("core", "default", "{\"n\":" + n + "}")))),
    CANCEL(
        AdminOperation.CANCEL_CHANGE,
        ChangeRoleMatrixTest::draft,
        (token, n) -> post(token, n, "cancel", reason("not needed"))),
    APPROVE(
        AdminOperation.APPROVE_CHANGE,
        ChangeRoleMatrixTest::draft,
        (token, n) -> post(token, n, "approve", "{\"comment\":\"ok\"}")),
    PROMOTE(
        AdminOperation.PROMOTE_CHANGE,
        ChangeRoleMatrixTest::approved,
        (token, n) -> post(token, n, "promote", null)),
    PAUSE(
        AdminOperation.PAUSE_CHANGE,
        ChangeRoleMatrixTest::approved,
        (token, n) -> post(token, n, "pause", null)),
    RESUME(
        AdminOperation.RESUME_CHANGE,
        n -> {
          RolloutTestSupport.perform(server, server.adminToken(), approved(n), "pause", null);
        },
        (token, n) -> post(token, n, "resume", null)),
    BACK_OUT(
        AdminOperation.BACK_OUT_CHANGE,
        ChangeRoleMatrixTest::rollingOut,
        (token, n) -> post(token, n, "backout", reason("errors"))),
    FREEZE_ROLLOUTS(
        AdminOperation.FREEZE_ROLLOUTS,
        (token, n) -> server.sendJson("PUT", FREEZE, token, reason("incident " + n))),
    HOTFIX(
        AdminOperation.HOTFIX_CHANGE,
        ChangeRoleMatrixTest::approved,
        (token, n) -> post(token, n, "hotfix", reason("outage"))),
    LIFT_FREEZE(
        AdminOperation.LIFT_FREEZE,
        n -> server.admin("PUT", FREEZE, reason("incident " + n)),
        (token, n) -> server.send("DELETE", FREEZE, token, null)),
    PATCH_RING(
        AdminOperation.UPDATE_RING,
        (token, n) ->
            server.sendJson(
                "PATCH", "/v1/admin/rings/beta", token, "{\"bakeTime\":\"" + (48 + n) + "h\"}")),
    PUT_SCHEMA(
        AdminOperation.SET_SCHEMA,
        (token, n) ->
            server.sendJson(
                "PUT",
                "/v1/admin/namespaces/core/schema",
                token,
                "{\"type\":\"object\",\"title\":\"v" + n + "\"}")),
    DELETE_SCHEMA(
        AdminOperation.REMOVE_SCHEMA,
        n -> server.admin("PUT", "/v1/admin/namespaces/loose/schema", "{\"type\":\"object\"}"),
        (token, n) -> server.send("DELETE", "/v1/admin/namespaces/loose/schema", token, null));

    final AdminOperation operation;
    final Role least;
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
  void D6_changeAndRolloutRoleMatrix(Role role, Operation operation, boolean allowed) {
    int n = SEQUENCE.incrementAndGet();
    operation.setup.accept(n);
    String before = RolloutTestSupport.fingerprint(server, "core");

    HttpResponse<byte[]> response = operation.request.apply(TOKENS.get(role), n);

    if (allowed) {
      assertThat(response.statusCode())
          .as("%s by %s: %s", operation, role, text(response))
          .isIn(200, 201, 204);
    } else {
      JsonNode problem = assertProblem(response, ProblemType.FORBIDDEN);
      assertThat(problem.get("detail").asText()).contains(operation.least.wireName());
      assertThat(RolloutTestSupport.fingerprint(server, "core"))
          .as("a denied request changes nothing")
          .isEqualTo(before);
    }
  }

  @Test
  void D6_allowedChangeActions_takeEffect_andAreAttributedToTheirCredential() {
    int n = SEQUENCE.incrementAndGet();
    server.createNamespace("m" + n);
    HttpResponse<byte[]> created =
        Operation.CREATE_CHANGE.request.apply(TOKENS.get(Role.EDITOR), n);
    assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
    long id = HttpTestSupport.json(created).get("id").asLong();
    CHANGE.put(n, id);
    assertThat(HttpTestSupport.json(created).get("author").asText()).isEqualTo("admin:as-editor");

    JsonNode approved =
        HttpTestSupport.json(
            post(TOKENS.get(Role.PUBLISHER), n, "approve", "{\"comment\":\"ok\"}"));
    assertThat(approved.get("state").asText()).isEqualTo("approved");
    assertThat(approved.get("approvals").get(0).get("approver").asText())
        .isEqualTo("admin:as-publisher");

    JsonNode promoted = HttpTestSupport.json(post(TOKENS.get(Role.PUBLISHER), n, "promote", null));
    assertThat(promoted.get("state").asText()).isEqualTo("rolling_out");
    assertThat(promoted.get("releases").get(0).get("actor").asText())
        .isEqualTo("admin:as-publisher");
    assertThat(promoted.get("releases").get(0).get("mode").asText()).isEqualTo("manual");

    JsonNode hotfixed =
        HttpTestSupport.json(post(TOKENS.get(Role.ADMIN), n, "hotfix", reason("outage")));
    assertThat(hotfixed.get("state").asText()).isEqualTo("completed");
    assertThat(hotfixed.get("releases"))
        .extracting(r -> r.get("actor").asText())
        .containsExactly(
            "admin:as-publisher", "admin:as-admin", "admin:as-admin", "admin:as-admin");
  }

  @Test
  void D6_freezeByAPublisher_showsWhoFroze_andOnlyAnAdminLiftsIt() {
    JsonNode frozen =
        HttpTestSupport.json(
            server.sendJson("PUT", FREEZE, TOKENS.get(Role.PUBLISHER), reason("incident")));
    assertThat(frozen.get("frozen").asBoolean()).isTrue();
    assertThat(frozen.get("actor").asText()).isEqualTo("admin:as-publisher");

    assertProblem(
        server.send("DELETE", FREEZE, TOKENS.get(Role.PUBLISHER), null), ProblemType.FORBIDDEN);
    assertThat(
            server.admin("GET", "/v1/admin/rollouts", null).get("freeze").get("frozen").asBoolean())
        .isTrue();

    assertThat(server.send("DELETE", FREEZE, TOKENS.get(Role.ADMIN), null).statusCode())
        .isEqualTo(204);
    assertThat(
            server.admin("GET", "/v1/admin/rollouts", null).get("freeze").get("frozen").asBoolean())
        .isFalse();
  }
}
