package io.holdfast.it.rollouts;

import static io.holdfast.it.rollouts.RolloutFleet.EVENTUALLY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.HoldfastClient;
import io.holdfast.it.rollouts.RolloutFleet.Build;
import io.holdfast.server.rollout.RolloutEngine;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.IanaZone;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change windows end to end (issue 22): real SDK clients of customers in London, New York and
 * Tokyo, all in ring {@code test}, whose window is the evening and night of each customer's own
 * weekday. Two real replicas on one SQLite file with a driven clock; the clients heartbeat in real
 * time; the test ticks the engine and moves the replicas' clock from one zone's 19:00 to the next.
 *
 * <p>The window closes at 02:00 rather than at 07:00 because no instant is closed for all three
 * zones under a 12-hour night: New York's and Tokyo's days are 14 hours apart. Tuesday 9 February
 * 2027, 08:30 UTC, is working hours in London (08:30) and Tokyo (17:30) and 03:30 in New York, an
 * hour and a half after its window closed. No zone is near a change of clocks that month.
 *
 * <p>The clients' wall clock stays at that Tuesday morning ({@link RolloutFleet}), so the freshness
 * statements the replicas sign as their clock moves on never look expired to them, whatever the
 * real date. Their warning that a replica's {@code Date} header (the real clock) is weeks away from
 * theirs is expected and changes nothing.
 */
@Timeout(120)
class ChangeWindowSystemTest {

  private static final ChangeWindow EVENINGS =
      ChangeWindow.parse("Mon-Thu 19:00-02:00, Fri 19:00-Mon 02:00 in Europe/London");

  private static final Instant TUESDAY_MORNING = Instant.parse("2027-02-09T08:30:00Z");

  /** 19:00 on Tuesday in Tokyo (JST, UTC+9). */
  private static final Instant TOKYO_EVENING = Instant.parse("2027-02-09T10:00:00Z");

  /** 19:00 on Tuesday in London (GMT). */
  private static final Instant LONDON_EVENING = Instant.parse("2027-02-09T19:00:00Z");

  /** 19:00 on Tuesday in New York (EST, UTC-5): midnight in London. */
  private static final Instant NEW_YORK_EVENING = Instant.parse("2027-02-10T00:00:00Z");

  private RolloutFleet fleet;

  // Ring test's three instances, named by the fleet, each given its customer's zone; ring dev's
  // one instance has neither a zone nor a window.
  private String london;
  private String newYork;
  private String tokyo;
  private String dev;

