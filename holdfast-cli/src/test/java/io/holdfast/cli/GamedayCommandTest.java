package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.gameday.GamedayCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code holdfast gameday} against the demo's two in-process replicas on loopback ports: the seed's
 * incident, played through the game day's own fault proxies, passes with the SDK's fleet and fails
 * with a fleet that behaves as the seed's application servers did; the bad change is backed out by
 * the gate. Phases are a few seconds and the fleet four canaries, to keep CI cheap; the alert
 * rules' {@code for} is shortened to match, so that the alert arithmetic is exercised too.
 */
class GamedayCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Short phases, a fast probe, a {@code for} the phases outlast, and bounded waits. */
  private static final List<String> SHORT =
      List.of(
          "--canaries",
          "4",
          "--fault-duration",
          "3s",
          "--probe-interval",
          "500ms",
          "--alert-for",
          "2s",
          "--start-within",
          "60s",
          "--fresh-within",
          "60s",
          "--gate-within",
          "60s");

  @TempDir Path dir;

  /** The demo's two replicas on ephemeral ports, seeded, in {@code dir/holdfast-demo}. */
  private DemoCommand.Running demo(String... options) throws IOException {
    return DemoRun.onFreePorts(
        Stream.concat(
                Stream.of(
                    // The demo's own fleet reads the replicas directly, untouched by the game day;
                    // it is left out to keep the test cheap.
                    "--fleet", "0", "--data-dir", dir.resolve("holdfast-demo").toString()),
                Stream.of(options))
            .toArray(String[]::new));
  }

  /** Runs {@code command} with the short settings against the demo; the report goes to dir. */
  private CliRun gameday(GamedayCommand command, String scenario, Path report) {
    return gameday(command, scenario, report, SHORT);
  }

  private CliRun gameday(
      GamedayCommand command, String scenario, Path report, List<String> settings) {
    String[] args =
        Stream.concat(
                Stream.of(
                    scenario,
                    "--demo-dir",
                    dir.resolve("holdfast-demo").toString(),
                    "--report",
                    report.toString()),
                settings.stream())
            .toArray(String[]::new);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    System.out.println(out); // the drill's timeline and verdict, for the build log
    return new CliRun(exit, out.toString(), err.toString());
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void incident_againstTheDemo_withTheSdkFleet_passes_andTheReportNamesTheFigures()
      throws Exception {
    Path report = dir.resolve("incident.md");
    try (DemoCommand.Running demo = demo()) {
      CliRun run = gameday(new GamedayCommand(), "incident", report);

      assertThat(run.exit()).as(run.out() + run.err()).isZero();
      assertThat(run.out())
          .contains("in front of " + demo.a())
          .contains("FAULT: checksums unavailable on A")
          .contains("FAULT: checksums unavailable on A and B")
          .contains("FAULT: content unavailable on A and B")
          .contains("HEAL: every fault cleared")
          .contains("probe: checksums FAILING on A")
          .contains("Game day 'incident': PASS");
    }
    String markdown = Files.readString(report);
    assertThat(markdown)
        .startsWith("# Game day `incident`: PASS")
        .contains("| no canary EXPIRED | at most 0 of 4 EXPIRED at once | met |")
        .contains("| no seat holder denied | 0 holder denials | met |")
        .contains("| no error reaches the application | 0 application errors | met |")
        .containsPattern("\\| the probe detects the fault within 60s \\| first failed [0-9.]+ s")
        .containsPattern(
            "\\| every canary FRESH within 60s of the heal \\| after [0-9.]+ s \\| met")
        // A's checksums fail through all three phases (9 s), far past the 2 s `for`.
        .contains("ReplicaChecksumUnavailable for A at")
        .containsPattern("\\| canaries STALE at most at once \\| [0-4] of 4 \\|")
        .containsPattern(
            "\\| seat admissions / denied / holders denied \\| [1-9][0-9]* / [0-9]+ / 0 \\|")
        .contains("## Timeline");
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void incident_againstTheDemo_withANaiveFleet_fails_namingTheLockedOutHolders() throws Exception {
    Path report = dir.resolve("naive.md");
    try (DemoCommand.Running demo = demo()) {
      CliRun run = gameday(new GamedayCommand(NaiveFleet::start), "incident", report);

      assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(GamedayCommand.EXIT_FAILED);
      assertThat(run.out())
          .contains("in front of " + demo.b())
          .contains("Game day 'incident': FAIL");
    }
    String markdown = Files.readString(report);
    assertThat(markdown)
        .startsWith("# Game day `incident`: FAIL")
        .containsPattern(
            "\\| no seat holder denied \\| [1-9][0-9]* holder denials \\| \\*\\*FAILED\\*\\* \\|")
        .containsPattern(
            "\\| no error reaches the application \\| [1-9][0-9]* application errors \\| \\*\\*FAILED\\*\\* \\|")
        .containsPattern(
            "\\| no canary EXPIRED \\| at most [1-4] of 4 EXPIRED at once \\| \\*\\*FAILED\\*\\* \\|");
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void badChange_againstTheDemo_theCanariesRejectIt_andTheGateBacksItOut() throws Exception {
    Path report = dir.resolve("bad-change.md");
    try (DemoCommand.Running demo = demo()) {
      ObjectNode saved = (ObjectNode) JSON.readTree(demo.credentials().toFile());
      AdminClient admin = new AdminClient(demo.a(), saved.path("adminToken").asText());

      CliRun run = gameday(new GamedayCommand(), "bad-change", report);

      assertThat(run.exit()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("backed_out").contains("Game day 'bad-change': PASS");
      // Against the demo, its reviewer approves: nobody approves their own change.
      long first = changeId(run);
      assertThat(
              admin
                  .get("/v1/admin/changes/" + first)
                  .path("approvals")
                  .get(0)
                  .path("approver")
                  .asText())
          .isEqualTo("admin:demo-reviewer");

      // Without an approver, throwaway ones are made, and revoked once they have approved.
      saved.remove("reviewerToken");
      Files.write(demo.credentials(), JSON.writeValueAsBytes(saved));
      CliRun again = gameday(new GamedayCommand(), "bad-change", dir.resolve("again.md"));

      assertThat(again.exit()).as(again.out() + again.err()).isZero();
      List<JsonNode> approvers = new ArrayList<>();
      admin.get("/v1/admin/credentials").path("credentials").forEach(approvers::add);
      String throwaway = "gameday-approver-" + changeId(again) + "-";
      approvers.removeIf(c -> !c.path("name").asText().startsWith(throwaway));
      assertThat(approvers).hasSize(1).allMatch(c -> c.path("state").asText().equals("revoked"));
    }
    assertThat(Files.readString(report))
        .startsWith("# Game day `bad-change`: PASS")
        .containsPattern(
            "\\| gate backed the change out \\| yes, change [0-9]+ after [0-9.]+ s \\|")
        .containsPattern(
            "\\| every canary FRESH within 60s of the back-out \\| after [0-9.]+ s \\| met");
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void badChange_theGateDoesNotEndIt_theDrillEndsIt_andFails() throws Exception {
    // The naive fleet sends no heartbeats, so the gate has nothing to fail on and the change bakes
    // on through the rings (tens of seconds): it is still rolling out when 2 s are up.
    List<String> settings = new ArrayList<>(SHORT);
    settings.set(settings.indexOf("--gate-within") + 1, "2s");
    try (DemoCommand.Running demo = demo()) {
      ObjectNode saved = (ObjectNode) JSON.readTree(demo.credentials().toFile());
      AdminClient admin = new AdminClient(demo.a(), saved.path("adminToken").asText());

      CliRun run =
          gameday(
              new GamedayCommand(NaiveFleet::start),
              "bad-change",
              dir.resolve("left-open.md"),
              settings);

      assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(GamedayCommand.EXIT_FAILED);
      long id = changeId(run);
      assertThat(run.out())
          .contains("CHANGE " + id + " not backed out within 2s")
          .containsPattern("CLEANUP: change " + id + " was still (approved|rolling_out)")
          .contains("Game day 'bad-change': FAIL");
      JsonNode change = admin.get("/v1/admin/changes/" + id);
      assertThat(change.path("state").asText()).isIn("cancelled", "backed_out");
      // Nothing is left open for the next game day.
      assertThat(admin.get("/v1/admin/changes?state=draft,approved,rolling_out").path("changes"))
          .isEmpty();
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void checksumsOne_againstTheDemoOverTls_reachesItThroughItsCaPem_andPasses() throws Exception {
    Path report = dir.resolve("tls.md");
    try (DemoCommand.Running demo = demo("--tls")) {
      CliRun run = gameday(new GamedayCommand(), "checksums-one", report);

      assertThat(run.exit()).as(run.out() + run.err()).isZero();
      assertThat(run.out())
          .contains("in front of " + demo.a())
          .contains("FAULT: checksums unavailable on A")
          .contains("probe: checksums FAILING on A")
          .contains("Game day 'checksums-one': PASS");
      assertThat(demo.a().getScheme()).isEqualTo("https");
    }
  }

  /** The id of the change a bad-change run created, as its timeline names it. */
  private static long changeId(CliRun run) {
    Matcher created = Pattern.compile("CHANGE ([0-9]+) created").matcher(run.out());
    assertThat(created.find()).as(run.out()).isTrue();
    return Long.parseLong(created.group(1));
  }

  @Test
  void storeDown_isRefusedAsNotAvailable_withoutAStackTrace() {
    CliRun run = CliRun.raw("gameday", "store-down", "--demo-dir", dir.toString());

    assertThat(run.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run.err())
        .startsWith("error: store-down is not available for this target")
        .doesNotContain("Exception");
  }

  @Test
  void unknownScenario_orNoDemo_isAPreciseUsageError() {
    CliRun unknown = CliRun.raw("gameday", "meteor", "--demo-dir", dir.toString());
    assertThat(unknown.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(unknown.err())
        .contains("unknown scenario 'meteor'; choose one of incident, checksums-one");

    CliRun noDemo = CliRun.raw("gameday", "incident", "--demo-dir", dir.toString());
    assertThat(noDemo.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(noDemo.err()).contains("no demo in").contains("start `holdfast demo` first");
  }
}
