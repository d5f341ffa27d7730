package io.holdfast.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.admin.AdminOperation;
import io.holdfast.server.model.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Every admin operation the console performs, as every role, against the role the operation table
 * declares for it, the same table the API's gate checks: an allowed cell does what it says, a
 * denied one is refused naming the role it needs and changes nothing. The replica's poller waits
 * ten minutes, so a write an instance is served at once was served by the console's wait after the
 * write, as the API's gate waits.
 */
class ConsoleOperationRoleMatrixTest {

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static final Map<Role, ConsoleClient> CLIENTS = new EnumMap<>(Role.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** Writes the changes the cells act on, so that no approver is their author. */
  private static String author;

  @BeforeAll
  static void start() {
    server =
        ServerFixture.startConfigured(
            dataDir, config -> config.refreshInterval(Duration.ofMinutes(10)));
    author = credential("author", "editor");
    for (Role role : Role.values()) {
      CLIENTS.put(
          role,
          new ConsoleClient(server.server().port())
              .loggedIn(credential("as-" + role.wireName(), role.wireName())));
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void liftFreezeAndWindow() {
    server.admin("DELETE", "/v1/admin/rollouts/freeze", null);
    // A window a cell set on a ring would hold back the releases other cells wait for.
    server.admin("PATCH", "/v1/admin/rings/beta", "{\"changeWindow\":null}");
  }

  private static String credential(String name, String role) {
    return server
        .admin(
            "POST",
            "/v1/admin/credentials",
            "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}")
        .get("token")
        .asText();
  }

  /** A namespace of the cell's own with a published default layer. */
  private static String namespace(int n) {
    String ns = "c" + n;
    server.createNamespace(ns);
    server.publishLayer(ns, "default", "{\"n\":0}");
    return ns;
  }

  private static long draft(int n) {
    String body =
        "{\"description\":\"cell "
            + n
            + "\",\"edits\":[{\"namespace\":\""
            + namespace(n)
            + "\",\"scope\":\"default\",\"content\":{\"n\":"
            + n
            + "}}]}";
    HttpResponse<byte[]> created = server.sendJson("POST", "/v1/admin/changes", author, body);
    assertThat(created.statusCode()).isEqualTo(201);
    return ServerFixture.json(created).get("id").asLong();
  }

  private static long approved(int n) {
    long id = draft(n);
    server.admin("POST", "/v1/admin/changes/" + id + "/approve", null);
    return id;
  }

  private static long rollingOut(int n) {
    long id = approved(n);
    server.admin("POST", "/v1/admin/changes/" + id + "/promote", null);
    return id;
  }

  private static JsonNode change(long id) {
    return server.admin("GET", "/v1/admin/changes/" + id, null);
  }

  private static boolean frozen() {
    return server.admin("GET", "/v1/admin/rollouts", null).get("freeze").get("frozen").asBoolean();
  }

  /** What a cell leaves behind, to compare after a denied one. */
  private static String state(long id) {
    return id == 0
        ? "frozen="
            + frozen()
            + " changes="
            + server.admin("GET", "/v1/admin/changes", null).get("changes").size()
            + " rings="
            + server.admin("GET", "/v1/admin/rollouts", null).get("rings")
            + " instances="
            + server.admin("GET", "/v1/admin/instances", null)
            + " blackouts="
            + server.admin("GET", "/v1/admin/blackouts", null)
        : change(id).toString();
  }

  /** An instance of the cell's own, in ring beta. */
  private static long instance(int n) {
    server.createInstance("w" + n, "beta");
    return 0L;
  }

  /** The id of the blackout on the cell's instance. */
  private static String blackoutOf(int n) {
    for (JsonNode blackout : server.admin("GET", "/v1/admin/blackouts", null).get("blackouts")) {
      if (blackout.get("target").asText().equals("w" + n)) {
        return blackout.get("id").asText();
      }
    }
    throw new AssertionError("no blackout on w" + n);
  }

  /** One console operation: what to prepare (the change acted on, or 0), and how to perform it. */
  enum Scenario {
    CREATE_CHANGE(
        AdminOperation.CREATE_CHANGE,
        n -> {
          namespace(n);
          return 0L;
        },
        (scenario, client, n, id) -> {
          // The form is the one page the operation shows; a role without it is refused both.
          HttpResponse<String> form =
              client.get("/console/namespaces/c" + n + "/edit?scope=default");
          Matcher base =
              Pattern.compile("name=\"baseRevision\" value=\"(\\d+)\"").matcher(form.body());
          return client.submit(
              "/console/namespaces/c" + n + "/edit",
              "scope",
              "default",
              "baseRevision",
              base.find() ? base.group(1) : "1",
              "content",
              "{\"n\": " + n + "}",
              "description",
              "cell " + n,
              "intent",
              "create");
        }),
    APPROVE_CHANGE(
        AdminOperation.APPROVE_CHANGE, ConsoleOperationRoleMatrixTest::draft, Scenario::act),
    PROMOTE_CHANGE(
        AdminOperation.PROMOTE_CHANGE, ConsoleOperationRoleMatrixTest::approved, Scenario::act),
    PAUSE_CHANGE(
        AdminOperation.PAUSE_CHANGE, ConsoleOperationRoleMatrixTest::rollingOut, Scenario::act),
    RESUME_CHANGE(
        AdminOperation.RESUME_CHANGE,
        n -> {
          long id = rollingOut(n);
          server.admin("POST", "/v1/admin/changes/" + id + "/pause", null);
          return id;
        },
        Scenario::act),
    BACK_OUT_CHANGE(
        AdminOperation.BACK_OUT_CHANGE, ConsoleOperationRoleMatrixTest::rollingOut, Scenario::act),
    HOTFIX_CHANGE(
        AdminOperation.HOTFIX_CHANGE, ConsoleOperationRoleMatrixTest::approved, Scenario::act),
    CANCEL_CHANGE(
        AdminOperation.CANCEL_CHANGE, ConsoleOperationRoleMatrixTest::draft, Scenario::act),
    FREEZE_ROLLOUTS(
        AdminOperation.FREEZE_ROLLOUTS,
        n -> 0L,
        (scenario, client, n, id) ->
            client.submit("/console/rollouts/freeze", "reason", "incident " + n)),
    LIFT_FREEZE(
        AdminOperation.LIFT_FREEZE,
        n -> {
          server.admin("PUT", "/v1/admin/rollouts/freeze", "{\"reason\":\"window " + n + "\"}");
          return 0L;
        },
        (scenario, client, n, id) -> client.submit("/console/rollouts/unfreeze")),
    UPDATE_RING(
        AdminOperation.UPDATE_RING,
        n -> 0L,
        (scenario, client, n, id) ->
            client.submit(
                "/console/rings/beta/window", "changeWindow", "Sat-Sun all day in Europe/London")),
    UPDATE_INSTANCE(
        AdminOperation.UPDATE_INSTANCE,
        ConsoleOperationRoleMatrixTest::instance,
        (scenario, client, n, id) ->
            client.submit(
                "/console/instances/w" + n + "/timing",
                "zone",
                "Asia/Tokyo",
                "changeWindow",
                "Mon-Fri 19:00-07:00 in Asia/Tokyo")),
    ADD_BLACKOUT(
        AdminOperation.ADD_BLACKOUT,
        ConsoleOperationRoleMatrixTest::instance,
        (scenario, client, n, id) ->
            client.submit(
                "/console/blackouts",
                "level",
                "instance",
                "target",
                "w" + n,
                "from",
                "2027-11-26",
                "reason",
                "cell " + n)),
    REMOVE_BLACKOUT(
        AdminOperation.REMOVE_BLACKOUT,
        n -> {
          instance(n);
          server.admin(
              "POST",
              "/v1/admin/blackouts",
              "{\"level\":\"instance\",\"target\":\"w"
                  + n
                  + "\",\"from\":\"2027-11-26\",\"reason\":\"cell "
                  + n
                  + "\"}");
          return 0L;
        },
        (scenario, client, n, id) ->
            client.submit("/console/blackouts/" + blackoutOf(n) + "/remove")),
    READ_AUDIT(
        AdminOperation.READ_AUDIT,
        n -> 0L,
        (scenario, client, n, id) -> client.get("/console/audit"));

    @FunctionalInterface
    interface Perform {
      HttpResponse<String> as(Scenario scenario, ConsoleClient client, int n, long id);
    }

    final AdminOperation operation;
    final IntFunction<Long> setup;
    final Perform perform;

    Scenario(AdminOperation operation, IntFunction<Long> setup, Perform perform) {
      this.operation = operation;
      this.setup = setup;
      this.perform = perform;
    }

    /**
     * Posts the change page's form for the operation: its action is named as in the API's path
     * ({@code /v1/admin/changes/{id}/approve} → {@code /console/changes/{id}/approve}).
     */
    private static HttpResponse<String> act(
        Scenario scenario, ConsoleClient client, int n, long id) {
      String path = scenario.operation.path();
      return client.submit(
          "/console/changes/" + id + "/" + path.substring(path.lastIndexOf('/') + 1),
          "version",
          String.valueOf(change(id).get("version").asLong()),
          "reason",
          "cell " + n,
          "comment",
          "ok");
    }
  }

  static Stream<Arguments> matrix() {
    return Stream.of(Role.values())
        .flatMap(
            role ->
                Stream.of(Scenario.values())
                    .map(s -> Arguments.of(role, s, role.includes(s.operation.role()))));
  }

  @Test
  void everyOperationTheConsolePerforms_hasAScenario() {
    Set<AdminOperation> performed = EnumSet.noneOf(AdminOperation.class);
    Stream.of(Scenario.values()).forEach(s -> performed.add(s.operation));

    assertThat(performed).isEqualTo(Console.OPERATIONS);
  }

  @Test
  void aWriteThroughTheConsole_isServedByThisReplica_beforeTheRedirectArrives() {
    int n = SEQUENCE.incrementAndGet();
    long id = approved(n);
    String token = server.createInstance("console-" + n, "live");
    String config = "/v1/instances/console-" + n + "/config/c" + n;
    assertThat(ServerFixture.json(server.get(config, token)).toString())
        .doesNotContain("\"n\":" + n);

    HttpResponse<String> hotfix =
        Scenario.HOTFIX_CHANGE.perform.as(Scenario.HOTFIX_CHANGE, CLIENTS.get(Role.ADMIN), n, id);

    assertThat(hotfix.statusCode()).isEqualTo(303);
    assertThat(change(id).get("state").asText()).isEqualTo("completed");
    assertThat(ServerFixture.json(server.get(config, token)).toString()).contains("\"n\":" + n);
  }

  @ParameterizedTest(name = "[{index}] {0} {1} allowed={2}")
  @MethodSource("matrix")
  void everyConsoleOperation_asEveryRole_followsTheTable(
      Role role, Scenario scenario, boolean allowed) {
    int n = SEQUENCE.incrementAndGet();
    long id = scenario.setup.apply(n);
    String before = state(id);
    ConsoleClient client = CLIENTS.get(role);

    HttpResponse<String> response = scenario.perform.as(scenario, client, n, id);

    String needs = "this needs the " + scenario.operation.role().wireName() + " role";
    if (scenario == Scenario.READ_AUDIT || (scenario == Scenario.CREATE_CHANGE && !allowed)) {
      // Pages and form pages answer with their status; the refusal is the page.
      assertThat(response.statusCode()).as(response.body()).isEqualTo(allowed ? 200 : 403);
      if (!allowed) {
        assertThat(response.body()).contains(needs);
      }
    } else {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
      String shown = client.get(response.headers().firstValue("Location").orElseThrow()).body();
      if (allowed) {
        assertThat(shown).doesNotContain("Not permitted for this role");
      } else {
        assertThat(shown).contains("Not permitted for this role").contains(needs);
      }
    }
    if (!allowed) {
      assertThat(state(id)).as("a refused operation changes nothing").isEqualTo(before);
      return;
    }
    switch (scenario) {
      case CREATE_CHANGE ->
          assertThat(server.admin("GET", "/v1/admin/changes", null).get("changes").size())
              .as("a change was created")
              .isGreaterThan(0);
      case FREEZE_ROLLOUTS -> assertThat(frozen()).isTrue();
      case LIFT_FREEZE -> assertThat(frozen()).isFalse();
      case READ_AUDIT -> assertThat(response.body()).contains("Audit log");
      default -> assertThat(state(id)).as("the change moved").isNotEqualTo(before);
    }
  }
}
