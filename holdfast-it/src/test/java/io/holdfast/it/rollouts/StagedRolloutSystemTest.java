package io.holdfast.it.rollouts;

import static io.holdfast.it.rollouts.RolloutFleet.EVENTUALLY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.it.rollouts.RolloutFleet.Build;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.rollout.RolloutEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staged rollouts end to end, time-compressed: two real replicas on one SQLite file with a driven
 * clock, real SDK clients in every ring heartbeating in real time, and the rollout engines ticked
 * by the test. Bake times are the defaults (test 0, dev 24 h, beta 48 h, live 0); the test moves
 * the replicas' clock instead of waiting.
 */
@Timeout(120)
class StagedRolloutSystemTest {

  @TempDir Path dataDir;

  private RolloutFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private void standardFleet(Build devBuild) {
    fleet = new RolloutFleet(dataDir);
    fleet.instances("test", 2, Build.LENIENT);
    fleet.instances("dev", 4, devBuild);
    fleet.instances("beta", 3, devBuild);
    fleet.instances("live", 3, devBuild);
    EVENTUALLY.until(
        () -> fleet.instancesIn("live").stream().allMatch(id -> !fleet.seen.get(id).isEmpty()));
  }

  @Test
  void aChangeThatClientsReject_isBackedOutAutomaticallyInDev_andNeverReachesBeta() {
    standardFleet(Build.STRICT);
    RolloutEngine engine = fleet.replica(0).rolloutEngine();
    long change = fleet.change("maxUsers as text", "{\"maxUsers\":\"ten\"}");

    fleet.tickUntil(engine, change, "rolling_out", "test");
    // The test ring runs a build that accepts it: it confirms, and the gate promotes to dev.
    fleet.tickUntil(engine, change, "rolling_out", "dev");
    long devRelease = fleet.changeView(change).get("releaseRevision").asLong();
    JsonNode backedOut = fleet.tickUntil(engine, change, "backed_out", null);

    assertThat(backedOut.get("outcome").asText())
        .startsWith("automatic back-out in ring dev")
        .contains("STALE")
        .contains("rejected by the application");
    assertThat(fleet.releasedRings(change)).containsExactly("test", "dev");
    long fixForward = backedOut.get("finalRevision").asLong();
    assertThat(fixForward).isGreaterThan(devRelease);
    for (String ring : List.of("beta", "live")) {
      for (String id : fleet.instancesIn(ring)) {
        assertThat(fleet.seen.get(id))
            .as("what %s was handed", id)
            .allSatisfy(v -> assertThat(v.isIntegralNumber()).isTrue());
      }
    }
    // Every client, the rejecting ones included, accepts the fix-forward revision and is FRESH
    // again.
    EVENTUALLY.untilAsserted(
        () -> {
          for (String ring : List.of("test", "dev", "beta", "live")) {
            for (HoldfastClient client : fleet.clientsIn(ring)) {
              assertThat(client.snapshot("core").revision()).isGreaterThanOrEqualTo(fixForward);
              assertThat(client.snapshot("core").getInt("maxUsers", -1)).isEqualTo(10);
              assertThat(client.status("core").status()).isEqualTo(Status.FRESH);
            }
          }
        });
    assertThat(backouts(fleet.replica(0), "gate")).isEqualTo(1.0);
  }

  @Test
  void aChangeAfterWhichApplicationsReportErrors_isBackedOutInDev_andNeverReachesBeta() {
    standardFleet(Build.CRASHES_ON_TEXT);
    RolloutEngine engine = fleet.replica(0).rolloutEngine();
    long change = fleet.change("maxUsers as text", "{\"maxUsers\":\"ten\"}");

    fleet.tickUntil(engine, change, "rolling_out", "dev");
    JsonNode backedOut = fleet.tickUntil(engine, change, "backed_out", null);

    assertThat(backedOut.get("outcome").asText())
        .contains("application FAILING")
        .contains("cannot parse maxUsers");
    assertThat(fleet.releasedRings(change)).containsExactly("test", "dev");
    for (String id : fleet.instancesIn("beta")) {
      assertThat(fleet.seen.get(id)).allSatisfy(v -> assertThat(v.isIntegralNumber()).isTrue());
    }
  }