  @BeforeEach
  void start(@TempDir Path dataDir) {
    fleet = new RolloutFleet(dataDir, TUESDAY_MORNING);
    fleet.instances("test", 3, Build.LENIENT);
    fleet.instances("dev", 1, Build.LENIENT);
    london = fleet.instancesIn("test").get(0);
    newYork = fleet.instancesIn("test").get(1);
    tokyo = fleet.instancesIn("test").get(2);
    dev = fleet.instancesIn("dev").get(0);
    fleet.windows().setRingWindow("test", Optional.of(EVENINGS), "it");
    zone(london, "Europe/London");
    zone(newYork, "America/New_York");
    zone(tokyo, "Asia/Tokyo");
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void aReleaseInWorkingHours_reachesEachZoneAtItsOwnEvening_andTheGateJudgesOnlyThoseThatHaveIt() {
    EVENTUALLY.until(() -> fleet.seen.values().stream().noneMatch(List::isEmpty));
    // Each instance's document has a revision of its own (creating an instance appends one).
    Map<String, Long> first = new HashMap<>();
    for (String id : List.of(london, newYork, tokyo, dev)) {
      first.put(id, fleet.client(id).snapshot("core").revision());
    }
    EVENTUALLY.untilAsserted(
        () -> {
          for (String id : first.keySet()) {
            assertThat(reported(id).path("revision").asLong()).as(id).isEqualTo(first.get(id));
          }
        });
    RolloutEngine engine = fleet.replica(0).rolloutEngine();

    long change = fleet.change("more users", "{\"maxUsers\":25}");
    fleet.tickUntil(engine, change, "rolling_out", "test");
    long release = fleet.changeView(change).get("releaseRevision").asLong();
    // A minute on, still the working day everywhere: heartbeats stamped from then on were sent
    // after the release.
    fleet.serverTime.advance(Duration.ofMinutes(1));
    assertThat(engine.tick()).isEmpty();
    awaitOnlyOpened(Set.of(), first, release);
    JsonNode held = fleet.changeView(change);
    assertThat(held.path("gate").path("decision").asText()).isEqualTo("WAIT");
    assertThat(held.path("gate").path("watched").asInt()).isZero();
    assertThat(held.path("gate").path("reason").asText())
        .contains("all 3 instances in ring test wait for their change window")
        .contains("the next opens at " + TOKYO_EVENING);
    assertWindows(held, 0, 3, TOKYO_EVENING, tokyo, "Asia/Tokyo");

    at(TOKYO_EVENING);
    assertThat(engine.tick()).anySatisfy(a -> assertThat(a).contains("reached 1 instances"));
    awaitOnlyOpened(Set.of(tokyo), first, release);
    JsonNode tokyoOpened = fleet.awaitAcknowledged(change, 1);
    assertThat(tokyoOpened.path("gate").path("decision").asText()).isEqualTo("WAIT");
    assertThat(tokyoOpened.path("gate").path("watched").asInt())
        .as("only the instance that has the change")
        .isEqualTo(1);
    assertThat(tokyoOpened.path("gate").path("reason").asText())
        .contains("2 more instances in ring test wait for their change window")
        .contains("1 of 1 instances in ring test confirmed");
    assertWindows(tokyoOpened, 1, 2, LONDON_EVENING, london, "Europe/London");

    at(LONDON_EVENING);
    assertThat(engine.tick()).anySatisfy(a -> assertThat(a).contains("reached 1 instances"));
    awaitOnlyOpened(Set.of(tokyo, london), first, release);
    JsonNode londonOpened = fleet.awaitAcknowledged(change, 2);
    assertThat(londonOpened.path("gate").path("decision").asText()).isEqualTo("WAIT");
    assertThat(londonOpened.path("gate").path("watched").asInt()).isEqualTo(2);
    assertThat(londonOpened.path("gate").path("reason").asText())
        .contains("1 more instances in ring test wait for their change window");
    assertWindows(londonOpened, 2, 1, NEW_YORK_EVENING, newYork, "America/New_York");

    at(NEW_YORK_EVENING);
    assertThat(engine.tick()).anySatisfy(a -> assertThat(a).contains("reached 1 instances"));
    awaitOnlyOpened(Set.of(tokyo, london, newYork), first, release);
    JsonNode all = fleet.awaitAcknowledged(change, 3);
    assertThat(all.path("gate").path("watched").asInt()).isEqualTo(3);
    assertThat(all.path("gate").path("decision").asText()).isEqualTo("PASS");
    JsonNode ring = all.path("windows").get(0);
    assertThat(ring.path("received").asInt()).isEqualTo(3);
    assertThat(ring.path("waiting").asInt()).isZero();
    assertThat(ring.has("nextOpening")).isFalse();
    assertThat(fleet.seen.get(dev)).as("dev, before the promotion").noneMatch(v -> v.asInt() == 25);

    fleet.tickUntil(engine, change, "rolling_out", "dev");
    assertThat(fleet.releasedRings(change)).containsExactly("test", "dev");
    EVENTUALLY.until(() -> fleet.client(dev).snapshot("core").getInt("maxUsers", -1) == 25);
  }

  private void zone(String instance, String zone) {
    fleet
        .windows()
        .setInstanceTiming(instance, Optional.of(IanaZone.parse(zone)), Optional.empty(), "it");
  }

  /** Drives the replicas' clock forward to {@code instant}. */
  private void at(Instant instant) {
    fleet.serverTime.advance(Duration.between(fleet.serverTime.clock().instant(), instant));
  }

  /**
   * Waits until every instance of ring test has reported at the replicas' current time, those in
   * {@code opened} with the change read and confirmed; then checks that the others read and report
   * what they had.
   */
  private void awaitOnlyOpened(Set<String> opened, Map<String, Long> first, long release) {
    Instant now = fleet.serverTime.clock().instant();
    EVENTUALLY.untilAsserted(
        () -> {
          for (String id : List.of(london, newYork, tokyo)) {
            JsonNode heartbeat = fleet.lastHeartbeat(id);
            assertThat(Instant.parse(heartbeat.get("receivedAt").asText()))
                .as("%s reported since %s", id, now)
                .isAfterOrEqualTo(now);
            if (opened.contains(id)) {
              HoldfastClient client = fleet.client(id);
              assertThat(client.snapshot("core").getInt("maxUsers", -1)).as(id).isEqualTo(25);
              JsonNode core = heartbeat.path("heartbeat").path("namespaces").path("core");
              assertThat(core.path("revision").asLong()).as(id).isGreaterThanOrEqualTo(release);
              assertThat(core.path("status").asText()).as(id).isEqualTo("FRESH");
            }
          }
        });
    for (String id : List.of(london, newYork, tokyo)) {
      if (opened.contains(id)) {
        continue;
      }
      assertThat(fleet.client(id).snapshot("core").getInt("maxUsers", -1))
          .as("%s, its window closed", id)
          .isEqualTo(10);
      assertThat(fleet.client(id).snapshot("core").revision()).isEqualTo(first.get(id));
      assertThat(fleet.seen.get(id)).noneMatch(v -> v.asInt() == 25);
      JsonNode core = fleet.lastHeartbeat(id).path("heartbeat").path("namespaces").path("core");
      assertThat(core.path("revision").asLong()).as("%s reports", id).isEqualTo(first.get(id));
      assertThat(core.path("status").asText()).isEqualTo("FRESH");
    }
  }

  /** Ring test's entry in the change view's {@code windows}. */
  private static void assertWindows(
      JsonNode view, int received, int waiting, Instant next, String instance, String zone) {
    assertThat(view.path("windows")).hasSize(1);
    JsonNode ring = view.path("windows").get(0);
    assertThat(ring.path("ring").asText()).isEqualTo("test");
    assertThat(ring.path("instances").asInt()).isEqualTo(3);
    assertThat(ring.path("received").asInt()).isEqualTo(received);
    assertThat(ring.path("waiting").asInt()).isEqualTo(waiting);
    JsonNode nextOpening = ring.path("nextOpening");
    assertThat(nextOpening.path("at").asText()).isEqualTo(next.toString());
    assertThat(nextOpening.path("instance").asText()).isEqualTo(instance);
    assertThat(nextOpening.path("zone").asText()).isEqualTo(zone);
    assertThat(nextOpening.path("local").asText())
        .as("19:00 in the instance's own zone, on its Tuesday")
        .isEqualTo("2027-02-09T19:00");
  }

  /** The core namespace as the instance's latest heartbeat reports it. */
  private JsonNode reported(String id) {
    return fleet.lastHeartbeat(id).path("heartbeat").path("namespaces").path("core");
  }
}
