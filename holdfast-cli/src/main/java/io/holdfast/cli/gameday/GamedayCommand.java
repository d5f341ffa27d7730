package io.holdfast.cli.gameday;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.cli.HoldfastCommand;
import io.holdfast.cli.TrustedKeyArguments;
import io.holdfast.cli.fleet.Fleet;
import io.holdfast.cli.fleet.FleetPlan;
import io.holdfast.cli.fleet.SimulatedFleet;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.protocol.tls.CaBundle;
import io.holdfast.server.config.ServerConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast gameday SCENARIO}: rehearse an incident against a running deployment before it
 * happens. Runs a canary fleet of real SDK clients and the synthetic probe through fault proxies of
 * its own in front of the replicas, breaks what the scenario says through those proxies only,
 * prints a live timeline, then judges the drill against stated expectations, prints the verdict and
 * writes it as Markdown. Exit 0 when every expectation held, {@value #EXIT_FAILED} when one did
 * not.
 */
@Command(
    name = "gameday",
    mixinStandardHelpOptions = true,
    description = {
      "Rehearse an incident: break the replicas' instance path through fault proxies in front of a"
          + " canary fleet, watch what the fleet and the probe do, and judge it.",
      "Scenarios: incident, checksums-one, checksums-both, content, blackhole, store-down,"
          + " bad-change."
    })
public final class GamedayCommand implements Callable<Integer> {

  /** The drill ran and an expectation did not hold. */
  public static final int EXIT_FAILED = 6;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Function<FleetPlan, Fleet> fleets;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario to run.")
  String scenarioName;

  @Option(
      names = "--demo-dir",
      paramLabel = "DIR",
      defaultValue = "holdfast-demo",
      description =
          "Without --replica: the running demo's data directory, whose demo-credentials.json names"
              + " the replicas and the admin token (default ${DEFAULT-VALUE}).")
  Path demoDir;

  @Option(
      names = "--replica",
      paramLabel = "URL",
      description = "A real replica's base URL; repeat for every replica.")
  List<URI> replicas = new ArrayList<>();

  @Option(
      names = "--admin-token",
      paramLabel = "TOKEN",
      defaultValue = "${env:HOLDFAST_TOKEN}",
      description = "With --replica: an admin token (env HOLDFAST_TOKEN).")
  String adminToken;

  @Option(
      names = "--approver-token",
      paramLabel = "TOKEN",
      defaultValue = "${env:HOLDFAST_APPROVER_TOKEN}",
      description =
          "bad-change: a publisher's token (not the admin's) that approves the change; the demo's"
              + " reviewer by default; without one, throwaway approvers are made and revoked"
              + " (env HOLDFAST_APPROVER_TOKEN).")
  String approverToken;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      defaultValue = "${env:HOLDFAST_CACERT}",
      description =
          "PEM bundle of the authorities to trust for https replicas (env HOLDFAST_CACERT).")
  Path caCert;

  @Option(
      names = "--trust-key",
      paramLabel = "FILE|BASE64",
      description =
          "A public key to verify signatures with, as holdfast probe takes it; the demo's"
              + " signing-key.pem by default against the demo.")
  List<String> trustKeys = new ArrayList<>();

  @Option(
      names = "--pin-key-id",
      paramLabel = "KEYID",
      description =
          "Instead of --trust-key: trust only this key id from the first replica's /v1/keys.")
  String pinKeyId;

  @Option(
      names = "--canaries",
      defaultValue = "8",
      description =
          "How many canary instances (gameday-canary-<n>) to run (default ${DEFAULT-VALUE}).")
  int canaries;

  @Option(
      names = "--ring",
      defaultValue = "test",
      description = "The canaries' ring (default ${DEFAULT-VALUE}).")
  String ring;

  @Option(
      names = "--fault-duration",
      paramLabel = "DURATION",
      defaultValue = "20s",
      description = "How long each phase of the scenario lasts (default ${DEFAULT-VALUE}).")
  String faultDuration;

  @Option(
      names = "--probe-interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      description = "Pause between probe rounds (default ${DEFAULT-VALUE}).")
  String probeInterval;

  @Option(
      names = "--alert-for",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "The probe alert rules' 'for', as in deploy/prometheus/alerts.yml (default ${DEFAULT-VALUE}).")
  String alertFor;

  @Option(
      names = "--detect-within",
      paramLabel = "DURATION",
      defaultValue = "60s",
      description =
          "Expect the probe to fail within this of the first fault (default ${DEFAULT-VALUE}).")
  String detectWithin;

  @Option(
      names = "--fresh-within",
      paramLabel = "DURATION",
      defaultValue = "60s",
      description = "Expect every canary FRESH within this of the heal (default ${DEFAULT-VALUE}).")
  String freshWithin;

  @Option(
      names = "--start-within",
      paramLabel = "DURATION",
      defaultValue = "60s",
      description =
          "Wait at most this for the fleet to be FRESH and the probe passing before the first fault"
              + " (default ${DEFAULT-VALUE}).")
  String startWithin;

  @Option(
      names = "--gate-within",
      paramLabel = "DURATION",
      defaultValue = "120s",
      description =
          "bad-change: expect the gate's back-out within this (default ${DEFAULT-VALUE}).")
  String gateWithin;

  @Option(
      names = "--seat-interval",
      paramLabel = "DURATION",
      defaultValue = "500ms",
      description = "How often each canary takes or returns a seat (default ${DEFAULT-VALUE}).")
  String seatInterval;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "The fleet's seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where the canaries' caches and the reports go (default <demo-dir>/gameday against the"
              + " demo, holdfast-gameday otherwise).")
  Path dataDir;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "Write the verdict as Markdown here (default <data-dir>/gameday-<scenario>-<time>.md).")
  Path report;

  /** The command as the CLI runs it: the canaries are a {@link SimulatedFleet}. */
  public GamedayCommand() {
    this(SimulatedFleet::start);
  }

  /** With another fleet, for tests that need a fleet that behaves differently. */
  public GamedayCommand(Function<FleetPlan, Fleet> fleets) {
    this.fleets = fleets;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Scenario scenario = Scenario.parse(scenarioName);
    if (scenario == Scenario.STORE_DOWN) {
      throw new IllegalArgumentException(
          "store-down is not available for this target: a game day breaks things only through"
              + " fault proxies on the replicas' instance path, and the store sits behind the"
              + " replicas (SQLite inside the demo's process), out of the proxies' reach. Rehearse"
              + " it by stopping PostgreSQL in a staging cluster; docs/operations.md, 'When the"
              + " database is unavailable', says what to expect");
    }
    if (canaries < 1 || canaries > 100) {
      throw new IllegalArgumentException("--canaries must be from 1 to 100, was " + canaries);
    }
    DrillSettings settings = settings();
    Target target = target();
    PrintWriter out = spec.commandLine().getOut();
    Instant startedAt = Instant.now();
    Timeline timeline = new Timeline(out);
    Observations seen;
    try {
      seen = new Drill(target, scenario, settings, fleets, timeline).run();
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return HoldfastCommand.EXIT_REFUSED;
    }
    Verdict verdict = Verdict.judge(scenario, settings, seen);
    printVerdict(out, scenario, settings, seen, verdict);
    Path file =
        report != null
            ? report
            : dataDir().resolve("gameday-" + scenario.id() + "-" + STAMP.format(startedAt) + ".md");
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    Files.writeString(
        file,
        VerdictReport.markdown(
            scenario, target, settings, startedAt, seen, verdict, timeline.entries()),
        StandardCharsets.UTF_8);
    out.println("report: " + file);
    out.flush();
    return verdict.passed() ? 0 : EXIT_FAILED;
  }

  private static void printVerdict(
      PrintWriter out,
      Scenario scenario,
      DrillSettings settings,
      Observations seen,
      Verdict verdict) {
    out.println();
    out.println("Game day '" + scenario.id() + "': " + (verdict.passed() ? "PASS" : "FAIL"));
    for (Verdict.Check check : verdict.checks()) {
      out.printf(
          "  [%s] %s: %s%n", check.met() ? " ok " : "FAIL", check.expectation(), check.observed());
    }
    out.println("Figures:");
    for (String[] row : VerdictReport.figures(scenario, settings, seen)) {
      out.printf("  %s: %s%n", row[0], row[1]);
    }
    out.flush();
  }

  private DrillSettings settings() {
    return new DrillSettings(
        canaries,
        ring,
        positive("--fault-duration", faultDuration),
        positive("--probe-interval", probeInterval),
        positive("--alert-for", alertFor),
        positive("--detect-within", detectWithin),
        positive("--fresh-within", freshWithin),
        positive("--start-within", startWithin),
        positive("--gate-within", gateWithin),
        positive("--seat-interval", seatInterval),
        seed,
        dataDir().resolve("cache"));
  }

  private static Duration positive(String option, String text) {
    Duration duration = ServerConfigLoader.duration(option, text);
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(option + " must be positive, was " + text);
    }
    return duration;
  }

  private Path dataDir() {
    if (dataDir != null) {
      return dataDir;
    }
    return replicas.isEmpty() ? demoDir.resolve("gameday") : Path.of("holdfast-gameday");
  }

  /** The demo named by --demo-dir, or the replicas named by --replica. */
  private Target target() throws IOException, InterruptedException {
    if (!replicas.isEmpty()) {
      if (adminToken == null || adminToken.isBlank()) {
        throw new IllegalArgumentException("give --admin-token or set HOLDFAST_TOKEN");
      }
      SSLContext ssl = caCert == null ? null : CaBundle.sslContext(caCert);
      return new Target(
          replicas.size() + " replicas",
          replicas,
          adminToken,
          ssl,
          TrustedKeyArguments.resolve(
              trustKeys, pinKeyId, replicas.get(0), Duration.ofSeconds(5), ssl),
          approverToken);
    }
    Path credentials = demoDir.resolve("demo-credentials.json");
    if (!Files.isRegularFile(credentials)) {
      throw new IllegalArgumentException(
          "no demo in "
              + demoDir
              + " ("
              + credentials
              + " is missing): start `holdfast demo` first, or name real replicas with --replica");
    }
    JsonNode demo = JSON.readTree(credentials.toFile());
    List<URI> demoReplicas = new ArrayList<>();
    demo.path("replicas").forEach(r -> demoReplicas.add(URI.create(r.asText())));
    if (demoReplicas.isEmpty() || demo.path("adminToken").asText().isEmpty()) {
      throw new IllegalArgumentException(
          credentials + " names no replicas or no admin token: is it a demo's credentials file?");
    }
    Path authority = demoDir.resolve("ca.pem");
    SSLContext ssl =
        caCert != null
            ? CaBundle.sslContext(caCert)
            : Files.isRegularFile(authority) && demoReplicas.get(0).getScheme().equals("https")
                ? CaBundle.sslContext(authority)
                : null;
    List<String> keys = trustKeys;
    if (keys.isEmpty() && pinKeyId == null) {
      // The demo's replicas sign with the key in its data directory; only its public half is read.
      keys = List.of(demoDir.resolve("signing-key.pem").toString());
    }
    List<VerificationKey> trusted =
        TrustedKeyArguments.resolve(
            keys, pinKeyId, demoReplicas.get(0), Duration.ofSeconds(5), ssl);
    return new Target(
        "the demo in " + demoDir,
        demoReplicas,
        demo.path("adminToken").asText(),
        ssl,
        trusted,
        approverToken != null ? approverToken : demo.path("reviewerToken").asText(null));
  }
}