  @Test
  void aHealthyChange_waitsOutEachBake_andCompletesForTheWholeFleet() {
    standardFleet(Build.STRICT);
    RolloutEngine engine = fleet.replica(0).rolloutEngine();
    long change = fleet.change("more users", "{\"maxUsers\":25}");

    fleet.tickUntil(engine, change, "rolling_out", "dev");
    // Healthy and acknowledged, but the 24-hour bake is not over: it stays in dev.
    fleet.awaitAcknowledged(change, 4);
    assertThat(fleet.changeView(change).path("gate").path("decision").asText()).isEqualTo("WAIT");
    fleet.serverTime.advance(Duration.ofHours(23));
    engine.tick();
    assertThat(fleet.changeView(change).get("currentRing").asText()).isEqualTo("dev");
    assertThat(fleet.seen.get(fleet.instancesIn("beta").get(0))).noneMatch(v -> v.asInt() == 25);

    fleet.serverTime.advance(Duration.ofHours(1));
    fleet.tickUntil(engine, change, "rolling_out", "beta");
    fleet.awaitAcknowledged(change, 3);
    fleet.serverTime.advance(Duration.ofHours(48));
    fleet.tickUntil(engine, change, "rolling_out", "live");
    JsonNode done = fleet.tickUntil(engine, change, "completed", null);

    assertThat(fleet.releasedRings(change)).containsExactly("test", "dev", "beta", "live");
    long completed = done.get("finalRevision").asLong();
    EVENTUALLY.untilAsserted(
        () -> {
          for (String ring : List.of("test", "dev", "beta", "live")) {
            for (HoldfastClient client : fleet.clientsIn(ring)) {
              assertThat(client.snapshot("core").getInt("maxUsers", -1)).isEqualTo(25);
              assertThat(client.snapshot("core").revision()).isGreaterThanOrEqualTo(completed);
            }
          }
        });
  }

  @Test
  void theLeaderDiesMidRollout_andTheOtherReplicaCarriesOn_withoutRepeatingOrSkippingARing() {
    standardFleet(Build.STRICT);
    RolloutEngine first = fleet.replica(0).rolloutEngine();
    RolloutEngine second = fleet.replica(1).rolloutEngine();
    long change = fleet.change("more users", "{\"maxUsers\":25}");
    fleet.tickUntil(first, change, "rolling_out", "dev");
    fleet.awaitAcknowledged(change, 4);
    assertThat(second.tick()).isEmpty();
    assertThat(second.leader()).isFalse();

    // The first engine stops renewing (its replica died) while dev bakes. Until its lease
    // expires nobody drives; then the second takes over and promotes dev exactly once.
    fleet.serverTime.advance(Duration.ofSeconds(20));
    assertThat(second.tick()).isEmpty();
    assertThat(second.leader()).isFalse();
    fleet.serverTime.advance(Duration.ofHours(24));
    fleet.tickUntil(second, change, "rolling_out", "beta");
    assertThat(second.leader()).isTrue();

    JsonNode releases = fleet.changeView(change).get("releases");
    assertThat(fleet.releasedRings(change)).containsExactly("test", "dev", "beta");
    assertThat(releases.get(1).get("actor").asText()).isEqualTo("rollout-engine@" + first.holder());
    assertThat(releases.get(2).get("actor").asText())
        .isEqualTo("rollout-engine@" + second.holder());

    // The old leader comes back while the new one keeps renewing: it does nothing.
    fleet.serverTime.advance(Duration.ofSeconds(10));
    second.tick();
    assertThat(first.tick()).isEmpty();
    assertThat(first.leader()).isFalse();
    assertThat(fleet.releasedRings(change)).containsExactly("test", "dev", "beta");
  }

