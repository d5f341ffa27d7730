package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.fleet.FleetMember;
import io.holdfast.cli.fleet.FleetPlan;
import io.holdfast.cli.fleet.SimulatedFleet;
import io.holdfast.protocol.tls.CaBundle;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.ReplicaStartException;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.config.TlsSettings;
import io.holdfast.server.datadir.AtomicFiles;
import io.holdfast.server.datadir.UnsafePermissionsException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast demo}: two replicas on one embedded SQLite store, seeded with sample instances in
 * different rings, the namespaces {@code core} and {@code features}, and applications with
 * subscriptions. The admin token and instance credentials go to {@code
 * <data-dir>/demo-credentials.json}.
 *
 * <p>A simulated fleet of real SDK clients ({@link SimulatedFleet}, {@code --fleet}) reads from
 * both replicas, heartbeats and moves seats, so the console and the rollout gates have instances to
 * show and judge; the rings' bake times are compressed ({@code --bake-scale}, a demo setting).
 *
 * <p>Plain HTTP on loopback by default. With {@code --tls} both replicas speak TLS with a
 * certificate from a throwaway authority made at every start ({@link DemoCertificates}); its
 * certificate is {@code <data-dir>/ca.pem}, and the commands printed pass it with {@code --cacert}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start two replicas on the embedded store with sample data and a simulated fleet, and"
            + " print what to try.")
final class DemoCommand implements Callable<Integer> {

  static final String CREDENTIALS_FILE = "demo-credentials.json";

  /** Where each simulated instance keeps its last-known-good copies, one directory each. */
  static final String FLEET_CACHE = "fleet-cache";

