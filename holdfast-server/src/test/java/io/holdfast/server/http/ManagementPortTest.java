package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management port (FAULTS.md F3): {@code /metrics} and health are served there, on the
 * configured port; {@code /metrics} is not served on the instance port at all, which keeps {@code
 * /health} for load balancers; nothing of the instance or admin API leaks onto the management port.
 */
class ManagementPortTest {

  @TempDir static Path dataDir;

  private static ServerFixture replica;
  private static int configuredPort;

  @BeforeAll
  static void start() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      configuredPort = socket.getLocalPort();
    }
    replica =
        ServerFixture.startConfigured(dataDir, config -> config.managementPort(configuredPort));
  }

  @AfterAll
  static void stop() {
    if (replica != null) {
      replica.close();
    }
  }

  @Test
  void theManagementListener_isOnTheConfiguredPort_apartFromTheInstancePort() {
    assertThat(replica.server().managementPort())
        .isEqualTo(configuredPort)
        .isNotEqualTo(replica.server().port());
  }

  @Test
  void metrics_areServedOnTheManagementPort() {
    HttpResponse<byte[]> scrape = replica.getManagement("/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(header(scrape, "Content-Type")).startsWith("text/plain; version=0.0.4");
    assertThat(header(scrape, "Cache-Control")).isEqualTo("no-store");
    assertThat(text(scrape))
        .contains("holdfast_replica_revision ")
        .contains("holdfast_store_up 1.0");
  }

  @Test
  void F3_metrics_areNotServedOnTheInstancePort() {
    assertProblem(replica.get("/metrics", null), ProblemType.ROUTE_NOT_FOUND);
  }

  @Test
  void health_isServedOnBothPorts() {
    for (HttpResponse<byte[]> live :
        List.of(replica.get("/health/live", null), replica.getManagement("/health/live"))) {
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(header(live, "Content-Type")).isEqualTo("application/json");
      assertThat(json(live).get("status").asText()).isEqualTo("up");
    }
    HttpResponse<byte[]> ready = replica.getManagement("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).get("status").asText()).isEqualTo("ready");
    assertThat(json(ready).get("revision").asLong())
        .isEqualTo(json(replica.get("/health/ready", null)).get("revision").asLong());
  }

  @Test
  void aMalformedRequestOnTheManagementPort_getsAProblem_notAServerError() {
    RawHttp.Response response =
        RawHttp.exchange(
            replica.server().managementPort(),
            "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    assertProblem(response, ProblemType.MALFORMED_REQUEST);
  }

  @Test
  void theInstanceAndAdminApis_andUnknownPaths_areNotFoundOnTheManagementPort() {
    assertProblem(replica.getManagement("/v1/keys"), ProblemType.ROUTE_NOT_FOUND);
    assertProblem(replica.getManagement("/v1/admin/instances"), ProblemType.ROUTE_NOT_FOUND);
    assertProblem(replica.getManagement("/console/login"), ProblemType.ROUTE_NOT_FOUND);
    assertProblem(replica.getManagement("/no/such/path"), ProblemType.ROUTE_NOT_FOUND);
  }
}
