package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code holdfast ring update --window}, {@code instance update --zone --window} and {@code
 * holdfast blackout} against a real replica: settings are set, listed back and removed; bad input
 * exits non-zero with the server's precise message and changes nothing.
 */
class WindowCommandsTest {

  private static final String EVENINGS = "Mon-Fri 19:00-07:00, Sat-Sun all day in Europe/London";

  @TempDir static Path dataDir;

  private static HoldfastServer server;

  @BeforeAll
  static void startServer() {
    server =
        HoldfastServer.start(
            ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMillis(50)).build());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static CliRun run(String... args) {
    return CliRun.against(server, args);
  }

  private static CliRun ok(String... args) {
    CliRun run = run(args);
    assertThat(run.exit()).as(run.err()).isZero();
    return run;
  }

  private static JsonNode ring(String name) throws Exception {
    for (JsonNode ring : ok("ring", "list").json().get("rings")) {
      if (ring.get("name").asText().equals(name)) {
        return ring;
      }
    }
    throw new AssertionError("no ring " + name);
  }

  private static JsonNode listedInstance(String id) throws Exception {
    for (JsonNode instance : ok("instance", "list").json().get("instances")) {
      if (instance.get("id").asText().equals(id)) {
        return instance;
      }
    }
    throw new AssertionError("no instance " + id);
  }

  private static List<JsonNode> blackouts() throws Exception {
    List<JsonNode> all = new ArrayList<>();
    ok("blackout", "list").json().get("blackouts").forEach(all::add);
    return all;
  }

  /** What a refused command must leave alone. */
  private static String settings() throws Exception {
    return ok("ring", "list").out() + ok("instance", "list").out() + ok("blackout", "list").out();
  }

  @Test
  void ringWindow_isSetListedAndRemoved() throws Exception {
    CliRun set = ok("ring", "update", "beta", "--window", EVENINGS);

    assertThat(set.json().get("changeWindow").asText()).isEqualTo(EVENINGS);
    assertThat(ring("beta").get("changeWindow").asText()).isEqualTo(EVENINGS);
    assertThat(ring("beta").get("bakeTime").asText()).isEqualTo("PT48H");
    assertThat(ok("change", "rings").out())
        .containsPattern("(?m)^beta +2 +2d .* no\\n  window: " + EVENINGS + "$")
        .doesNotContain("window: null");

    CliRun removed = ok("ring", "update", "beta", "--no-window");

    assertThat(removed.json().get("changeWindow").isNull()).isTrue();
    assertThat(ring("beta").get("changeWindow").isNull()).isTrue();
  }

  @Test
  void instanceZoneAndWindow_areSetListedAndRemoved_oneAtATime() throws Exception {
    ok("instance", "create", "cli-win", "--ring", "live");

    ok("instance", "update", "cli-win", "--zone", "America/New_York", "--window", EVENINGS);
    JsonNode shown = ok("instance", "get", "cli-win").json();
    assertThat(shown.get("zone").asText()).isEqualTo("America/New_York");
    assertThat(shown.get("changeWindow").asText()).isEqualTo(EVENINGS);
    assertThat(listedInstance("cli-win").get("zone").asText()).isEqualTo("America/New_York");

    ok("instance", "update", "cli-win", "--no-zone");
    assertThat(listedInstance("cli-win").get("zone").isNull()).isTrue();
    assertThat(listedInstance("cli-win").get("changeWindow").asText())
        .as("the window is kept")
        .isEqualTo(EVENINGS);

    ok("instance", "update", "cli-win", "--no-window");
    assertThat(listedInstance("cli-win").get("changeWindow").isNull()).isTrue();
  }

