package io.holdfast.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.AdminClient;
import io.holdfast.client.Status;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SimulatedFleet} against a real replica on a SQLite file: its members go FRESH and report
 * seats in their heartbeats, reject a {@code core} whose {@code maxUploadMb} is not a whole number,
 * never deny a seat holder, and leave no thread behind.
 */
class SimulatedFleetTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private HoldfastServer server;
  private AdminClient admin;

  @BeforeEach
  void start() throws Exception {
    server =
        HoldfastServer.start(
            ServerConfig.builder(dir.resolve("data"))
                .port(0)
                .refreshInterval(Duration.ofMillis(50))
                .build());
    admin = new AdminClient(uri(), server.adminToken());
    for (String ns : List.of("core", "features")) {
      admin.post("/v1/admin/namespaces", json("{\"name\":\"" + ns + "\"}"));
    }
    publishCore("{\"maxUploadMb\": 25}");
    admin.put("/v1/admin/namespaces/features/layers/default", json("{\"newDashboard\": true}"));
    admin.post("/v1/admin/namespaces/features/publish", json("{\"message\":\"flags\"}"));
    admin.post("/v1/admin/applications", json("{\"name\":\"crm\",\"displayName\":\"CRM\"}"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void fleet_goesFresh_reportsSeats_rejectsAFractionalUploadLimit_andNeverDeniesAHolder()
      throws Exception {
    List<FleetMember> members = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String id = "sim-" + i;
      String ring = List.of("test", "dev", "beta", "live").get(i % 4);
      String credential =
          admin
              .post(
                  "/v1/admin/instances", json("{\"id\":\"" + id + "\",\"ring\":\"" + ring + "\"}"))
              .path("credential")
              .asText();
      // Five seats for a pool of at least ten users: some logins meet the limit.
      admin.post(
          "/v1/admin/subscriptions",
          json(
              "{\"instance\":\""
                  + id
                  + "\",\"application\":\"crm\",\"quantity\":5,\"overage\":0,"
                  + "\"validFrom\":\"2026-01-01T00:00:00Z\",\"plan\":\"team\"}"));
      members.add(new FleetMember(id, credential, ring));
    }
    FleetPlan plan =
        FleetPlan.of(List.of(uri()), server.verificationKey(), members, dir.resolve("cache"))
            .withSeatInterval(Duration.ofMillis(20))
            .withSeed(42);

    Map<Long, String> before = fleetThreads();
    try (SimulatedFleet fleet = SimulatedFleet.start(plan)) {
      await().atMost(DEADLINE).until(() -> fleet.view().allFresh());
      // Seats move: logins admitted up to the quantity, and denied beyond it.
      await().atMost(DEADLINE).until(() -> fleet.view().denied() > 0);
      assertThat(fleet.view().admissions()).isPositive();
      for (FleetMember member : members) {
        assertThat(dir.resolve("cache").resolve(member.instance())).isDirectory();
        // The replica holds a heartbeat reporting the member's seats in use.
        JsonNode seats =
            await()
                .atMost(DEADLINE)
                .until(
                    () ->
                        admin
                            .get("/v1/admin/fleet/" + member.instance())
                            .path("heartbeat")
                            .path("seatsInUse")
                            .path("crm"),
                    n -> n.asLong() > 0);
        assertThat(seats.asLong()).isBetween(1L, 5L);
      }
      assertThat(admin.get("/v1/admin/fleet").path("counts").path("fresh").asInt()).isEqualTo(6);

      // The application's rule: a non-integral maxUploadMb is rejected by every member, which
      // keeps serving its last-known-good copy and says STALE.
      publishCore("{\"maxUploadMb\": \"lots\"}");
      await().atMost(DEADLINE).until(() -> fleet.view().stale() == 6);
      assertThat(fleet.statuses().values()).containsOnly(Status.STALE);
      publishCore("{\"maxUploadMb\": 2.5}");
      publishCore("{\"maxUploadMb\": 30}");
      await().atMost(DEADLINE).until(() -> fleet.view().allFresh());
      assertThat(fleet.view().holdersDenied()).isZero();
      assertThat(fleet.view().applicationErrors()).isZero();
    }
    await()
        .atMost(DEADLINE)
        .untilAsserted(() -> assertThat(leftSince(before)).as("threads left").isEmpty());
  }

  @Test
  void validator_acceptsWholeNumbersAndAnAbsentLimit_rejectsTextAndFractions() throws Exception {
    SimulatedMember.validateCore(json("{\"maxUploadMb\": 25}"));
    SimulatedMember.validateCore(json("{\"maxUploadMb\": 25.0}"));
    SimulatedMember.validateCore(json("{\"sessionTimeoutMinutes\": 30}"));
    for (String bad : List.of("\"lots\"", "2.5", "null", "true", "\"25\"")) {
      assertThatThrownBy(() -> SimulatedMember.validateCore(json("{\"maxUploadMb\": " + bad + "}")))
          .as(bad)
          .hasMessageContaining("maxUploadMb must be a whole number");
    }
  }

  private void publishCore(String content) throws Exception {
    admin.put("/v1/admin/namespaces/core/layers/default", json(content));
    admin.post("/v1/admin/namespaces/core/publish", json("{\"message\":\"core\"}"));
  }

  private URI uri() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /**
   * Live threads a fleet may start, by id: the SDK's, the seat traffic's and HTTP clients'. An HTTP
   * client's threads are named {@code HttpClient-<n>-...}; the test's own admin client is one.
   */
  private static Map<Long, String> fleetThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(
            t ->
                t.getName().startsWith("holdfast-client")
                    || t.getName().startsWith("holdfast-fleet")
                    || t.getName().startsWith("HttpClient-"))
        .collect(Collectors.toMap(Thread::threadId, Thread::getName));
  }

  /**
   * The threads started since {@code before} and still alive, leaving out the workers of an HTTP
   * client that existed before (the test's admin client, whose pool grows as the test calls it).
   */
  private static List<String> leftSince(Map<Long, String> before) {
    Set<String> earlierClients =
        before.values().stream()
            .map(SimulatedFleetTest::httpClient)
            .filter(c -> !c.isEmpty())
            .collect(Collectors.toSet());
    return fleetThreads().entrySet().stream()
        .filter(e -> !before.containsKey(e.getKey()))
        .map(Map.Entry::getValue)
        .filter(name -> !earlierClients.contains(httpClient(name)))
        .toList();
  }

  /** {@code HttpClient-7-} for a thread of HTTP client 7, empty for any other thread. */
  private static String httpClient(String threadName) {
    if (!threadName.startsWith("HttpClient-")) {
      return "";
    }
    int dash = threadName.indexOf('-', "HttpClient-".length());
    return dash < 0 ? "" : threadName.substring(0, dash + 1);
  }

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) JSON.readTree(text);
  }
}
