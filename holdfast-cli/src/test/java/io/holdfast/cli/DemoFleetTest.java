package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.fleet.FleetView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code holdfast demo} with its simulated fleet: FRESH within seconds with seats in its
 * heartbeats, and change requests judged by those heartbeats on compressed bake times: a good one
 * crosses every ring, a bad one is rejected by the fleet's validators and backed out.
 */
class DemoFleetTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration FRESH_WITHIN = Duration.ofSeconds(15);
  private static final Duration ROLLOUT_WITHIN = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void demoFleet_isFreshWithinSeconds_andReportsSeatsInUseInItsHeartbeats() throws Exception {
    long started = System.nanoTime();
    try (DemoCommand.Running demo = demo("--fleet", "8")) {
      await().atMost(FRESH_WITHIN).until(() -> demo.fleet().view().allFresh());
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FRESH_WITHIN);
      AdminClient admin = admin(demo, "adminToken");

      // The four sample instances and four simulated ones, all reporting: none unreported.
      JsonNode fleet =
          await()
              .atMost(FRESH_WITHIN)
              .until(
                  () -> admin.get("/v1/admin/fleet"),
                  f -> f.path("counts").path("fresh").asInt() == 8);
      assertThat(fleet.path("counts").path("unreported").asInt()).isZero();
      List<String> ids = new ArrayList<>();
      fleet.path("instances").forEach(i -> ids.add(i.path("instance").asText()));
      assertThat(ids)
          .containsExactlyInAnyOrder(
              "acme-prod",
              "globex-beta",
              "initech-dev",
              "umbrella-test",
              "test-sim-1",
              "dev-sim-1",
              "beta-sim-1",
              "live-sim-1");
      for (String id : List.of("acme-prod", "test-sim-1", "dev-sim-1", "live-sim-1")) {
        JsonNode heartbeat =
            await()
                .atMost(FRESH_WITHIN)
                .until(
                    () -> admin.get("/v1/admin/fleet/" + id).path("heartbeat"),
                    h -> h.path("seatsInUse").path("crm").asLong() > 0);
        assertThat(heartbeat.path("namespaces").path("core").path("status").asText())
            .isEqualTo("FRESH");
      }
      FleetView view = demo.fleet().view();
      assertThat(view.admissions()).isPositive();
      assertThat(view.holdersDenied()).isZero();
      assertThat(view.applicationErrors()).isZero();

      String tour = DemoFleet.tour(demo, saved(demo));
      assertThat(tour)
          .contains("Fleet: 8 simulated instances")
          .contains("DEMO SETTING, never for production")
          .contains("dev 24h → 10s")
          .contains("beta 48h → 20s")
          .contains("./holdfast change create")
          .contains("echo '{\"maxUploadMb\": \"lots\"}' | ./holdfast change create");
    }
  }

  @Test
  void goodChange_crossesEveryRing_gatedByTheFleetsHeartbeats_onCompressedBakes() throws Exception {
    // 24 h and 48 h divided by 86400: dev bakes 1 s, beta 2 s.
    // No change window for the sample tenant in Tokyo: the change crosses every ring at once.
    try (DemoCommand.Running demo =
        demo("--fleet", "8", "--bake-scale", "86400", "--window-in", "0")) {
      AdminClient admin = admin(demo, "adminToken");
      assertThat(admin.get("/v1/admin/rings").findValuesAsText("bakeTime"))
          .containsExactly("PT0S", "PT1S", "PT2S", "PT0S");
      await().atMost(FRESH_WITHIN).until(() -> demo.fleet().view().allFresh());

      long id = approvedChange(demo, 40, "45");

      List<JsonNode> gates = new ArrayList<>();
      JsonNode done = awaitEnded(admin, id, gates);
      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("completed");
      // The gates judged heartbeats: some ring's verdict counted watched instances, all confirming.
      assertThat(gates)
          .anySatisfy(
              gate -> {
                assertThat(gate.path("watched").asInt()).isGreaterThanOrEqualTo(2);
                assertThat(gate.path("acknowledged").asInt())
                    .isEqualTo(gate.path("watched").asInt());
              });
      assertThat(done.path("releases").findValuesAsText("ring"))
          .containsExactly("test", "dev", "beta", "live");
      // The gate promoted it on heartbeats: every member confirmed the new core and is FRESH.
      await().atMost(FRESH_WITHIN).until(() -> demo.fleet().view().allFresh());
      assertThat(demo.fleet().view().holdersDenied()).isZero();
    }
  }

  @Test
  void badChange_isRejectedByTheFleetsValidators_andBackedOutByTheGate() throws Exception {
    try (DemoCommand.Running demo = demo("--fleet", "8", "--bake-scale", "86400")) {
      AdminClient admin = admin(demo, "adminToken");
      await().atMost(FRESH_WITHIN).until(() -> demo.fleet().view().allFresh());

      long id = approvedChange(demo, 30, "\"lots\"");

      JsonNode done = awaitEnded(admin, id, new ArrayList<>());
      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("backed_out");
      // It never left the first ring, and the reason is the fleet's rejection.
      assertThat(done.path("releases").findValuesAsText("ring")).containsExactly("test");
      assertThat(done.path("outcome").asText())
          .contains("STALE")
          .contains("maxUploadMb must be a whole number");
      // The back-out is a new revision every member accepts: the fleet is FRESH again.
      await().atMost(FRESH_WITHIN).until(() -> demo.fleet().view().allFresh());
      FleetView view = demo.fleet().view();
      assertThat(view.holdersDenied()).isZero();
      assertThat(view.applicationErrors()).isZero();
    }
  }

  @Test
  void theSampleTenantInTokyo_holdsAChangeInBetaUntilItsWindowOpens_andTheTourSaysSo()
      throws Exception {
    try (DemoCommand.Running demo = demo("--fleet", "4", "--bake-scale", "86400")) {
      AdminClient admin = admin(demo, "adminToken");
      JsonNode tenant = admin.get("/v1/admin/instances/" + DemoWindow.TENANT);
      assertThat(tenant.path("zone").asText()).isEqualTo("Asia/Tokyo");
      assertThat(tenant.path("changeWindow").asText()).endsWith(" in Asia/Tokyo");
      assertThat(DemoFleet.tour(demo, saved(demo)))
          .contains(
              "DEMO SETTING: sample tenant globex-beta (ring beta) is a customer in Asia/Tokyo");
      await().atMost(FRESH_WITHIN).until(() -> demo.fleet().view().allFresh());

      long id = approvedChange(demo, 40, "45");

      JsonNode waiting =
          await()
              .atMost(ROLLOUT_WITHIN)
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () -> admin.get("/v1/admin/changes/" + id),
                  change ->
                      change.path("currentRing").asText().equals("beta")
                          && change.path("windows").findValues("ring").stream()
                              .anyMatch(r -> r.asText().equals("beta")));
      JsonNode beta = waiting.path("windows").get(waiting.path("windows").size() - 1);
      assertThat(beta.path("ring").asText()).isEqualTo("beta");
      assertThat(beta.path("waiting").asInt()).isEqualTo(1);
      assertThat(beta.path("nextOpening").path("instance").asText()).isEqualTo(DemoWindow.TENANT);
      assertThat(waiting.path("state").asText()).isEqualTo("rolling_out");
    }
    try (DemoCommand.Running demo = demo("--fleet", "0", "--window-in", "0")) {
      JsonNode tenant = admin(demo, "adminToken").get("/v1/admin/instances/" + DemoWindow.TENANT);
      assertThat(tenant.path("zone").isNull()).as(tenant.toString()).isTrue();
      assertThat(DemoFleet.tour(demo, saved(demo))).doesNotContain("sample tenant globex-beta");
    }
  }

  @Test
  void aFleetMissingSomeRings_hasThoseRingsAllowedToBeEmpty_soAChangeStillCrosses_untilItGrows()
      throws Exception {
    // Two members: acme-prod in live and globex-beta in beta; nobody reports in test or dev.
    try (DemoCommand.Running demo =
        demo("--fleet", "2", "--bake-scale", "86400", "--window-in", "0")) {
      AdminClient admin = admin(demo, "adminToken");
      assertThat(demo.emptyRings()).containsExactly("test", "dev");
      assertThat(admin.get("/v1/admin/rings").findValues("allowEmpty"))
          .extracting(JsonNode::asBoolean)
          .containsExactly(true, true, false, false);
      assertThat(DemoFleet.tour(demo, saved(demo)))
          .contains("Fleet: 2 simulated instances (real SDK clients")
          .contains("in beta, live;")
          .contains("DEMO SETTING: no simulated instance runs in rings test, dev");
      await().atMost(FRESH_WITHIN).until(() -> demo.fleet().view().allFresh());

      JsonNode done = awaitEnded(admin, approvedChange(demo, 40, "45"), new ArrayList<>());

      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("completed");
    }
    try (DemoCommand.Running demo = demo("--fleet", "4")) {
      // Every ring has a member now: every gate judges heartbeats again.
      assertThat(demo.emptyRings()).isEmpty();
      assertThat(admin(demo, "adminToken").get("/v1/admin/rings").findValues("allowEmpty"))
          .extracting(JsonNode::asBoolean)
          .containsOnly(false);
      assertThat(DemoFleet.tour(demo, saved(demo))).doesNotContain("allows them to be empty");
    }
  }

  @Test
  void restart_growsTheFleetFromSavedCredentials_andBakeScaleOneRestoresTheRealBakes()
      throws Exception {
    try (DemoCommand.Running demo = demo("--fleet", "5")) {
      await().atMost(FRESH_WITHIN).until(() -> demo.fleet().view().allFresh());
      assertThat(admin(demo, "adminToken").get("/v1/admin/rings").findValuesAsText("bakeTime"))
          .containsExactly("PT0S", "PT10S", "PT20S", "PT0S");
    }
    try (DemoCommand.Running demo = demo("--fleet", "7", "--bake-scale", "1")) {
      // The real bake times come back: the first start recorded them, not the compressed ones.
      assertThat(admin(demo, "adminToken").get("/v1/admin/rings").findValuesAsText("bakeTime"))
          .containsExactly("PT0S", "PT24H", "PT48H", "PT0S");
      assertThat(demo.compressedBakes()).isEmpty();
      assertThat(DemoFleet.tour(demo, saved(demo))).contains("Bake times are the real ones");
      // test-sim-1 from the first start is reused; dev-sim-1 and beta-sim-1 are new.
      assertThat(demo.fleet().members())
          .extracting(io.holdfast.cli.fleet.FleetMember::instance)
          .endsWith("test-sim-1", "dev-sim-1", "beta-sim-1");
      await().atMost(FRESH_WITHIN).until(() -> demo.fleet().view().allFresh());
      assertThat(saved(demo).path("instances").size()).isEqualTo(7);
    }
  }

  @Test
  void interruptedFirstStart_resumesFromTheFile_recoversWhatItLost_andCompressesBakesOnce()
      throws Exception {
    try (DemoCommand.Running demo = demo("--fleet", "6")) {
      await().atMost(FRESH_WITHIN).until(() -> demo.fleet().view().allFresh());
    }
    // What a start interrupted between making things and saving them leaves: the store holds the
    // sample data, the reviewer and two instances, but the file has no sign of having seeded, no
    // reviewer token and not those two instances' credentials.
    Path file = dir.resolve("demo").resolve(DemoCommand.CREDENTIALS_FILE);
    ObjectNode saved = (ObjectNode) JSON.readTree(file.toFile());
    saved.remove(List.of("seeded", "reviewerToken"));
    ((ObjectNode) saved.get("instances")).remove(List.of("umbrella-test", "dev-sim-1"));
    Files.write(file, JSON.writeValueAsBytes(saved));

    try (DemoCommand.Running demo = demo("--fleet", "6")) {
      // The real bakes recorded before the first PATCH are divided, not the compressed ones.
      assertThat(demo.compressedBakes()).containsExactly("dev 24h → 10s", "beta 48h → 20s");
      AdminClient admin = admin(demo, "adminToken");
      assertThat(admin.get("/v1/admin/rings").findValuesAsText("bakeTime"))
          .containsExactly("PT0S", "PT10S", "PT20S", "PT0S");
      // The two instances got fresh credentials that work: the whole fleet goes FRESH.
      assertThat(saved(demo).path("instances").size()).isEqualTo(6);
      assertThat(saved(demo).path("seeded").asBoolean()).isTrue();
      await().atMost(FRESH_WITHIN).until(() -> demo.fleet().view().allFresh());
      assertThat(demo.fleet().view().members()).isEqualTo(6);
      assertThat(demo.fleet().members())
          .extracting(io.holdfast.cli.fleet.FleetMember::instance)
          .contains("umbrella-test", "dev-sim-1");
      // The reviewer was rotated, not created again: its new token approves a change (a refused
      // approval throws).
      assertThat(approvedChange(demo, 40, "45")).isPositive();
    }
  }

  @Test
  void outOfRangeFleetBakeScaleOrWindowDelay_isRefusedWithOneLine_beforeAnythingStarts() {
    for (String[] args :
        List.of(
            new String[] {"--fleet", "-1"},
            new String[] {"--fleet", "501"},
            new String[] {"--bake-scale", "0"},
            new String[] {"--window-in", "13h"},
            new String[] {"--window-in", "soon"})) {
      CliRun run =
          CliRun.raw(
              Stream.concat(
                      Stream.of("demo", "--port", "0", "--second-port", "0", "--data-dir"),
                      Stream.of(dir.resolve("refused").toString(), args[0], args[1]))
                  .toArray(String[]::new));

      assertThat(run.exit()).as(run.err()).isEqualTo(2);
      assertThat(run.err()).startsWith("error: " + args[0] + " must be").doesNotContain("\tat ");
    }
    assertThat(dir.resolve("refused")).doesNotExist();
  }

  /**
   * Writes a change of {@code core/default} as the admin and approves it as the demo's reviewer;
   * returns its id.
   */
  private long approvedChange(DemoCommand.Running demo, int sessionMinutes, String maxUploadMb)
      throws IOException {
    ObjectNode body =
        (ObjectNode)
            JSON.readTree(
                """
                {"description": "demo change", "edits": [{"namespace": "core", "scope": "default",
                 "content": {"sessionTimeoutMinutes": %d, "maxUploadMb": %s,
                   "maintenance": {"enabled": false},
                   "support": {"email": "support@example.com", "hours": "24x7"}}}]}"""
                    .formatted(sessionMinutes, maxUploadMb));
    long id = admin(demo, "adminToken").post("/v1/admin/changes", body).path("id").asLong();
    admin(demo, "reviewerToken")
        .post("/v1/admin/changes/" + id + "/approve", JSON.createObjectNode());
    return id;
  }

  /**
   * Polls the change until it is done moving, adding each gate verdict seen on the way to {@code
   * gates}; returns its final view.
   */
  private static JsonNode awaitEnded(AdminClient admin, long id, List<JsonNode> gates) {
    return await()
        .atMost(ROLLOUT_WITHIN)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonNode change = admin.get("/v1/admin/changes/" + id);
              if (change.has("gate")) {
                gates.add(change.get("gate"));
              }
              return change;
            },
            DemoFleetTest::ended);
  }

  /** Whether a change is done moving: completed, backed out or cancelled. */
  private static boolean ended(JsonNode change) {
    return List.of("completed", "backed_out", "cancelled").contains(change.path("state").asText());
  }

  private static JsonNode saved(DemoCommand.Running demo) throws IOException {
    return JSON.readTree(demo.credentials().toFile());
  }

  private static AdminClient admin(DemoCommand.Running demo, String token) throws IOException {
    return new AdminClient(demo.a(), saved(demo).path(token).asText());
  }

  /** Starts the demo as {@code holdfast demo ARGS} would, on free ports, in its own directory. */
  private DemoCommand.Running demo(String... args) throws IOException {
    return DemoRun.onFreePorts(
        Stream.concat(Stream.of("--data-dir", dir.resolve("demo").toString()), Stream.of(args))
            .toArray(String[]::new));
  }
}
