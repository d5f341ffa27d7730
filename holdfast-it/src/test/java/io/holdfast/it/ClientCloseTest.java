package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.client.HoldfastClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a client ends its threads promptly, even while a long-poll watch is held open. */
class ClientCloseTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void close_whileAWatchIsHeldOpen_returnsPromptlyAndLeavesNoSyncThread(@TempDir Path dir)
      throws Exception {
    try (ReplicaPair pair = ReplicaPair.start(dir.resolve("store"))) {
      pair.createNamespace("core");
      String token = pair.createInstance("close-1", "live");
      pair.publish("core", "default", "{\"a\":1}");
      HoldfastClient client =
          HoldfastClient.builder()
              .replicas(pair.replicas())
              .instance("close-1", token)
              .trustedKey(pair.key())
              .namespaces("core")
              .watchTimeout(Duration.ofSeconds(30))
              .heartbeatInterval(Duration.ZERO)
              .build();
      client.start();
      // The first cycle polls the checksums; the next one is a watch the server holds open.
      HttpClient http = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + pair.serverA().port() + "/health/ready");
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  JSON.readTree(
                              http.send(
                                      HttpRequest.newBuilder(ready).build(),
                                      HttpResponse.BodyHandlers.ofString())
                                  .body())
                          .path("watchers")
                          .path("waiting")
                          .asInt()
                      >= 1);

      long start = System.nanoTime();
      client.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isLessThan(Duration.ofSeconds(3));
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().equals("holdfast-client-sync") && t.isAlive());
    }
  }
}
