package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.HoldfastClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a client ends its threads promptly, even while a long-poll watch is held open. */
class ClientCloseTest {

  @Test
  void close_whileAWatchIsHeldOpen_returnsPromptlyAndLeavesNoSyncThread(@TempDir Path dir) throws Exception {
    try (ReplicaPair pair = ReplicaPair.start(dir.resolve("store"))) {
      pair.createNamespace("core");
      String token = pair.createInstance("close-1", "live");
      pair.publish("core", "default", "{\"a\":1}");
      HoldfastClient client = HoldfastClient.builder()
          .replicas(pair.replicas())
          .instance("close-1", token)
          .trustedKey(pair.key())
          .namespaces("core")
          .watchTimeout(Duration.ofSeconds(30))
          .heartbeatInterval(Duration.ZERO)
          .build();
      client.start();
      // The first cycle polls the checksums; the second one is a watch the server holds open.
      int seen = pair.proxyA().requests();
      assertThat(pair.proxyA().awaitRequests(seen + 1, Duration.ofSeconds(10))).isTrue();

      long start = System.nanoTime();
      client.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isLessThan(Duration.ofSeconds(3));
      assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("holdfast-client-sync") && t.isAlive());
    }
  }
}
