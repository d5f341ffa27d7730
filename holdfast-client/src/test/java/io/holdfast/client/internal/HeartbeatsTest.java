package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.client.ExpiredPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HeartbeatsTest {

  private static final TestDocuments DOCS = new TestDocuments();

  private final ManualTime time = new ManualTime();
  private final RecordingLogger log = new RecordingLogger();
  private final Map<String, NamespaceTracker> trackers = new LinkedHashMap<>();

  private static URI closedReplica() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
  }

  private Heartbeats heartbeats(Duration interval, Supplier<Map<String, Long>> seats) throws IOException {
    trackers.put("core", new NamespaceTracker("core", Duration.ofHours(8), Duration.ofMinutes(5),
        ExpiredPolicy.SERVE_LAST_KNOWN_GOOD, time.ticker(), time.clock(), new JsonPaths(), log));
    Replicas replicas = new Replicas(List.of(closedReplica()), time.ticker());
    Transport transport = new Transport(Duration.ofSeconds(1), "token", 1 << 20, "test", null, null);
    SyncLoop loop = new SyncLoop(TestDocuments.INSTANCE, List.of("core"), trackers, transport, DOCS.verifier(), replicas,
        null, new Listeners(log), new SyncSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(1), false),
        time.ticker(), time.clock(), new Random(1), log, () -> { });
    return new Heartbeats(TestDocuments.INSTANCE, trackers, replicas, transport, loop, interval, Duration.ofSeconds(1),
        time.clock(), new Random(1), "0.1.0", seats, log);
  }

  @Test
  void B12_aThrowingSeatsSupplier_doesNotEndTheHeartbeats() throws Exception {
    CountDownLatch beats = new CountDownLatch(3);
    Heartbeats heartbeats = heartbeats(Duration.ofMillis(20), () -> {
      beats.countDown();
      throw new IllegalStateException("seat counter unavailable");
    });
    try {
      heartbeats.start();

      assertThat(beats.await(20, TimeUnit.SECONDS)).as("three beats despite the failing supplier").isTrue();
      assertThat(log.lines()).anyMatch(l -> l.message().contains("heartbeat not sent")
          && l.message().contains("seat counter unavailable"));
    } finally {
      heartbeats.close();
    }
  }

  @Test
  void report_namesEachNamespacesRevisionEtagAndStatus_andTheSeatsInUse() throws Exception {
    Heartbeats heartbeats = heartbeats(Duration.ofMinutes(1), () -> Map.of("crm", 12L));
    try {
      VerifiedDocument document = DOCS.document("core", 5, "{\"seats\":40}");
      trackers.get("core").adopt(document, "replica-a");
      trackers.get("core").fail("replica-a: unreachable");

      ObjectNode report = heartbeats.report();

      assertThat(report.path("sdkVersion").asText()).isEqualTo("0.1.0");
      assertThat(report.path("sentAt").asText()).isEqualTo(time.now().toString());
      assertThat(report.path("namespaces").path("core").path("revision").asLong()).isEqualTo(5);
      assertThat(report.path("namespaces").path("core").path("etag").asText()).isEqualTo(document.etag());
      assertThat(report.path("namespaces").path("core").path("status").asText()).isEqualTo("STALE");
      assertThat(report.path("namespaces").path("core").path("reason").asText()).isEqualTo("replica-a: unreachable");
      assertThat(report.path("seatsInUse").path("crm").asLong()).isEqualTo(12);
    } finally {
      heartbeats.close();
    }
  }
}
