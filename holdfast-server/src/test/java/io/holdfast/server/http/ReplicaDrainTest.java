package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopping replica drains (issue 23): it turns not-ready at once and sends its watches elsewhere
 * (a held long poll answers early marked {@code Holdfast-Draining}, a held stream ends, a new watch
 * is refused with 503 {@code draining}), while it still serves reads for the drain delay; then it
 * stops. The delay here is long and ended by interrupting the stop, so no step waits on time.
 */
class ReplicaDrainTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aStoppingReplica_isNotReady_releasesItsWatches_andStillServesReads(@TempDir Path dir)
      throws Exception {
    ServerFixture server =
        ServerFixture.startConfigured(dir, config -> config.drainDelay(Duration.ofMinutes(5)));
    Thread stopping = null;
    try {
      server.createNamespace("core");
      String token = server.createInstance("acme-prod", "live");
      HttpTestSupport.stage(server, "core", "default", "{\"seats\":{\"crm\":25}}");
      HttpTestSupport.publish(server, "core");
      String etag = header(server.get("/v1/instances/acme-prod/checksums", token), "ETag");
      CompletableFuture<HttpResponse<byte[]>> watch =
          http.sendAsync(
              request(
                      server,
                      "/v1/instances/acme-prod/watch?etag=" + encode(etag) + "&timeout=60s",
                      token)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<InputStream> stream =
          http.send(
              request(server, "/v1/instances/acme-prod/events", token)
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(stream.statusCode()).isEqualTo(200);
      InputStream events = stream.body();
      await("the watch and the stream wait")
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> json(server.get("/health/ready", null)).at("/watchers/waiting").asInt() == 2);

      stopping = Thread.ofPlatform().start(server::close);

      HttpResponse<byte[]> released = watch.get(10, TimeUnit.SECONDS);
      assertThat(released.statusCode()).as("answered early: nothing changed").isEqualTo(304);
      assertThat(header(released, "Holdfast-Draining")).isEqualTo("true");
      assertThat(readToEnd(events)).as("the stream ended").isTrue();

      HttpResponse<byte[]> ready = server.get("/health/ready", null);
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(json(ready).get("status").asText()).isEqualTo("draining");
      HttpResponse<byte[]> readyOnManagement = server.getManagement("/health/ready");
      assertThat(readyOnManagement.statusCode()).isEqualTo(503);

      HttpResponse<byte[]> document = server.get("/v1/instances/acme-prod/config/core", token);
      assertThat(document.statusCode()).as("reads are still served").isEqualTo(200);

      HttpResponse<byte[]> newWatch =
          server.get("/v1/instances/acme-prod/watch?etag=" + encode(etag) + "&timeout=60s", token);
      HttpTestSupport.assertProblem(newWatch, ProblemType.DRAINING);
      assertThat(header(newWatch, "Holdfast-Draining")).isEqualTo("true");
      assertThat(header(newWatch, "Retry-After")).isEqualTo("1");
      HttpResponse<byte[]> newStream =
          server.get("/v1/instances/acme-prod/events", token, "Accept", "text/event-stream");
      HttpTestSupport.assertProblem(newStream, ProblemType.DRAINING);
    } finally {
      if (stopping == null) {
        stopping = Thread.ofPlatform().start(server::close);
      }
      stopping.interrupt(); // ends the drain delay: the stop goes on at once
      stopping.join(Duration.ofSeconds(30));
    }
    assertThat(stopping.isAlive()).as("the stop finished").isFalse();
    assertThatThrownBy(() -> server.get("/health/live", null)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void withoutADrainDelay_aStopIsImmediate_andHeldWatchesAreStillMarked(@TempDir Path dir)
      throws Exception {
    ServerFixture server = ServerFixture.start(dir);
    CompletableFuture<HttpResponse<byte[]>> watch;
    try {
      server.createNamespace("core");
      String token = server.createInstance("acme-prod", "live");
      String etag = header(server.get("/v1/instances/acme-prod/checksums", token), "ETag");
      watch =
          http.sendAsync(
              request(
                      server,
                      "/v1/instances/acme-prod/watch?etag=" + encode(etag) + "&timeout=60s",
                      token)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      await("the watch waits")
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> json(server.get("/health/ready", null)).at("/watchers/waiting").asInt() == 1);
    } finally {
      server.close();
    }
    HttpResponse<byte[]> released = watch.get(10, TimeUnit.SECONDS);
    assertThat(released.statusCode()).isEqualTo(304);
    assertThat(header(released, "Holdfast-Draining")).isEqualTo("true");
  }

  private static String encode(String etag) {
    return URLEncoder.encode(etag, StandardCharsets.UTF_8);
  }

  private static HttpRequest.Builder request(ServerFixture server, String path, String token) {
    return HttpRequest.newBuilder(server.uri(path))
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(90));
  }

  /** Reads until the stream ends; {@code false} if it is still open after 10 s. */
  private static boolean readToEnd(InputStream events) throws Exception {
    CompletableFuture<Boolean> ended =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                while (events.read() >= 0) {
                  // the opening comment and the first event, then the end
                }
                return true;
              } catch (IOException e) {
                return true; // cut rather than ended: gone either way
              }
            });
    try {
      return ended.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }
}
