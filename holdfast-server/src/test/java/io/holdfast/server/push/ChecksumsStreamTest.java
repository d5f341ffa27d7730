package io.holdfast.server.push;

import static io.holdfast.server.push.OpenStream.ENDED;
import static io.holdfast.server.push.OpenStream.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.config.EdgeSettings;
import io.holdfast.server.config.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checksums event stream: what an event carries (exactly what {@code GET /checksums} answers),
 * resumption by {@code Last-Event-ID}, keep-alives, and the long poll's limits and endings: the
 * caps (FAULTS F5), credential rotation, the replica's stop. A client that goes away frees its
 * place at the next keep-alive, so tests that need it use a 1 s keep-alive.
 *
 * <p>A stream is known to be registered once the replica's readiness counts it as a waiting
 * watcher, so no test sleeps.
 */
class ChecksumsStreamTest {

  private static final String CHECKSUMS = "/v1/instances/acme-prod/checksums";
  private static final String EVENTS = "/v1/instances/acme-prod/events";
  private static final Duration AT_ONCE = Duration.ofSeconds(5);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  @TempDir Path dataDir;

  private ServerFixture server;
  private String token;

  private void start(UnaryOperator<ServerConfig.Builder> configure) {
    server = ServerFixture.startConfigured(dataDir, configure);
    server.createNamespace("core");
    token = server.createInstance("acme-prod", "live");
    publish();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private long publish() {
    return server.publishLayer(
        "core", "default", "{\"seats\":{\"crm\":" + (100 + SEQUENCE.incrementAndGet()) + "}}");
  }

  private OpenStream open(String... headers) throws Exception {
    return new OpenStream(server.uri(EVENTS), token, headers);
  }

  private int waiting() {
    return ServerFixture.json(server.get("/health/ready", null))
        .path("watchers")
        .path("waiting")
        .asInt(-1);
  }

  private void awaitWaiting(int count) {
    await()
        .atMost(AT_ONCE)
        .pollInterval(Duration.ofMillis(10))
        .untilAsserted(() -> assertThat(waiting()).isEqualTo(count));
  }

  private static JsonNode data(List<String> event) throws Exception {
    return ServerFixture.JSON.readTree(field(event, "data"));
  }

  private static String header(HttpResponse<byte[]> response, String name) {
    return response.headers().firstValue(name).orElseThrow();
  }

  @Test
  void stream_opensWithACommentAtOnce_thenCarriesExactlyWhatGetChecksumsAnswers() throws Exception {
    start(config -> config);
    HttpResponse<byte[]> checksums = server.get(CHECKSUMS, token);
    try (OpenStream stream = open()) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream");
      assertThat(stream.header("Cache-Control")).contains("no-store");
      assertThat(stream.header("Holdfast-Keep-Alive")).isEqualTo("15");
      assertThat(stream.next(AT_ONCE).get(0)).startsWith(":");

      List<String> event = stream.nextEvent(AT_ONCE);
      assertThat(field(event, "event")).isEqualTo("checksums");
      assertThat(field(event, "id")).isEqualTo(header(checksums, "ETag"));
      JsonNode data = data(event);
      assertThat(Base64.getDecoder().decode(data.get("body").asText())).isEqualTo(checksums.body());
      assertThat(data.get("etag").asText()).isEqualTo(header(checksums, "ETag"));
      assertThat(data.get("revision").asText()).isEqualTo(header(checksums, "Holdfast-Revision"));
      assertThat(data.get("reprDigest").asText()).isEqualTo(header(checksums, "Repr-Digest"));
      assertThat(data.get("signature").asText()).isEqualTo(header(checksums, "Holdfast-Signature"));
    }
  }

  @Test
  void stream_resumedWithTheCurrentId_sendsNothingUntilAChange_thenOnlyTheNewChecksums()
      throws Exception {
    start(config -> config);
    String current = header(server.get(CHECKSUMS, token), "ETag");
    try (OpenStream stream = open("Last-Event-ID", current)) {
      awaitWaiting(1);
      long revision = publish();

      List<String> event = stream.nextEvent(AT_ONCE);
      HttpResponse<byte[]> now = server.get(CHECKSUMS, token);
      assertThat(field(event, "id")).isEqualTo(header(now, "ETag")).isNotEqualTo(current);
      assertThat(data(event).get("revision").asLong()).isEqualTo(revision);
    }
  }

