package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/admin/fleet} from real heartbeats: states, lag and grace per instance, the filters of
 * issue 5, counts, detail, and the same figures on {@code /metrics}.
 */
class FleetApiTest {

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static long revision;
  private static String freshToken;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    server.createNamespace("core");
    String fresh = server.createInstance("fresh-co", "live");
    freshToken = fresh;
    String stale = server.createInstance("stale-co", "beta");
    server.createInstance("quiet-co", "live");
    server.publishLayer("core", "default", "{\"seats\":1}");
    revision = server.publishLayer("core", "default", "{\"seats\":2}");
    assertThat(beat("fresh-co", fresh, revision, "FRESH", 28_800)).isEqualTo(204);
    assertThat(beat("stale-co", stale, revision - 1, "STALE", 7_200)).isEqualTo(204);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static int beat(
      String instance, String token, long reported, String status, long graceSeconds) {
    String body =
        "{\"sdkVersion\":\"1.0.0\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":{\"core\":"
            + "{\"revision\":"
            + reported
            + ",\"status\":\""
            + status
            + "\",\"since\":\"2026-11-25T18:00:00Z\","
            + "\"reason\":\""
            + (status.equals("FRESH") ? "verified" : "all replicas unreachable")
            + "\","
            + "\"graceRemainingSeconds\":"
            + graceSeconds
            + "}}}";
    return server
        .sendJson("POST", "/v1/instances/" + instance + "/heartbeat", token, body)
        .statusCode();
  }

  private static JsonNode fleet(String query) {
    HttpResponse<byte[]> response = server.get("/v1/admin/fleet" + query, server.adminToken());
    assertThat(response.statusCode())
        .as(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    return json(response);
  }

  private static List<String> ids(JsonNode view) {
    List<String> ids = new ArrayList<>();
    view.get("instances").forEach(i -> ids.add(i.get("instance").asText()));
    return ids;
  }

  @Test
  void fleet_showsEachInstancesStateLagAndGrace_withCountsByState() {
    JsonNode view = fleet("");

    assertThat(ids(view)).containsExactly("fresh-co", "quiet-co", "stale-co");
    assertThat(view.get("counts").get("fresh").asInt()).isEqualTo(1);
    assertThat(view.get("counts").get("stale").asInt()).isEqualTo(1);
    assertThat(view.get("counts").get("unreported").asInt()).isEqualTo(1);
    JsonNode stale = view.get("instances").get(2);
    assertThat(stale.get("state").asText()).isEqualTo("stale");
    assertThat(stale.get("ring").asText()).isEqualTo("beta");
    assertThat(stale.get("revisionLag").asLong()).isEqualTo(1);
    assertThat(stale.get("graceRemainingSeconds").asLong())
        .as("7200 s reported, running since")
        .isBetween(7_100L, 7_200L);
    assertThat(stale.get("reason").asText()).contains("all replicas unreachable");
    JsonNode quiet = view.get("instances").get(1);
    assertThat(quiet.get("state").asText()).isEqualTo("unreported");
    assertThat(quiet.get("lastContact").isNull()).isTrue();
    assertThat(view.get("minGraceRemainingSeconds").asLong()).isBetween(7_100L, 7_200L);
  }

  @Test
  void filters_byStateRingLagSilenceAndGrace() {
    assertThat(ids(fleet("?state=stale"))).containsExactly("stale-co");
    assertThat(ids(fleet("?ring=live"))).containsExactly("fresh-co", "quiet-co");
    assertThat(ids(fleet("?minLag=1"))).containsExactly("stale-co");
    assertThat(ids(fleet("?graceBelow=3h"))).containsExactly("stale-co");
    assertThat(ids(fleet("?silentFor=1h"))).as("never heard from").containsExactly("quiet-co");
    assertThat(ids(fleet("?state=fresh&ring=beta"))).isEmpty();
  }

  @Test
  void badFilters_get400ProblemsNamingTheParameter() {
    String admin = server.adminToken();
    assertThat(
            assertProblem(
                    server.get("/v1/admin/fleet?state=sleepy", admin), ProblemType.INVALID_REQUEST)
                .get("detail")
                .asText())
        .contains("state must be one of");
    assertThat(
            assertProblem(
                    server.get("/v1/admin/fleet?minLag=-3", admin), ProblemType.INVALID_REQUEST)
                .get("detail")
                .asText())
        .contains("minLag");
    assertThat(
            assertProblem(
                    server.get("/v1/admin/fleet?graceBelow=soon", admin),
                    ProblemType.INVALID_REQUEST)
                .get("detail")
                .asText())
        .contains("graceBelow");
    assertThat(
            assertProblem(
                    server.get("/v1/admin/fleet?colour=red", admin), ProblemType.INVALID_REQUEST)
                .get("detail")
                .asText())
        .contains("unknown query parameter");
  }

  @Test
  void detail_carriesTheLatestReportAndWhatIsServed() {
    JsonNode detail = json(server.get("/v1/admin/fleet/stale-co", server.adminToken()));

    assertThat(detail.get("state").asText()).isEqualTo("stale");
    assertThat(detail.get("heartbeat").get("namespaces").get("core").get("revision").asLong())
        .isEqualTo(revision - 1);
    assertThat(detail.get("served").get("core").asLong()).isEqualTo(revision);
    assertProblem(
        server.get("/v1/admin/fleet/nobody", server.adminToken()), ProblemType.INSTANCE_NOT_FOUND);
  }

  @Test
  void instanceCredentials_cannotReadTheFleet() {
    assertThat(server.get("/v1/admin/fleet", freshToken).statusCode()).isIn(401, 403);
  }

  @Test
  void metrics_countTheFleetByState_andTheLeastGraceRemaining() {
    String text = server.scrapeMetrics();
    assertThat(text).contains("holdfast_fleet_instances{state=\"stale\"} 1.0");
    assertThat(text).contains("holdfast_fleet_instances{state=\"fresh\"} 1.0");
    assertThat(text).containsPattern("holdfast_fleet_grace_remaining_min_seconds 7[0-9]{3}\\.0");
    assertThat(text).containsPattern("holdfast_heartbeats_received_total [2-9]");
  }
}
