package io.holdfast.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.agent.config.ListenAddress;
import io.holdfast.agent.metrics.AgentMetrics;
import io.holdfast.client.Status;
import io.holdfast.testkit.FixedConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's HTTP API over a fixed configuration, on real loopback listeners. */
class AgentServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FixedConfig config =
      FixedConfig.builder()
          .namespace("core", "{\"greeting\":\"héllo\",\"limits\":{\"max\":3}}")
          .build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final AgentMetrics metrics = new AgentMetrics();
  private AgentServer server;

  @BeforeEach
  void start() throws Exception {
    ListenAddress any = ListenAddress.parse("test", "127.0.0.1:0");
    server = AgentServer.start(config, any, any, 8, null, null, metrics);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void read_answersTheContent_withEveryStatusHeader() throws Exception {
    config.status("core", Status.STALE, "replicas answer 500 — checksums unavailable");
    HttpResponse<String> response = get("/v1/config/core");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("limits").path("max").asInt()).isEqualTo(3);
    assertThat(response.headers().firstValue("Holdfast-Status")).hasValue("STALE");
    // Non-ASCII in a reason is percent-encoded UTF-8: a header stays printable ASCII.
    assertThat(response.headers().firstValue("Holdfast-Status-Reason"))
        .hasValue("replicas answer 500 %E2%80%94 checksums unavailable");
    assertThat(response.headers().firstValue("Holdfast-Revision")).hasValue("1");
    assertThat(response.headers().firstValue("ETag")).hasValue("\"fixed-core-1\"");
    assertThat(response.headers().firstValue("Holdfast-Grace-Remaining")).isPresent();
    assertThat(response.headers().firstValue("Holdfast-Status-Since")).isPresent();
  }

  @Test
  void path_answersOneValue() throws Exception {
    assertThat(get("/v1/config/core?path=limits.max").body()).isEqualTo("3");
    assertThat(get("/v1/config/core?path=/greeting").body()).isEqualTo("\"héllo\"");
  }

  @Test
  void ifNoneMatch_answers304_withTheStatus() throws Exception {
    HttpResponse<String> response = get("/v1/config/core", "If-None-Match", "\"fixed-core-1\"");
    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.headers().firstValue("Holdfast-Status")).hasValue("FRESH");
  }

  @Test
  void watch_isHeldUntilAPublish_thenAnswersTheNewDocument() throws Exception {
    CompletableFuture<HttpResponse<String>> watch =
        http.sendAsync(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + server.address().getPort()
                            + "/v1/config/core?wait=60"))
                .header("If-None-Match", "\"fixed-core-1\"")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    config.publish("core", "{\"greeting\":\"again\"}");
    HttpResponse<String> response = watch.get(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Holdfast-Revision")).hasValue("2");
    assertThat(response.body()).contains("again");
  }

  @Test
  void eventStream_sendsEachNamespace_thenEveryChange() throws Exception {
    HttpResponse<java.util.stream.Stream<String>> stream =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + server.address().getPort()
                            + "/v1/watch?namespaces=core"))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    java.util.Iterator<String> lines = stream.body().iterator();
    assertThat(nextData(lines)).contains("\"revision\":1").contains("\"status\":\"FRESH\"");

    config.status("core", Status.STALE, "replicas down");
    assertThat(nextData(lines)).contains("\"status\":\"STALE\"").contains("replicas down");
    config.publish("core", "{\"greeting\":\"again\"}");
    assertThat(nextData(lines)).contains("\"revision\":2").contains("\"status\":\"FRESH\"");
    stream.body().close();
  }

  /** The data of the next event on the stream. */
  private static String nextData(java.util.Iterator<String> lines) {
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("data: ")) {
        return line.substring(6);
      }
    }
    throw new AssertionError("the stream ended");
  }

  @Test
  void clientMistakes_areProblems_neverServerErrors() throws Exception {
    assertThat(get("/v1/config/nope").statusCode()).isEqualTo(404);
    assertThat(get("/v1/config/").statusCode()).isEqualTo(400);
    assertThat(get("/v1/config/core?wait=-1").statusCode()).isEqualTo(400);
    assertThat(get("/v1/config/core", "If-None-Match", "not-an-etag").statusCode()).isEqualTo(400);
    assertThat(get("/elsewhere").statusCode()).isEqualTo(404);
    assertThat(get("/v1/watch?namespaces=core,nope").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + server.address().getPort() + "/v1/config/core"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    // No seats configured: the seat paths say so.
    HttpResponse<String> seats =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + server.address().getPort() + "/v1/seats/crm/admit"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ann\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(seats.statusCode()).isEqualTo(404);
    assertThat(seats.body()).contains("seats-not-served");
    String scrape = new String(metrics.scrape(config), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(scrape).doesNotContain("code=\"500\"").contains("code=\"404\"");
  }

  @Test
  void oversizedHeaders_areRefused_beforeAnyHandlerRuns() throws Exception {
    try (java.net.Socket socket =
        new java.net.Socket(
            java.net.InetAddress.getLoopbackAddress(), server.address().getPort())) {
      socket.setSoTimeout(10_000);
      String request =
          "GET /v1/config/core HTTP/1.1\r\nHost: x\r\nX-Padding: "
              + "a".repeat(32 * 1024)
              + "\r\n\r\n";
      String status;
      try {
        socket
            .getOutputStream()
            .write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        status =
            new String(
                socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
      } catch (java.net.SocketException reset) {
        status = "reset: " + reset.getMessage();
      }
      // The JDK server answers 431 or drops the connection; never the document.
      assertThat(status).doesNotContain(" 200");
    }
    String scrape = new String(metrics.scrape(config), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(scrape).doesNotContain("endpoint=\"config\",code=\"200\"");
  }

  @Test
  void health_andMetrics_areOnTheManagementPort() throws Exception {
    URI management = URI.create("http://127.0.0.1:" + server.managementAddress().getPort());
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(management.resolve("/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
    HttpResponse<String> scrape =
        http.send(
            HttpRequest.newBuilder(management.resolve("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.body())
        .contains("holdfast_agent_namespace_status{namespace=\"core\",status=\"FRESH\"} 1");
  }
}