  @Test
  void stream_resumedWithAnOldId_getsTheCurrentChecksumsAtOnce() throws Exception {
    start(config -> config);
    String old = header(server.get(CHECKSUMS, token), "ETag");
    publish();
    String current = header(server.get(CHECKSUMS, token), "ETag");
    try (OpenStream stream = open("Last-Event-ID", old)) {
      assertThat(field(stream.nextEvent(AT_ONCE), "id")).isEqualTo(current);
    }
  }

  @Test
  void stream_whileNothingChanges_carriesAKeepAliveCommentEveryInterval() throws Exception {
    start(config -> config.streamKeepAlive(Duration.ofSeconds(1)));
    try (OpenStream stream = open()) {
      assertThat(stream.header("Holdfast-Keep-Alive")).isEqualTo("1");
      stream.next(AT_ONCE); // the opening comment
      assertThat(field(stream.next(AT_ONCE), "event")).isEqualTo("checksums");
      assertThat(stream.next(Duration.ofSeconds(3))).containsExactly(": keep-alive");
      assertThat(stream.next(Duration.ofSeconds(3))).containsExactly(": keep-alive");
    }
  }

  @Test
  void stream_whoseCredentialIsRotated_endsPromptly_andFreesItsPlace() throws Exception {
    start(config -> config);
    try (OpenStream stream = open()) {
      stream.nextEvent(AT_ONCE);
      awaitWaiting(1);

      server.admin("POST", "/v1/admin/instances/acme-prod/credential", null);

      assertThat(stream.nextEvent(AT_ONCE)).isSameAs(ENDED);
      awaitWaiting(0);
      assertThat(open().status()).as("the old credential opens no new stream").isEqualTo(401);
    }
  }

  @Test
  void stream_whenTheReplicaStops_endsPromptly() throws Exception {
    start(config -> config);
    try (OpenStream stream = open()) {
      stream.nextEvent(AT_ONCE);
      awaitWaiting(1);
      Thread closer = Thread.ofVirtual().start(server::close);

      assertThat(stream.nextEvent(AT_ONCE)).isSameAs(ENDED);
      closer.join(AT_ONCE.toMillis());
      assertThat(closer.isAlive()).isFalse();
      server = null;
    }
  }

  @Test
  void F5_streamsBeyondTheInstancesShare_are429_sharedWithTheLongPoll() throws Exception {
    EdgeSettings edge = EdgeSettings.DEFAULTS;
    start(
        config ->
            config
                .streamKeepAlive(Duration.ofSeconds(1))
                .edge(
                    new EdgeSettings(
                        edge.idleTimeout(),
                        edge.headerTimeout(),
                        edge.requestTimeout(),
                        edge.maxConnections(),
                        edge.maxConnectionsPerAddress(),
                        1,
                        edge.maxRequestsPerInstance(),
                        edge.maxAdminRequests())));
    String etag = header(server.get(CHECKSUMS, token), "ETag");
    try (OpenStream first = open()) {
      assertThat(first.status()).isEqualTo(200);
      awaitWaiting(1);
      try (OpenStream second = open()) {
        assertThat(second.status()).isEqualTo(429);
        assertThat(new String(second.body().readAllBytes(), StandardCharsets.UTF_8))
            .contains("too-many-requests");
      }
      HttpResponse<byte[]> watch =
          server.get(
              "/v1/instances/acme-prod/watch?etag="
                  + java.net.URLEncoder.encode(etag, StandardCharsets.UTF_8)
                  + "&timeout=1s",
              token);
      assertThat(watch.statusCode()).as("a long poll shares the place").isEqualTo(429);
    }
    awaitWaiting(0);
    try (OpenStream again = open()) {
      assertThat(again.status()).as("the place is free again").isEqualTo(200);
    }
  }

  @Test
  void stream_beyondMaxWatchers_is503TooManyWatchers_andTheLimitFreesUpAgain() throws Exception {
    start(config -> config.maxWatchers(1).streamKeepAlive(Duration.ofSeconds(1)));
    try (OpenStream first = open()) {
      assertThat(first.status()).isEqualTo(200);
      awaitWaiting(1);
      try (OpenStream second = open()) {
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(new String(second.body().readAllBytes(), StandardCharsets.UTF_8))
            .contains("too-many-watchers");
      }
    }
    awaitWaiting(0);
    try (OpenStream again = open()) {
      assertThat(again.status()).as("the place is free again").isEqualTo(200);
    }
  }
}
