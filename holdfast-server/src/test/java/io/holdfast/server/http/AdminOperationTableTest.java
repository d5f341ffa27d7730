package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.admin.AdminOperation;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The admin operation table against the running API: every operation it declares is served at its
 * route behind the gate, is exercised by a role matrix (so an operation added to the table without
 * a test fails here), and a write is served by the replica it went through before its answer
 * arrives, with the store's poller all but off.
 */
class AdminOperationTableTest {

  @TempDir static Path dataDir;

  private static ServerFixture server;

  @BeforeAll
  static void start() {
    // The poller waits ten minutes: whatever this replica serves at once, the gate made it serve.
    server =
        ServerFixture.startConfigured(
            dataDir, config -> config.refreshInterval(Duration.ofMinutes(10)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyOperation_isPerformedByARoleMatrix_asEveryRole() {
    Set<AdminOperation> performed = EnumSet.noneOf(AdminOperation.class);
    Stream.of(AdminRoleMatrixTest.Operation.values()).forEach(o -> performed.add(o.operation));
    Stream.of(ChangeRoleMatrixTest.Operation.values()).forEach(o -> performed.add(o.operation));

    assertThat(EnumSet.complementOf(EnumSet.copyOf(performed)))
        .as("operations that no role matrix performs")
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(AdminOperation.class)
  void everyOperation_isServedAtItsRoute_behindTheGate(AdminOperation operation) {
    String path = operation.path().replaceAll("\\{[^}]+}", "x");

    HttpResponse<byte[]> anonymous = server.send(operation.method(), path, null, null);

    // Not 404 or 405: the route exists; and the gate refused before any handler looked.
    assertProblem(anonymous, ProblemType.UNAUTHENTICATED);
  }

  @Test
  void readsAreGets_writesAreNot_andOnlyTheInstanceEditsShareARoute() {
    Map<String, List<AdminOperation>> byRoute = new HashMap<>();
    for (AdminOperation operation : AdminOperation.values()) {
      assertThat(operation.role()).as("%s declares its role", operation).isNotNull();
      assertThat(operation.path()).startsWith("/v1/admin/");
      assertThat(operation.method().equals("GET"))
          .as("%s reads if and only if it is a GET", operation)
          .isEqualTo(!operation.writes());
      byRoute
          .computeIfAbsent(operation.method() + " " + operation.path(), r -> new ArrayList<>())
          .add(operation);
    }
    byRoute.values().removeIf(operations -> operations.size() == 1);
    assertThat(byRoute).containsOnlyKeys("PATCH /v1/admin/instances/{id}");
    assertThat(AdminOperation.toEditInstance("live", "beta"))
        .isEqualTo(AdminOperation.MOVE_INSTANCE_RING);
    assertThat(AdminOperation.toEditInstance("live", "live"))
        .isEqualTo(AdminOperation.UPDATE_INSTANCE);
    assertThat(AdminOperation.toEditInstance("live", null))
        .isEqualTo(AdminOperation.UPDATE_INSTANCE);
  }

  @Test
  void aWriteThroughTheGate_isServedByThisReplica_beforeItsAnswerArrives() {
    server.createNamespace("ryw");
    String token = server.createInstance("ryw-prod", "live");
    // Without the gate's wait, the new instance's credential would be unknown here for ten minutes.
    HttpResponse<byte[]> first = server.get("/v1/instances/ryw-prod/config/ryw", token);
    assertThat(first.statusCode()).isIn(200, 404);

    for (int version = 1; version <= 3; version++) {
      HttpTestSupport.stage(server, "ryw", "default", "{\"version\":" + version + "}");
      HttpTestSupport.publish(server, "ryw");
      HttpResponse<byte[]> served = server.get("/v1/instances/ryw-prod/config/ryw", token);
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(HttpTestSupport.envelope(served.body()).content().get("version").asInt())
          .isEqualTo(version);
    }

    HttpResponse<byte[]> moved =
        server.sendJson(
            "PATCH", "/v1/admin/instances/ryw-prod", server.adminToken(), "{\"ring\":\"beta\"}");
    assertThat(moved.statusCode()).isEqualTo(200);
    HttpTestSupport.stage(server, "ryw", "ring:beta", "{\"version\":\"beta\"}");
    HttpTestSupport.publish(server, "ryw");
    assertThat(
            HttpTestSupport.envelope(server.get("/v1/instances/ryw-prod/config/ryw", token).body())
                .content()
                .get("version")
                .asText())
        .isEqualTo("beta");
  }
}
