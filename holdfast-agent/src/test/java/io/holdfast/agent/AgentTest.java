package io.holdfast.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.agent.config.AgentEnvironments;
import io.holdfast.agent.config.AgentSettings;
import io.holdfast.agent.config.AgentSettingsReader;
import io.holdfast.agent.config.SettingsSource;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent in-process with no replica at all: what it answers before it has anything. */
class AgentTest {

  private static final String TOKEN = "agent-test-seat-token-0123456789";

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private AgentSettings settings(String seatsUrl) throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN);
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    Map<String, String> env = AgentEnvironments.minimal("http://127.0.0.1:" + closed);
    env.put("HOLDFAST_HEARTBEAT_INTERVAL", "0");
    env.put("HOLDFAST_AGENT_LISTEN", "127.0.0.1:0");
    env.put("HOLDFAST_AGENT_MANAGEMENT_LISTEN", "127.0.0.1:0");
    env.put("HOLDFAST_AGENT_TOKEN_FILE", token.toString());
    env.put("HOLDFAST_AGENT_SEATS_JDBC_URL", seatsUrl);
    return AgentSettingsReader.read(SettingsSource.read(null, env), false);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(Agent agent, String path) {
    return URI.create("http://127.0.0.1:" + agent.address().getPort() + path);
  }

  @Test
  void noDocumentAnywhere_is503WithItsStatus_andSeatsWaitForTheirStore() throws Exception {
    Path later = dir.resolve("not-yet");
    try (Agent agent = Agent.start(settings("jdbc:sqlite:" + later.resolve("seats.db")))) {
      HttpResponse<String> read = send(HttpRequest.newBuilder(uri(agent, "/v1/config/core")));
      assertThat(read.statusCode()).isEqualTo(503);
      assertThat(read.headers().firstValue("Holdfast-Status")).hasValue("INITIALIZING");
      assertThat(read.body()).contains("urn:holdfast:problem:no-document");

      HttpRequest.Builder admit =
          HttpRequest.newBuilder(uri(agent, "/v1/seats/crm/admit"))
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + TOKEN)
              .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ann\"}"));
      // SQLite cannot create a file in a missing directory: the store is not open yet.
      HttpResponse<String> starting = send(admit);
      assertThat(starting.statusCode()).isEqualTo(503);
      assertThat(starting.body()).contains("seats-starting");

      Files.createDirectories(later);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (agent.seatChecker() == null && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000_000);
      }
      HttpResponse<String> decided = send(admit);
      assertThat(decided.statusCode()).isEqualTo(200);
      // Nothing verified yet: unknown is never zero and never "limit reached".
      assertThat(decided.headers().firstValue("Holdfast-Seat-Outcome"))
          .hasValue("DENIED_UNVERIFIED");
    }
  }
}
