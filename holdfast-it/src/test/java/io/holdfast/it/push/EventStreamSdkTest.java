package io.holdfast.it.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.client.HoldfastClient;
import io.holdfast.it.AdminApi;
import io.holdfast.it.AdminHttp;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.TcpRelay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's watch through the checksums event stream, against real replicas on loopback: its
 * default; keep-alive loss on a blackholed replica noticed within a few keep-alives (where a long
 * poll would hang for its whole timeout); resumption after a cut; the long poll behind a proxy that
 * buffers streams; a rotated credential ending the stream.
 *
 * <p>Replicas send a keep-alive every second. The clients' watch timeout is long (20 s) on purpose:
 * a test that passes in less shows that the stream, not the long poll, carried the change or
 * noticed the failure.
 */
class EventStreamSdkTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WATCH_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration PROMPTLY = Duration.ofSeconds(8);

  @TempDir Path dataDir;

  private HoldfastServer a;
  private HoldfastServer b;
  private AdminApi admin;
  private final AdminHttp adminHttp = new AdminHttp();
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger sequence = new AtomicInteger();
  private String token;

  @BeforeEach
  void startReplicas() {
    a = HoldfastServer.start(config(), Clock.systemUTC());
    b = HoldfastServer.start(config(), Clock.systemUTC());
    admin = new AdminApi(adminHttp, a.port(), a.adminToken());
    admin.createNamespace("core");
    token = admin.createInstance("acme-prod", "live");
    publish();
  }

  @AfterEach
  void stopReplicas() {
    b.close();
    a.close();
  }

  private ServerConfig config() {
    return ServerConfig.builder(dataDir)
        .port(0)
        .refreshInterval(Duration.ofMillis(50))
        .streamKeepAlive(Duration.ofSeconds(1))
        .build();
  }

  private long publish() {
    return admin.publishLayer(
        "core", "default", "{\"seats\":{\"crm\":" + (100 + sequence.incrementAndGet()) + "}}");
  }

  private HoldfastClient.Builder client(List<URI> replicas) {
    return HoldfastClient.builder()
        .replicas(replicas)
        .instance("acme-prod", token)
        .trustedKey(a.verificationKey())
        .namespaces("core")
        .requestTimeout(Duration.ofSeconds(2))
        .watchTimeout(WATCH_TIMEOUT)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .heartbeatInterval(Duration.ZERO);
  }

  private static URI through(TcpRelay relay) {
    return URI.create("http://127.0.0.1:" + relay.port());
  }

  /** Watches and streams the replica holds open now, as its readiness reports. */
  private int waiting(HoldfastServer server) throws Exception {
    URI ready = URI.create("http://127.0.0.1:" + server.port() + "/health/ready");
    return JSON.readTree(
            http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString())
                .body())
        .path("watchers")
        .path("waiting")
        .asInt(-1);
  }

  private void awaitWaiting(HoldfastServer server, int count) {
    await()
        .atMost(PROMPTLY)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(waiting(server)).isEqualTo(count));
  }

  private static void awaitRevision(HoldfastClient client, long revision) {
    await()
        .atMost(PROMPTLY)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(client.snapshot("core").revision()).isEqualTo(revision));
  }

  @Test
  void stream_isTheDefault_andCarriesAPublishAtOnce() throws Exception {
    try (HoldfastClient client =
        client(List.of(URI.create("http://127.0.0.1:" + a.port()))).build()) {
      client.start();
      assertThat(client.awaitFresh(PROMPTLY)).isTrue();
      awaitWaiting(a, 1);

      long revision = publish();

      awaitRevision(client, revision);
      assertThat(waiting(a)).as("the stream stays open across changes").isEqualTo(1);
    }
  }

  @Test
  void A21_streamStallsSilently_keepAliveLossIsNoticed_andTheOtherReplicaServesTheChange()
      throws Exception {
    try (TcpRelay toA = TcpRelay.start("127.0.0.1", a.port());
        TcpRelay toB = TcpRelay.start("127.0.0.1", b.port());
        HoldfastClient client = client(List.of(through(toA), through(toB))).build()) {
      client.start();
      assertThat(client.awaitFresh(PROMPTLY)).isTrue();
      awaitWaiting(a, 1);

      toA.blackhole();
      long revision = publish();

      // A long poll held by the blackholed replica would answer only after 22 s.
      awaitRevision(client, revision);
      awaitWaiting(b, 1);
    }
  }

  @Test
  void stream_cutAndRestored_resumesAndMissesNothingPublishedMeanwhile() throws Exception {
    try (TcpRelay toA = TcpRelay.start("127.0.0.1", a.port());
        HoldfastClient client = client(List.of(through(toA))).build()) {
      client.start();
      assertThat(client.awaitFresh(PROMPTLY)).isTrue();
      awaitWaiting(a, 1);

      toA.cut();
      awaitWaiting(a, 0);
      long revision = publish();
      toA.restore();

      awaitRevision(client, revision);
      awaitWaiting(a, 1);
    }
  }

  @Test
  void stream_behindAProxyThatBuffersIt_fallsBackToTheLongPoll() throws Exception {
    // Buffered whole before it is written, a stream that the replica keeps open never shows a byte.
    try (FaultyReplica buffering = FaultyReplica.start(URI.create("http://127.0.0.1:" + a.port()));
        HoldfastClient client =
            client(List.of(buffering.uri())).watchTimeout(Duration.ofSeconds(2)).build()) {
      buffering.fault("/events", Fault.bufferStreams());
      client.start();
      assertThat(client.awaitFresh(PROMPTLY)).isTrue();

      long first = publish();
      awaitRevision(client, first);
      long second = publish();
      awaitRevision(client, second);
      assertThat(buffering.requests("/events")).as("the stream was tried").isPositive();
      assertThat(buffering.requests("/watch")).as("the long poll carried the changes").isPositive();
    }
  }

  @Test
  void stream_whoseCredentialIsRotated_ends_andIsNotReopenedWithTheOldCredential()
      throws Exception {
    List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (HoldfastClient client =
        client(List.of(URI.create("http://127.0.0.1:" + a.port()))).build()) {
      client.addFetchListener(event -> refusals.add(String.valueOf(event.reason())));
      client.start();
      assertThat(client.awaitFresh(PROMPTLY)).isTrue();
      awaitWaiting(a, 1);

      admin.call("POST", "/v1/admin/instances/acme-prod/credential", null);

      awaitWaiting(a, 0);
      await()
          .atMost(PROMPTLY)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> refusals.stream().anyMatch(reason -> reason.contains("401")));
      assertThat(waiting(a)).as("the old credential opens no new stream").isZero();
    }
  }
}
