package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.internal.DiskCache;
import io.holdfast.client.internal.TestDocuments;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FAULTS B4: an older, validly signed copy put back into the cache directory is not adopted. */
class DiskRollbackTest {

  private static final TestDocuments DOCS = new TestDocuments();

  private static URI closedReplica() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  private static HoldfastClient client(Path cache) throws IOException {
    return HoldfastClient.builder()
        .replicas(closedReplica())
        .instance(TestDocuments.INSTANCE, "token-123")
        .trustedKey(DOCS.key())
        .namespaces("core")
        .cacheDirectory(cache)
        .startupTimeout(Duration.ZERO)
        .failWhenUnavailable(false)
        .heartbeatInterval(Duration.ZERO)
        .build();
  }

  private static void store(Path cache, long revision, String content) {
    try (DiskCache disk = DiskCache.open(cache, TestDocuments.INSTANCE, System.getLogger("test"))) {
      disk.save("core", DOCS.document("core", revision, content), Instant.now(), Duration.ZERO);
    }
  }

  @Test
  void B4_olderSignedCopyPutBack_isRefusedAndSetAside(@TempDir Path cache) throws IOException {
    store(cache, 7, "{\"seats\":25}");
    store(cache, 3, "{\"seats\":0}"); // an old copy restored over the newer one

    try (HoldfastClient client = client(cache)) {
      client.start();
      ConfigSnapshot core = client.snapshot("core");
      assertThat(core.status()).isEqualTo(Status.INITIALIZING);
      assertThat(core.getInt("seats", -1)).isEqualTo(-1);
    }
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .anyMatch(name -> name.endsWith(".lkg.corrupt"));
    }
  }

  @Test
  void B4_newestCopy_isStillServedFromDisk(@TempDir Path cache) throws IOException {
    store(cache, 3, "{\"seats\":10}");
    store(cache, 7, "{\"seats\":25}");

    try (HoldfastClient client = client(cache)) {
      client.start();
      ConfigSnapshot core = client.snapshot("core");
      assertThat(core.status()).isEqualTo(Status.STALE);
      assertThat(core.revision()).isEqualTo(7);
      assertThat(core.getInt("seats", -1)).isEqualTo(25);
    }
  }

  @Test
  void highWaterMark_risesWithSavesAndNeverFalls(@TempDir Path cache) {
    try (DiskCache disk = DiskCache.open(cache, TestDocuments.INSTANCE, System.getLogger("test"))) {
      assertThat(disk.highWaterMark("core")).isZero();
      disk.save("core", DOCS.document("core", 5, "{}"), Instant.now(), Duration.ZERO);
      assertThat(disk.highWaterMark("core")).isEqualTo(5);
      disk.save("core", DOCS.document("core", 2, "{}"), Instant.now(), Duration.ZERO);
      assertThat(disk.highWaterMark("core")).isEqualTo(5);
      assertThat(disk.highWaterMark("features")).isZero();
    }
  }
}
