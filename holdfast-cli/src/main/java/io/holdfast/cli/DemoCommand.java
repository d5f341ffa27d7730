package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.datadir.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code holdfast demo}: two replicas on one embedded SQLite store, seeded with sample
 * instances in different rings, the namespaces {@code core} and {@code features}, and
 * applications with subscriptions. The admin
 * token and instance credentials go to {@code <data-dir>/demo-credentials.json}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start two replicas on the embedded store with sample data, and print what to try.")
final class DemoCommand implements Callable<Integer> {

  static final String CREDENTIALS_FILE = "demo-credentials.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", defaultValue = "holdfast-demo", description = "Data directory (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--port", defaultValue = "7070", description = "First replica's port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--second-port", defaultValue = "7071", description = "Second replica's port (default ${DEFAULT-VALUE}).")
  int secondPort;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
  String host;

  /**
   * A demo replica probes both replicas and runs the rollout engine on a one-second tick, so a
   * change moves while you watch; it needs no SDK clients to pass its gates.
   */
  private static ServerConfig demo(ServerConfig.Builder builder, List<URI> pair) {
    return builder.probeEnabled(true).probeTargets(pair).rolloutEngineEnabled(true)
        .rolloutTick(Duration.ofSeconds(1)).rolloutLeaseTtl(Duration.ofSeconds(5)).build();
  }

  @Override
  public Integer call() throws Exception {
    // Each replica probes both, so GET /v1/admin/probes on either shows the pair.
    String reachable = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    List<URI> pair = List.of(URI.create("http://" + reachable + ":" + port), URI.create("http://" + reachable + ":" + secondPort));
    HoldfastServer first = HoldfastServer.start(
        demo(ServerConfig.builder(dataDir).host(host).port(port).managementPort(managementPort(port)), pair));
    HoldfastServer second;
    try {
      second = HoldfastServer.start(
          demo(ServerConfig.builder(dataDir).host(host).port(secondPort).managementPort(managementPort(secondPort)), pair));
    } catch (RuntimeException e) {
      first.close();
      throw e;
    }
    URI a = URI.create("http://" + host + ":" + first.port());
    URI b = URI.create("http://" + host + ":" + second.port());
    URI managementA = URI.create("http://" + host + ":" + first.managementPort());
    URI managementB = URI.create("http://" + host + ":" + second.managementPort());
    Path credentials = dataDir.toAbsolutePath().resolve(CREDENTIALS_FILE);
    if (!Files.exists(credentials)) {
      ObjectNode seeded = DemoData.seed(new AdminClient(a, first.adminToken()));
      seeded.put("adminToken", first.adminToken());
      seeded.putArray("replicas").add(a.toString()).add(b.toString());
      AtomicFiles.writeOwnerOnly(credentials, JSON.writeValueAsBytes(seeded));
    }
    printTour(spec.commandLine().getOut(), a, b, managementA, managementB, credentials, first.verificationKey().keyId());
    ServerCommand.awaitShutdown(second, first);
    return 0;
  }

  /** As {@code holdfast server} does: ten above the instance port (7080 beside 7070), or a free one. */
  private static int managementPort(int port) {
    return port == 0 ? 0 : port + 10 <= 65535 ? port + 10 : port - 10;
  }

  private static void printTour(PrintWriter out, URI a, URI b, URI managementA, URI managementB, Path credentials,
      String keyId) throws IOException {
    JsonNode saved = JSON.readTree(Files.readAllBytes(credentials));
    String instanceToken = saved.path("instances").path("acme-prod").asText();
    out.printf("""

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

        Ctrl-C stops both replicas.
        """, a, managementA, b, managementB, credentials, saved.path("adminToken").asText(), instanceToken, a, b, a, b, a, a,
        b, keyId, managementA, a);
    out.flush();
  }
}
