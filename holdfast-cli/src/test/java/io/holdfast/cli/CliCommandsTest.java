package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dataDir;

  private static HoldfastServer server;

  @BeforeAll
  static void startServer() {
    server = HoldfastServer.start(ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMillis(50)).build());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** The outcome of one command line. */
  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  private static Run run(String... args) {
    String[] full = new String[args.length + 4];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--server";
    full[args.length + 1] = "http://127.0.0.1:" + server.port();
    full[args.length + 2] = "--token";
    full[args.length + 3] = server.adminToken();
    return runRaw(full);
  }

  private static Run runRaw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = HoldfastCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void instanceCreate_printsTheCredentialOnceAndListShowsNoSecret() throws Exception {
    Run created = run("instance", "create", "cli-one", "--ring", "dev", "--label", "region=eu");
    assertThat(created.exit()).isZero();
    assertThat(created.json().path("credential").asText()).startsWith("hfi_");
    assertThat(created.json().path("instance").path("labels").path("region").asText()).isEqualTo("eu");

    Run listed = run("instance", "list");
    assertThat(listed.exit()).isZero();
    assertThat(listed.out()).contains("cli-one").doesNotContain("hfi_").doesNotContain("credential");
  }

  @Test
  void refusedRequest_exitsOneWithTheProblemOnStderr() {
    Run refused = run("instance", "create", "cli-two", "--ring", "no-such-ring");
    assertThat(refused.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(refused.err()).contains("Unknown ring").contains("no-such-ring").contains("404");
    assertThat(refused.out()).isEmpty();
  }

  @Test
  void missingRequiredOption_exitsTwo() {
    Run usage = run("instance", "create", "cli-three");
    assertThat(usage.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(usage.err()).contains("--ring");
  }

  @Test
  void unreachableServer_exitsThree() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Run unreachable = runRaw("ring", "list", "--server", "http://127.0.0.1:" + closedPort, "--token", "hfa_x");
    assertThat(unreachable.exit()).isEqualTo(HoldfastCommand.EXIT_UNREACHABLE);
    assertThat(unreachable.err()).contains("cannot reach");
  }

  @Test
  void missingToken_isAUsageErrorNamingTheEnvironmentVariable() {
    Run noToken = runRaw("ring", "list", "--server", "http://127.0.0.1:" + server.port(), "--token", "");
    assertThat(noToken.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(noToken.err()).contains("HOLDFAST_TOKEN");
  }

  @Test
  void stagePublishHistoryAndDiff_roundTripThroughTheCli() throws Exception {
    assertThat(run("ns", "create", "cli-ns", "--description", "from the CLI").exit()).isZero();
    assertThat(run("ns", "set-layer", "cli-ns", "default", "--json", "{\"a\": 1, \"b\": {\"c\": true}}").exit()).isZero();
    Run first = run("ns", "publish", "cli-ns", "-m", "first");
    assertThat(first.exit()).isZero();
    long from = first.json().path("revision").asLong();

    Path layer = Files.writeString(dataDir.resolve("layer.json"), "{\"a\": 2, \"b\": {\"c\": true}}");
    assertThat(run("ns", "set-layer", "cli-ns", "default", "--file", layer.toString()).exit()).isZero();
    Run second = run("ns", "publish", "cli-ns", "-m", "second");
    assertThat(second.json().path("revision").asLong()).isGreaterThan(from);

    Run history = run("ns", "history", "cli-ns");
    assertThat(history.json().path("history").get(0).path("message").asText()).isEqualTo("second");

    Run diff = run("ns", "diff", "cli-ns", "--from", Long.toString(from), "--scope", "default");
    JsonNode change = diff.json().path("changes").get(0);
    assertThat(change.path("path").asText()).isEqualTo("/a");
    assertThat(change.path("before").asInt()).isEqualTo(1);
    assertThat(change.path("after").asInt()).isEqualTo(2);
  }

  @Test
  void setLayerWithInvalidJson_isAUsageErrorAndStagesNothing() throws Exception {
    run("ns", "create", "cli-bad", "--description", "");
    Run bad = run("ns", "set-layer", "cli-bad", "default", "--json", "{not json");
    assertThat(bad.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(bad.err()).contains("not readable JSON");
    assertThat(run("ns", "layers", "cli-bad").json().path("drafts")).isEmpty();
  }

  @Test
  void serverWithAnInvalidPort_exitsTwoNamingTheKey() {
    Run invalid = runRaw("server", "--port", "seventy", "--data-dir", dataDir.resolve("unused").toString());
    assertThat(invalid.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(invalid.err()).contains("port").contains("seventy");
  }

  @Test
  void demoData_seedsFourInstancesWithWorkingCredentials() throws Exception {
    Path other = Files.createDirectories(dataDir.resolve("demo"));
    try (HoldfastServer demo = HoldfastServer.start(ServerConfig.builder(other).port(0).build())) {
      AdminClient client = new AdminClient(java.net.URI.create("http://127.0.0.1:" + demo.port()), demo.adminToken());
      JsonNode seeded = DemoData.seed(client);
      assertThat(seeded.path("instances").size()).isEqualTo(4);
      String token = seeded.path("instances").path("acme-prod").asText();
      java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                  "http://127.0.0.1:" + demo.port() + "/v1/instances/acme-prod/config/core"))
              .header("Authorization", "Bearer " + token).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"maxUploadMb\":100").contains("acme-support@example.com");
    }
  }
}
