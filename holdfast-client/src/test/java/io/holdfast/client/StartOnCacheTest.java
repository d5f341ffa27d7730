package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.internal.DiskCache;
import io.holdfast.client.internal.TestDocuments;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's rule at start-up: with every replica down and a verified disk copy, the application
 * starts on the copy as soon as each replica has refused, not after the start-up timeout. The
 * timeouts below are an hour, so a start-up that waited them out fails the test's own timeout.
 */
class StartOnCacheTest {

  private static final TestDocuments DOCS = new TestDocuments();

  private static URI closedReplica() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  private static HoldfastClient.Builder client(Path cache) throws IOException {
    return HoldfastClient.builder()
        .replicas(closedReplica(), closedReplica())
        .instance(TestDocuments.INSTANCE, "token-123")
        .trustedKey(DOCS.key())
        .cacheDirectory(cache)
        .startupTimeout(Duration.ofHours(1))
        .heartbeatInterval(Duration.ZERO);
  }

  private static void store(Path cache, String namespace, long revision, String content) {
    try (DiskCache disk = DiskCache.open(cache, TestDocuments.INSTANCE, System.getLogger("test"))) {
      disk.save(
          namespace, DOCS.document(namespace, revision, content), Instant.now(), Duration.ZERO);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyReplicaRefusing_withADiskCopyOfEachNamespace_startsAtOnceOnTheCopies(
      @TempDir Path cache) throws IOException {
    store(cache, "core", 7, "{\"seats\":25}");
    store(cache, "features", 2, "{\"beta\":true}");

    try (HoldfastClient client = client(cache).namespaces("core", "features").build()) {
      client.start();

      assertThat(client.snapshot("core").status()).isEqualTo(Status.STALE);
      assertThat(client.snapshot("core").getInt("seats", -1)).isEqualTo(25);
      assertThat(client.snapshot("features").getBoolean("beta", false)).isTrue();
      assertThat(client.snapshot("core").freshness().reason()).contains("replicas tried");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aNamespaceWithoutADiskCopy_keepsStartUpWaitingForAReplica(@TempDir Path cache)
      throws Exception {
    store(cache, "core", 7, "{\"seats\":25}");

    try (HoldfastClient client =
        client(cache)
            .namespaces("core", "features")
            .startupTimeout(Duration.ofMillis(1500))
            .failWhenUnavailable(false)
            .build()) {
      long begun = System.nanoTime();
      client.start();

      // No copy of features: start-up waited its whole (short) timeout for a replica.
      assertThat(Duration.ofNanos(System.nanoTime() - begun))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
      assertThat(client.snapshot("features").status()).isEqualTo(Status.INITIALIZING);
      assertThat(client.snapshot("core").status()).isEqualTo(Status.STALE);
    }
  }
}
