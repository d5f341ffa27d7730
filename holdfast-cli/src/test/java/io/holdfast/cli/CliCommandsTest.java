package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The admin verbs against a real replica: output, exit codes and error messages. */
class CliCommandsTest {

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

  private static CliRun runRaw(String... args) {
    return CliRun.raw(args);
  }

  @Test
  void instanceCreate_printsTheCredentialOnceAndListShowsNoSecret() throws Exception {
    CliRun created = run("instance", "create", "cli-one", "--ring", "dev", "--label", "region=eu");
    assertThat(created.exit()).isZero();
    assertThat(created.json().path("credential").asText()).startsWith("hfi_");
    assertThat(created.json().path("instance").path("labels").path("region").asText())
        .isEqualTo("eu");

    CliRun listed = run("instance", "list");
    assertThat(listed.exit()).isZero();
    assertThat(listed.out())
        .contains("cli-one")
        .doesNotContain("hfi_")
        .doesNotContain("credential");
  }

  @Test
  void refusedRequest_exitsOneWithTheProblemOnStderr() {
    CliRun refused = run("instance", "create", "cli-two", "--ring", "no-such-ring");
    assertThat(refused.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(refused.err()).contains("Unknown ring").contains("no-such-ring").contains("404");
    assertThat(refused.out()).isEmpty();
  }

  @Test
  void missingRequiredOption_exitsTwo() {
    CliRun usage = run("instance", "create", "cli-three");
    assertThat(usage.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(usage.err()).contains("--ring");
  }

  @Test
  void unreachableServer_exitsThree() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    CliRun unreachable =
        runRaw("ring", "list", "--server", "http://127.0.0.1:" + closedPort, "--token", "hfa_x");
    assertThat(unreachable.exit()).isEqualTo(HoldfastCommand.EXIT_UNREACHABLE);
    assertThat(unreachable.err()).contains("cannot reach");
  }

  @Test
  void missingToken_isAUsageErrorNamingTheEnvironmentVariable() {
    CliRun noToken =
        runRaw("ring", "list", "--server", "http://127.0.0.1:" + server.port(), "--token", "");
    assertThat(noToken.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(noToken.err()).contains("HOLDFAST_TOKEN");
  }

  @Test
  void stagePublishHistoryAndDiff_roundTripThroughTheCli() throws Exception {
    assertThat(run("ns", "create", "cli-ns", "--description", "from the CLI").exit()).isZero();
    assertThat(
            run(
                    "ns",
                    "set-layer",
                    "cli-ns",
                    "default",
                    "--json",
                    "{\"a\": 1, \"b\": {\"c\": true}}")
                .exit())
        .isZero();
    CliRun first = run("ns", "publish", "cli-ns", "-m", "first");
    assertThat(first.exit()).isZero();
    long from = first.json().path("revision").asLong();

    Path layer =
        Files.writeString(dataDir.resolve("layer.json"), "{\"a\": 2, \"b\": {\"c\": true}}");
    assertThat(run("ns", "set-layer", "cli-ns", "default", "--file", layer.toString()).exit())
        .isZero();
    CliRun second = run("ns", "publish", "cli-ns", "-m", "second");
    assertThat(second.json().path("revision").asLong()).isGreaterThan(from);

    CliRun history = run("ns", "history", "cli-ns");
    assertThat(history.json().path("history").get(0).path("message").asText()).isEqualTo("second");

    CliRun diff = run("ns", "diff", "cli-ns", "--from", Long.toString(from), "--scope", "default");
    JsonNode change = diff.json().path("changes").get(0);
    assertThat(change.path("path").asText()).isEqualTo("/a");
    assertThat(change.path("before").asInt()).isEqualTo(1);
    assertThat(change.path("after").asInt()).isEqualTo(2);
  }

  @Test
  void setLayerWithInvalidJson_isAUsageErrorAndStagesNothing() throws Exception {
    run("ns", "create", "cli-bad", "--description", "");
    CliRun bad = run("ns", "set-layer", "cli-bad", "default", "--json", "{not json");
    assertThat(bad.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(bad.err()).contains("not readable JSON");
    assertThat(run("ns", "layers", "cli-bad").json().path("drafts")).isEmpty();
  }

  @Test
  void serverWithAnInvalidPort_exitsTwoNamingTheKey() {
    CliRun invalid =
        runRaw("server", "--port", "seventy", "--data-dir", dataDir.resolve("unused").toString());
    assertThat(invalid.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(invalid.err()).contains("port").contains("seventy");
  }

  @Test
  void serverWithAChecksumsValidityOutOfRange_exitsTwoWithTheRange() {
    CliRun invalid =
        runRaw(
            "server",
            "--checksums-validity",
            "5m",
            "--data-dir",
            dataDir.resolve("unused").toString());
    assertThat(invalid.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(invalid.err()).contains("checksums-validity must be between 10m and 30d, was PT5M");
  }

  @Test
  void demoData_seedsFourInstancesWithWorkingCredentialsAndSubscriptions() throws Exception {
    Path other = Files.createDirectories(dataDir.resolve("demo"));
    try (HoldfastServer demo = HoldfastServer.start(ServerConfig.builder(other).port(0).build())) {
      AdminClient client =
          new AdminClient(
              java.net.URI.create("http://127.0.0.1:" + demo.port()), demo.adminToken());
      com.fasterxml.jackson.databind.node.ObjectNode seeded =
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      DemoData.seed(client, seeded.putObject("instances"), () -> {});
      assertThat(seeded.path("instances").size()).isEqualTo(4);
      String token = seeded.path("instances").path("acme-prod").asText();
      java.net.http.HttpResponse<String> response =
          instanceGet(demo, token, "/v1/instances/acme-prod/config/core");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("\"maxUploadMb\":100")
          .contains("acme-support@example.com");
      java.net.http.HttpResponse<String> subscriptions =
          instanceGet(demo, token, "/v1/instances/acme-prod/config/subscriptions");
      assertThat(subscriptions.statusCode()).isEqualTo(200);
      assertThat(subscriptions.body())
          .contains("\"crm\":[")
          .contains("\"quantity\":250")
          .doesNotContain("demo data");
    }
  }

  private static java.net.http.HttpResponse<String> instanceGet(
      HoldfastServer server, String token, String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }
}