  /** Set in the credentials file once the sample data is made, so a restart does not seed again. */
  private static final String SEEDED = "seeded";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = "holdfast-demo",
      description = "Data directory (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--port",
      defaultValue = "7070",
      description = "First replica's port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--second-port",
      defaultValue = "7071",
      description = "Second replica's port (default ${DEFAULT-VALUE}).")
  int secondPort;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--tls",
      description =
          "Serve both replicas over TLS, with a certificate from a throwaway certificate "
              + "authority made at start; clients trust it with <data-dir>/ca.pem.")
  boolean tls;

  @Option(
      names = "--fleet",
      defaultValue = "24",
      paramLabel = "N",
      description =
          "Simulated instances to run: real SDK clients with heartbeats and seat traffic, the four "
              + "sample instances first, then <ring>-sim-<n> across the rings; 0 for none "
              + "(default ${DEFAULT-VALUE}).")
  int fleetSize;

  @Option(
      names = "--bake-scale",
      defaultValue = "" + DemoBakes.DEFAULT_SCALE,
      paramLabel = "FACTOR",
      description =
          "DEMO SETTING, never for production: divide every ring's real bake time by FACTOR "
              + "(${DEFAULT-VALUE}: dev 24h becomes 10s, beta 48h 20s); 1 keeps the real ones.")
  long bakeScale;

  @Option(
      names = "--window-in",
      defaultValue = "10m",
      paramLabel = "DURATION",
      description =
          "DEMO SETTING: sample tenant globex-beta, a customer in Asia/Tokyo, takes changes only in a"
              + " daily window opening this long after the start, for 12 hours (default"
              + " ${DEFAULT-VALUE}; 0 for no window). A change reaching ring beta before then waits"
              + " for it.")
  String windowIn;

  /** The largest {@code --fleet}: each member runs a few threads of its own. */
  static final int MAX_FLEET = 500;

  /**
   * The two demo replicas, seeded and serving, and the simulated fleet reading from them ({@code
   * null} with {@code --fleet 0}); closing stops the fleet, then both replicas.
   *
   * @param compressedBakes one line per ring whose bake time the demo compressed, as {@code dev 24h
   *     → 10s}; empty with {@code --bake-scale 1}
   * @param emptyRings the rings without a fleet member, which the demo allows to be empty
   */
  record Running(
      HoldfastServer first,
      HoldfastServer second,
      URI a,
      URI b,
      URI managementA,
      URI managementB,
      Path credentials,
      Path authority,
      SimulatedFleet fleet,
      List<String> compressedBakes,
      List<String> emptyRings,
      Optional<String> demoWindow)
      implements AutoCloseable {

    @Override
    public void close() {
      try {
        if (fleet != null) {
          fleet.close();
        }
      } finally {
        try {
          second.close();
        } finally {
          first.close();
        }
      }
    }
  }

  /**
   * A demo replica probes both replicas and runs the rollout engine on a one-second tick, so a
   * change moves while you watch; its gates judge the simulated fleet's heartbeats, and rings
   * without a member may be empty ({@link DemoEmptyRings}).
   */
  private static ServerConfig demo(ServerConfig.Builder builder, List<URI> pair) {
    return builder
        .probeEnabled(true)
        .probeTargets(pair)
        .rolloutEngineEnabled(true)
        .rolloutTick(Duration.ofSeconds(1))
        .rolloutLeaseTtl(Duration.ofSeconds(5))
        .build();
  }

  @Override
  public Integer call() throws Exception {
    boolean quiet = fleetSize > 0 && DemoLogging.quietFleet(System.getenv());
    Running running;
    try {
      running = start();
    } catch (UnsafePermissionsException e) {
      // As `holdfast server` refuses: one clear line and a non-zero exit, no stack trace.
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return ServerCommand.EXIT_UNSAFE_FILES;
    } catch (ReplicaStartException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return ServerCommand.EXIT_START_FAILED;
    }
    PrintWriter out = spec.commandLine().getOut();
    DemoFleet.awaitFresh(running.fleet());
    if (quiet) {
      out.println(
          "\n(The access log is at WARN, the SDK's log at ERROR, while the fleet runs;"
              + " HOLDFAST_ACCESS_LOG=INFO shows every request.)");
    }
    if (running.authority() == null) {
      printTour(out, running, running.first().verificationKey().keyId());
    } else {
      printTlsTour(out, running, running.first().verificationKey().keyId());
    }
    ServerCommand.awaitShutdown(running);
    return 0;
  }

  /** {@code --window-in}, checked ({@link DemoWindow#delay}). */
  Duration windowDelay() {
    return DemoWindow.delay(windowIn);
  }

  /**
   * Starts both replicas, seeds the store on a first start, compresses the bake times and starts
   * the fleet.
   *
   * @throws IllegalArgumentException for a {@code --fleet} or {@code --bake-scale} out of range,
   *     before anything starts
   */
  Running start() throws IOException {
    if (fleetSize < 0 || fleetSize > MAX_FLEET) {
      throw new IllegalArgumentException(
          "--fleet must be from 0 to " + MAX_FLEET + ", was " + fleetSize);
    }
    if (bakeScale < 1) {
      throw new IllegalArgumentException("--bake-scale must be 1 or more, was " + bakeScale);
    }
    windowDelay(); // refuses a bad --window-in before anything starts
    String reachable = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    String scheme = tls ? "https" : "http";
    TlsSettings tlsSettings = TlsSettings.NONE;
    Path authority = null;
    // Each plain replica probes both, so GET /v1/admin/probes on either shows the pair. Over TLS
    // the replicas' probe trusts only the JDK's authorities, not the throwaway one: it keeps its
    // canary for `holdfast probe --cacert` but probes nothing itself.
    List<URI> pair = List.of();
    if (tls) {
      DemoCertificates certificates = DemoCertificates.create(dataDir, certificateNames(reachable));
      tlsSettings = TlsSettings.of(certificates.certificate(), certificates.privateKey(), null);
      authority = certificates.authority().toAbsolutePath();
    } else {
      pair =
          List.of(
              URI.create("http://" + reachable + ":" + port),
              URI.create("http://" + reachable + ":" + secondPort));
    }
    HoldfastServer first =
        HoldfastServer.start(
            demo(
                ServerConfig.builder(dataDir)
                    .host(host)
                    .port(port)
                    .managementPort(managementPort(port))
                    .tls(tlsSettings),
                pair));
    HoldfastServer second;
    try {
      second =
          HoldfastServer.start(
              demo(
                  ServerConfig.builder(dataDir)
                      .host(host)
                      .port(secondPort)
                      .managementPort(managementPort(secondPort))
                      .tls(tlsSettings),
                  pair));
    } catch (RuntimeException e) {
      first.close();
      throw e;
    }
    String base = scheme + "://" + (tls ? reachable : host) + ":";
    Path credentials = dataDir.toAbsolutePath().resolve(CREDENTIALS_FILE);
    SimulatedFleet fleet = null;
    try {
      SSLContext trust = authority == null ? null : CaBundle.sslContext(authority);
      AdminClient admin =
          new AdminClient(URI.create(base + first.port()), first.adminToken(), trust);
      // Saved after every step that creates something, so an interrupted first start resumes
      // from the file: only what it lacks is made, and nothing is seeded or compressed twice.
      ObjectNode saved =
          Files.exists(credentials)
              ? (ObjectNode) JSON.readTree(Files.readAllBytes(credentials))
              : JSON.createObjectNode();
      Runnable save = () -> save(credentials, saved);
      if (!saved.has("adminToken")) {
        saved.put("adminToken", first.adminToken());
      }
      saved.putArray("replicas").add(base + first.port()).add(base + second.port());
      save.run();
      // A file from before "seeded" was recorded was written once everything was made.
      if (!saved.has(SEEDED) && !saved.has("reviewerToken")) {
        DemoData.seed(admin, saved.withObjectProperty("instances"), save);
      }
      saved.put(SEEDED, true);
      if (!saved.has("reviewerToken")) {
        saved.put("reviewerToken", DemoData.reviewer(admin));
      }
      save.run();
      List<String> compressed = DemoBakes.apply(admin, saved, bakeScale, save);
      List<FleetMember> members = DemoFleet.members(admin, saved, fleetSize, save);
      List<String> emptyRings = DemoEmptyRings.apply(admin, members);
      Optional<String> demoWindow = DemoWindow.apply(admin, windowDelay(), Instant.now());
      if (!members.isEmpty()) {
        // The members read from loopback even when the replicas bind every address.
        String fleetBase = scheme + "://" + reachable + ":";
        FleetPlan plan =
            FleetPlan.of(
                    List.of(
                        URI.create(fleetBase + first.port()),
                        URI.create(fleetBase + second.port())),
                    first.verificationKey(),
                    members,
                    dataDir.toAbsolutePath().resolve(FLEET_CACHE))
                .withSslContext(trust);
        fleet = SimulatedFleet.start(plan);
      }
      return new Running(
          first,
          second,
          URI.create(base + first.port()),
          URI.create(base + second.port()),
          URI.create(base + first.managementPort()),
          URI.create(base + second.managementPort()),
          credentials,
          authority,
          fleet,
          compressed,
          emptyRings,
          demoWindow);
    } catch (IOException | RuntimeException e) {
      if (fleet != null) {
        fleet.close();
      }
      second.close();
      first.close();
      throw e;
    }
  }

  private static void save(Path credentials, ObjectNode saved) {
    try {
      AtomicFiles.writeOwnerOnly(credentials, JSON.writeValueAsBytes(saved));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + credentials, e);
    }
  }

  /**
   * The names the demo's certificate is valid for: loopback, and the bound address when it is
   * another.
   */
  private static String certificateNames(String reachable) {
    String names = "ip:127.0.0.1,dns:localhost";
    if (reachable.equals("127.0.0.1") || reachable.equals("localhost")) {
      return names;
    }
    boolean literal = reachable.matches("[0-9.]+") || reachable.contains(":");
    return names + (literal ? ",ip:" : ",dns:") + reachable;
  }

  /**
   * As {@code holdfast server} does: ten above the instance port (7080 beside 7070), or a free one.
   */
  private static int managementPort(int port) {
    return port == 0 ? 0 : port + 10 <= 65535 ? port + 10 : port - 10;
  }

  private static void printTour(PrintWriter out, Running running, String keyId) throws IOException {
    URI a = running.a();
    URI b = running.b();
    URI managementA = running.managementA();
    URI managementB = running.managementB();
    Path credentials = running.credentials();
    JsonNode saved = JSON.readTree(Files.readAllBytes(credentials));
    String instanceToken = saved.path("instances").path("acme-prod").asText();
    out.printf(
        """

        Holdfast demo: two replicas on one SQLite store
          replica A  %s   (metrics and health: %s)
          replica B  %s   (metrics and health: %s)
          credentials %s

        Try:
          export HOLDFAST_TOKEN=%s   # admin
          TOKEN=%s                   # instance acme-prod
          curl -si -H "Authorization: Bearer $TOKEN" %s/v1/instances/acme-prod/config/core
          curl -si -H "Authorization: Bearer $TOKEN" %s/v1/instances/acme-prod/config/core   # same ETag
          curl -si -H "Authorization: Bearer $TOKEN" -H 'If-None-Match: "<etag>"' %s/v1/instances/acme-prod/config/core
          ./holdfast ns effective core acme-prod
          ./holdfast ns set-layer core default --json '{"sessionTimeoutMinutes": 20}'
          ./holdfast ns publish core -m "shorter sessions"
          curl -s -H "Authorization: Bearer $TOKEN" %s/v1/instances/acme-prod/config/subscriptions
          ./holdfast subscription list --instance acme-prod
          ./holdfast subscription usage
          ./holdfast audit verify
          curl -s -H "Authorization: Bearer $HOLDFAST_TOKEN" %s/v1/admin/probes   # each replica probes both
          ./holdfast probe --replica %s --replica %s --credential "$HOLDFAST_TOKEN" --pin-key-id %s
          curl -s %s/metrics | grep -E '^holdfast_(probe_success|replica_revision)'   # management port

        Web console: %s/console (log in with the admin token above).

        %s
        Ctrl-C stops the fleet and both replicas.
        """,
        a,
        managementA,
        b,
        managementB,
        credentials,
        saved.path("adminToken").asText(),
        instanceToken,
        a,
        b,
        a,
        b,
        a,
        a,
        b,
        keyId,
        managementA,
        a,
        DemoFleet.tour(running, saved));
    out.flush();
  }

  /** What to try against the TLS demo: every command passes its CA. */
  static void printTlsTour(PrintWriter out, Running running, String keyId) throws IOException {
    URI a = running.a();
    URI b = running.b();
    JsonNode saved = JSON.readTree(Files.readAllBytes(running.credentials()));
    String instanceToken = saved.path("instances").path("acme-prod").asText();
    out.printf(
        """

        Holdfast demo over TLS: two replicas on one SQLite store
          replica A  %s   (metrics and health: %s)
          replica B  %s   (metrics and health: %s)
          credentials %s
          CA          %s   (a throwaway authority made at this start; its key is already deleted)

        Try:
          export HOLDFAST_CACERT=%s HOLDFAST_URL=%s
          export HOLDFAST_TOKEN=%s   # admin
          TOKEN=%s                   # instance acme-prod
          curl -si --cacert "$HOLDFAST_CACERT" -H "Authorization: Bearer $TOKEN" %s/v1/instances/acme-prod/config/core
          curl -si --cacert "$HOLDFAST_CACERT" -H "Authorization: Bearer $TOKEN" %s/v1/instances/acme-prod/config/core   # same ETag
          curl -si --cacert "$HOLDFAST_CACERT" -H "Authorization: Bearer $TOKEN" -H 'If-None-Match: "<etag>"' %s/v1/instances/acme-prod/config/core
          ./holdfast ns effective core acme-prod
          ./holdfast ns set-layer core default --json '{"sessionTimeoutMinutes": 20}'
          ./holdfast ns publish core -m "shorter sessions"
          ./holdfast subscription list --instance acme-prod
          ./holdfast audit verify
          ./holdfast probe --replica %s --replica %s --credential "$HOLDFAST_TOKEN" --pin-key-id %s
          curl -s --cacert "$HOLDFAST_CACERT" %s/metrics | grep -E '^holdfast_replica_revision'   # management port

        The CLI reads HOLDFAST_CACERT (or --cacert); without it the replicas' certificate is refused.
        Web console: %s/console (your browser does not know this CA: import ca.pem, or accept the warning).

        %s
        Ctrl-C stops the fleet and both replicas.
        """,
        a,
        running.managementA(),
        b,
        running.managementB(),
        running.credentials(),
        running.authority(),
        running.authority(),
        a,
        saved.path("adminToken").asText(),
        instanceToken,
        a,
        b,
        a,
        a,
        b,
        keyId,
        running.managementA(),
        a,
        DemoFleet.tour(running, saved));
    out.flush();
  }
}
