package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.protocol.http.Backoff;
import io.holdfast.protocol.json.StrictJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How long the sync loop waits after a cycle in which every replica failed (issue 21, FAULTS B9):
 * short while nothing listens at the replicas' addresses, so a fleet is FRESH again soon after a
 * replica is back; the configured cap (a minute here, the default) for any other failure; and the
 * replica's {@code Retry-After} when it sheds load. Each cycle is real I/O on loopback, but the
 * waits are only returned, never slept; the jitter is pinned to its top.
 */
class SyncLoopRecoveryTest {

  private static final Duration CAP = Duration.ofMinutes(1);
  private static final TestDocuments DOCS = new TestDocuments();

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private static URI closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
  }

  /** A replica answering every request with {@code status} (and a Retry-After, if given). */
  private URI answering(int status, String retryAfter) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    closing.add(() -> server.stop(0));
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private SyncLoop loop(List<URI> replicas) {
    ManualTime time = new ManualTime();
    Random top =
        new Random() {
          @Override
          public double nextDouble() {
            return 0.999_999;
          }
        };
    ClientSettings settings =
        new ClientSettings(
            replicas,
            "acme-prod",
            "credential-credential-credential",
            Map.of(DOCS.key().keyId(), DOCS.key()),
            null,
            List.of("core"),
            null,
            Duration.ofHours(8),
            Duration.ofMinutes(5),
            Duration.ofSeconds(1),
            Duration.ZERO,
            false,
            Duration.ZERO,
            1 << 20,
            ExpiredPolicy.SERVE_LAST_KNOWN_GOOD,
            new SyncSettings(
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                Duration.ofMinutes(1),
                Duration.ofMillis(200),
                CAP,
                Duration.ofMinutes(5),
                true,
                false),
            time.ticker(),
            time.clock(),
            top,
            Map::of,
            Map.of(),
            null,
            Runnable::run);
    RecordingLogger log = new RecordingLogger();
    Map<String, NamespaceTracker> trackers = new LinkedHashMap<>();
    trackers.put(
        "core",
        new NamespaceTracker(
            "core",
            settings.gracePeriod(),
            settings.staleAfter(),
            settings.expiredPolicy(),
            time.ticker(),
            time.clock(),
            ConfigSnapshot::new,
            log));
    SigningTrust trust = new SigningTrust(settings.trustedKeys(), null, time.clock());
    Transport transport =
        new Transport(Duration.ofSeconds(1), settings.credential(), 1 << 20, "test", null, null);
    closing.add(transport::close);
    return SyncLoop.create(
        settings,
        trackers,
        transport,
        new DocumentVerifier(trust, "acme-prod", new StrictJson(1 << 20, 64)),
        new KeySetSync(trust, transport, null, trackers, Duration.ofSeconds(1), log),
        new ClockSkew(time.clock(), Duration.ofMinutes(5), log),
        new Validators(Map.of(), log),
        new Replicas(replicas, time.ticker()),
        null,
        new Listeners(log, Runnable::run),
        log,
        () -> {},
        () -> {});
  }

  private static List<Duration> waits(SyncLoop loop, int cycles) {
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < cycles; i++) {
      waits.add(loop.cycle());
    }
    return waits;
  }

  @Test
  void B9_everyReplicaRefuses_waitsStayUnderTheRefusedCap_notTheMinute() throws IOException {
    List<Duration> waits = waits(loop(List.of(closedPort(), closedPort())), 12);

    assertThat(waits).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Backoff.REFUSED_CAP));
    assertThat(waits.get(waits.size() - 1))
        .as("a long outage probes at about the refused cap")
        .isGreaterThan(Backoff.REFUSED_CAP.minusMillis(100));
  }

  @Test
  void B9_replicasAnswerWithErrors_backoffGrowsToTheConfiguredCap() throws IOException {
    List<Duration> waits = waits(loop(List.of(answering(502, null), closedPort())), 12);

    assertThat(waits.get(waits.size() - 1))
        .as("one replica is up and failing: asking it costs it work, so the full backoff applies")
        .isGreaterThan(CAP.minusSeconds(1));
  }

  @Test
  void B9_replicaShedsLoad_retryAfterHonoured_withJitterOnTop() throws IOException {
    List<Duration> waits = waits(loop(List.of(answering(503, "2"))), 3);

    assertThat(waits)
        .allSatisfy(w -> assertThat(w).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3)));
  }
}