  @Test
  void aRestartInTheMiddleOfABake_resumesTheSameBake() {
    standardFleet(Build.STRICT);
    long change = fleet.change("more users", "{\"maxUsers\":25}");
    fleet.tickUntil(fleet.replica(0).rolloutEngine(), change, "rolling_out", "dev");
    fleet.awaitAcknowledged(change, 4);
    String releasedAt = fleet.changeView(change).get("releasedAt").asText();
    fleet.serverTime.advance(Duration.ofHours(12));

    HoldfastServer restarted = fleet.restart(0);
    RolloutEngine engine = restarted.rolloutEngine();
    engine.tick();
    assertThat(engine.leader()).isTrue();
    JsonNode view = fleet.changeView(change);
    assertThat(view.get("currentRing").asText()).isEqualTo("dev");
    assertThat(view.get("releasedAt").asText()).isEqualTo(releasedAt);

    fleet.serverTime.advance(Duration.ofHours(11));
    engine.tick();
    assertThat(fleet.changeView(change).get("currentRing").asText()).isEqualTo("dev");
    fleet.serverTime.advance(Duration.ofHours(1));
    fleet.tickUntil(engine, change, "rolling_out", "beta");
    assertThat(fleet.releasedRings(change)).containsExactly("test", "dev", "beta");
  }

  @Test
  void subscriptionEdits_reachEachInstanceWithItsRing_andABackOutRestoresTheCount() {
    standardFleet(Build.STRICT);
    RolloutEngine engine = fleet.replica(0).rolloutEngine();
    String inTest = fleet.instancesIn("test").get(0);
    String inDev = fleet.instancesIn("dev").get(0);
    String inLive = fleet.instancesIn("live").get(0);
    String testSubscription = fleet.subscribe(inTest, 100);
    String devSubscription = fleet.subscribe(inDev, 100);
    String liveSubscription = fleet.subscribe(inLive, 100);
    EVENTUALLY.until(
        () -> fleet.quantityHeldBy(inLive) == 100 && fleet.quantityHeldBy(inTest) == 100);

    long change =
        fleet
            .admin(
                "POST",
                "/v1/admin/changes",
                "{\"description\":\"seat cut\",\"edits\":["
                    + "{\"subscription\":{\"id\":\""
                    + testSubscription
                    + "\",\"quantity\":5,\"force\":\"a deliberate cut\"}},"
                    + "{\"subscription\":{\"id\":\""
                    + devSubscription
                    + "\",\"quantity\":5,\"force\":\"a deliberate cut\"}},"
                    + "{\"subscription\":{\"id\":\""
                    + liveSubscription
                    + "\",\"quantity\":5,\"force\":\"a deliberate cut\"}}]}")
            .get("id")
            .asLong();
    fleet.tickUntil(engine, change, "rolling_out", "dev");
    EVENTUALLY.until(() -> fleet.quantityHeldBy(inTest) == 5 && fleet.quantityHeldBy(inDev) == 5);
    assertThat(fleet.quantityHeldBy(inLive)).isEqualTo(100);
    fleet.awaitAcknowledged(change, 1);

    JsonNode backedOut =
        fleet.admin(
            "POST",
            "/v1/admin/changes/" + change + "/backout",
            "{\"reason\":\"users locked out in dev\"}");
    assertThat(backedOut.get("state").asText()).isEqualTo("backed_out");
    // The count was never stored: the clients get 100 back, at a revision above the release.
    EVENTUALLY.until(
        () -> fleet.quantityHeldBy(inTest) == 100 && fleet.quantityHeldBy(inDev) == 100);
    assertThat(fleet.quantityHeldBy(inLive)).isEqualTo(100);
    assertThat(
            fleet
                .admin("GET", "/v1/admin/subscriptions/" + devSubscription, null)
                .get("quantity")
                .asLong())
        .isEqualTo(100);
    assertThat(backouts(fleet.replica(0), "operator")).isEqualTo(1.0);
  }

  private static double backouts(HoldfastServer server, String trigger) {
    return server
        .metrics()
        .registry()
        .get("holdfast.rollout.backouts")
        .tag("trigger", trigger)
        .counter()
        .count();
  }
}
