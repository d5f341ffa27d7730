package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code holdfast fleet} against a real replica with one reporting instance and one silent one. */
class FleetCommandTest {

  @TempDir Path dataDir;

  private HoldfastServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        HoldfastServer.start(
            ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMillis(50)).build());
    String token =
        CliRun.against(server, "instance", "create", "acme-prod", "--ring", "live")
            .json()
            .path("credential")
            .asText();
    assertThat(CliRun.against(server, "instance", "create", "quiet-co", "--ring", "beta").exit())
        .isZero();
    String report =
        "{\"sdkVersion\":\"1.0.0\",\"sentAt\":\"2026-11-25T18:19:15Z\",\"namespaces\":{\"core\":"
            + "{\"revision\":0,\"status\":\"STALE\",\"since\":\"2026-11-25T18:00:00Z\",\"reason\":\"replicas unreachable\","
            + "\"graceRemainingSeconds\":5400}}}";
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + server.port()
                              + "/v1/instances/acme-prod/heartbeat"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(report))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(response.statusCode()).isEqualTo(204);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void fleetList_printsATableWithStateGraceAndReason_andCountsByState() {
    CliRun run = CliRun.against(server, "fleet", "list");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("INSTANCE").contains("GRACE");
    assertThat(run.out())
        .containsPattern(
            "acme-prod\\s+live\\s+stale\\s+\\S+\\s+0\\s+1h(29|30)m\\s+core: replicas unreachable");
    assertThat(run.out()).containsPattern("quiet-co\\s+beta\\s+unreported\\s+never");
    assertThat(run.out()).contains("stale 1").contains("unreported 1");
  }

  @Test
  void fleetList_filtersAndJson() throws Exception {
    CliRun run = CliRun.against(server, "fleet", "list", "--state", "stale", "--json");

    assertThat(run.exit()).isZero();
    assertThat(run.json().path("instances")).hasSize(1);
    assertThat(run.json().path("instances").get(0).path("instance").asText())
        .isEqualTo("acme-prod");
    assertThat(
            CliRun.against(server, "fleet", "list", "--grace-below", "1h", "--json")
                .json()
                .path("instances"))
        .isEmpty();
  }

  @Test
  void badFilter_exitsNonZeroNamingIt() {
    CliRun run = CliRun.against(server, "fleet", "list", "--state", "sleepy");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("state must be one of");
  }

  @Test
  void fleetShow_printsTheLatestHeartbeat() throws Exception {
    CliRun run = CliRun.against(server, "fleet", "show", "acme-prod");

    assertThat(run.exit()).isZero();
    assertThat(run.json().path("heartbeat").path("sdkVersion").asText()).isEqualTo("1.0.0");
  }
}