  @Test
  void blackoutsAtEveryLevel_areAddedListedAndRemoved() throws Exception {
    ok("instance", "create", "cli-quarter", "--ring", "beta");
    JsonNode global =
        ok(
                "blackout",
                "add",
                "--level",
                "global",
                "--from",
                "2027-11-26",
                "--to",
                "2027-11-29",
                "--zone",
                "America/New_York",
                "--reason",
                "Black Friday")
            .json();
    JsonNode ring =
        ok(
                "blackout",
                "add",
                "--level",
                "ring",
                "--target",
                "beta",
                "--from",
                "2027-12-31",
                "--reason",
                "Year end")
            .json();
    JsonNode instance =
        ok(
                "blackout",
                "add",
                "--level",
                "instance",
                "--target",
                "cli-quarter",
                "--from",
                "2027-03-29",
                "--to",
                "2027-03-31",
                "--reason",
                "Quarter end")
            .json();

    assertThat(global.get("zone").asText()).isEqualTo("America/New_York");
    assertThat(global.get("target").isNull()).isTrue();
    assertThat(ring.get("target").asText()).isEqualTo("beta");
    assertThat(ring.get("to").asText()).isEqualTo("2027-12-31");
    assertThat(instance.get("target").asText()).isEqualTo("cli-quarter");
    assertThat(blackouts()).containsSubsequence(global, ring, instance);

    for (JsonNode blackout : List.of(global, ring, instance)) {
      String id = blackout.get("id").asText();
      CliRun removed = ok("blackout", "remove", id);
      assertThat(removed.out().strip()).isEqualTo("removed blackout " + id);
      assertThat(blackouts()).doesNotContain(blackout);
    }
    CliRun again = run("blackout", "remove", global.get("id").asText());
    assertThat(again.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(again.err())
        .contains("Unknown blackout")
        .contains("blackout " + global.get("id").asText() + " does not exist")
        .contains("404");
  }

  @Test
  void malformedSettings_exitOneWithTheServersMessage_andChangeNothing() throws Exception {
    ok("instance", "create", "cli-bad", "--ring", "live");
    String before = settings();

    CliRun noZone = run("ring", "update", "beta", "--window", "Mon-Fri 19:00-07:00");
    CliRun overlap =
        run("ring", "update", "beta", "--window", "Mon 09:00-17:00, Mon 12:00-13:00 in UTC");
    CliRun unknownZone = run("instance", "update", "cli-bad", "--zone", "Europe/Londn");
    CliRun offset = run("instance", "update", "cli-bad", "--label", "a=b", "--zone", "+01:00");
    CliRun backwards =
        run(
            "blackout",
            "add",
            "--level",
            "ring",
            "--target",
            "beta",
            "--from",
            "2027-11-29",
            "--to",
            "2027-11-26",
            "--reason",
            "r");
    CliRun level =
        run("blackout", "add", "--level", "planet", "--from", "2027-11-26", "--reason", "r");
    CliRun unknownRing =
        run(
            "blackout",
            "add",
            "--level",
            "ring",
            "--target",
            "nowhere",
            "--from",
            "2027-11-26",
            "--reason",
            "r");

    for (CliRun refused : List.of(noZone, overlap, unknownZone, offset, backwards, level)) {
      assertThat(refused.exit()).as(refused.err()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
      assertThat(refused.err())
          .contains("Invalid change window, time zone or blackout")
          .contains("(400)");
      assertThat(refused.out()).isEmpty();
    }
    assertThat(noZone.err()).contains("window 'Mon-Fri 19:00-07:00' names no time zone");
    assertThat(overlap.err()).contains("overlap");
    assertThat(unknownZone.err()).contains("unknown time zone 'Europe/Londn'");
    assertThat(offset.err()).contains("'+01:00' is a fixed offset, not a time zone");
    assertThat(backwards.err())
        .contains("blackout from 2027-11-29 to 2027-11-26 ends before it starts");
    assertThat(level.err())
        .contains("unknown blackout level 'planet': use global, ring or instance");
    assertThat(unknownRing.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(unknownRing.err()).contains("ring nowhere does not exist").contains("(404)");
    assertThat(settings()).as("nothing changed").isEqualTo(before);
  }

  @Test
  void bothSettingAndRemovingOneSetting_isAUsageError_andSendsNothing() throws Exception {
    ok("instance", "create", "cli-both", "--ring", "live");
    String before = settings();

    CliRun ring = run("ring", "update", "beta", "--window", EVENINGS, "--no-window");
    CliRun zone = run("instance", "update", "cli-both", "--zone", "UTC", "--no-zone");
    CliRun nothing = run("instance", "update", "cli-both");

    assertThat(ring.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(ring.err()).contains("give --window or --no-window, not both");
    assertThat(zone.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(zone.err()).contains("give --zone or --no-zone, not both");
    assertThat(nothing.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(nothing.err()).contains("nothing to change");
    assertThat(settings()).isEqualTo(before);
  }
}
