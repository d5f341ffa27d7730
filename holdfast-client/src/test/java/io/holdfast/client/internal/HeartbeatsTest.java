package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.client.ApplicationHealth;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.HoldfastClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HeartbeatsTest {

  private static final TestDocuments DOCS = new TestDocuments();

  private final ManualTime time = new ManualTime();
  private final RecordingLogger log = new RecordingLogger();
  private final Map<String, NamespaceTracker> trackers = new LinkedHashMap<>();
  private final AtomicReference<ApplicationHealth> applicationHealth = new AtomicReference<>();

  private static URI closedReplica() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
  }

  private Heartbeats heartbeats(Duration interval, Supplier<Map<String, Long>> seats)
      throws IOException {
    trackers.put(
        "core",
        new NamespaceTracker(
            "core",
            Duration.ofHours(8),
            Duration.ofMinutes(5),
            ExpiredPolicy.SERVE_LAST_KNOWN_GOOD,
            time.ticker(),
            time.clock(),
            ConfigSnapshot::new,
            log));
    Replicas replicas = new Replicas(List.of(closedReplica()), time.ticker());
    Transport transport =
        new Transport(Duration.ofSeconds(1), "token", 1 << 20, "test", null, null);
    // A loop that never ran: no success and no error yet.
    SyncProgress loop =
        new SyncProgress() {
          @Override
          public String lastError() {
            return null;
          }

          @Override
          public Instant lastSuccess() {
            return null;
          }
        };
    return new Heartbeats(
        TestDocuments.INSTANCE,
        trackers,
        replicas,
        transport,
        loop,
        interval,
        Duration.ofSeconds(1),
        time.clock(),
        new Random(1),
        "0.1.0",
        seats,
        applicationHealth::get,
        null,
        log);
  }

  @Test
  void B12_aThrowingSeatsSupplier_doesNotEndTheHeartbeats() throws Exception {
    CountDownLatch beats = new CountDownLatch(3);
    Heartbeats heartbeats =
        heartbeats(
            Duration.ofMillis(20),
            () -> {
              beats.countDown();
              throw new IllegalStateException("seat counter unavailable");
            });
    try {
      heartbeats.start();

      assertThat(beats.await(20, TimeUnit.SECONDS))
          .as("three beats despite the failing supplier")
          .isTrue();
      assertThat(log.lines())
          .anyMatch(
              l ->
                  l.message().contains("heartbeat not sent")
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
      assertThat(report.path("namespaces").path("core").path("etag").asText())
          .isEqualTo(document.etag());
      assertThat(report.path("namespaces").path("core").path("status").asText()).isEqualTo("STALE");
      assertThat(report.path("namespaces").path("core").path("reason").asText())
          .isEqualTo("replica-a: unreachable");
      assertThat(report.path("seatsInUse").path("crm").asLong()).isEqualTo(12);
    } finally {
      heartbeats.close();
    }
  }

  /** The value as the client holds it once told: stamped with the time of the change. */
  private ApplicationHealth reported(ApplicationHealth health) {
    try (HoldfastClient client =
        HoldfastClient.builder()
            .replicas(URI.create("http://127.0.0.1:9"))
            .instance(TestDocuments.INSTANCE, "token")
            .trustedKey(DOCS.key())
            .namespaces("core")
            .clock(time.clock())
            .build()) {
      client.reportApplicationHealth(health);
      return client.applicationHealth().orElseThrow();
    }
  }

  @Test
  void report_hasNoApplicationMember_untilTheApplicationReportsItsHealth() throws Exception {
    Heartbeats heartbeats = heartbeats(Duration.ofMinutes(1), Map::of);
    try {
      assertThat(heartbeats.report().has("application")).isFalse();

      applicationHealth.set(reported(ApplicationHealth.failing("checkout error rate 12 %")));

      ObjectNode application = (ObjectNode) heartbeats.report().get("application");
      assertThat(application.path("status").asText()).isEqualTo("FAILING");
      assertThat(application.path("reason").asText()).isEqualTo("checkout error rate 12 %");
      assertThat(application.path("since").asText()).isEqualTo(time.now().toString());
      assertThat(application.size()).isEqualTo(3);
    } finally {
      heartbeats.close();
    }
  }

  @Test
  void report_withoutAReason_sendsNull() throws Exception {
    Heartbeats heartbeats = heartbeats(Duration.ofMinutes(1), Map::of);
    try {
      applicationHealth.set(reported(ApplicationHealth.ok()));

      ObjectNode application = (ObjectNode) heartbeats.report().get("application");
      assertThat(application.path("status").asText()).isEqualTo("OK");
      assertThat(application.get("reason").isNull()).isTrue();
    } finally {
      heartbeats.close();
    }
  }

  @Test
  void cut_keepsAtMostTheLimit_andNeverHalfASurrogatePair() {
    assertThat(Heartbeats.cut("abc", 3)).isEqualTo("abc");
    assertThat(Heartbeats.cut("abcd", 3)).isEqualTo("abc");
    assertThat(Heartbeats.cut("ab\uD83D\uDE00", 3)).isEqualTo("ab");
    assertThat(Heartbeats.cut("a\uD83D\uDE00b", 3)).isEqualTo("a\uD83D\uDE00");
  }
}
