package io.holdfast.client.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.HoldfastClient;
import io.holdfast.protocol.signature.VerificationKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The binder against a real client whose one replica refuses connections. */
class HoldfastClientMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static URI closedReplica() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
  }

  private static HoldfastClient client(URI replica) throws GeneralSecurityException {
    return HoldfastClient.builder()
        .replicas(replica)
        .instance("acme-prod", "token-123")
        .trustedKey(
            VerificationKey.of(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()))
        .namespaces("core", "features")
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .startupTimeout(Duration.ZERO)
        .failWhenUnavailable(false)
        .heartbeatInterval(Duration.ZERO)
        .build();
  }

  private double gauge(String name, String namespace, String... tags) {
    return registry.get(name).tag("namespace", namespace).tags(tags).gauge().value();
  }

  @Test
  void beforeAnyDocument_statusIsInitializing_graceIsWhole_andNoVerificationAge() throws Exception {
    try (HoldfastClient client = client(closedReplica())) {
      new HoldfastClientMetrics(client).bindTo(registry);

      for (String namespace : new String[] {"core", "features"}) {
        assertThat(gauge("holdfast.client.status", namespace, "status", "initializing"))
            .isEqualTo(1);
        assertThat(gauge("holdfast.client.status", namespace, "status", "fresh")).isZero();
        assertThat(gauge("holdfast.client.status", namespace, "status", "stale")).isZero();
        assertThat(gauge("holdfast.client.status", namespace, "status", "expired")).isZero();
        assertThat(gauge("holdfast.client.grace.remaining", namespace))
            .isEqualTo(Duration.ofHours(8).toSeconds());
        assertThat(gauge("holdfast.client.verification.age", namespace)).isNaN();
      }
      assertThat(registry.get("holdfast.client.grace.remaining").gauge().getId().getBaseUnit())
          .isEqualTo("seconds");
    }
  }

  @Test
  void unreachableReplica_isCountedAndTimed_byKindOutcomeAndReplica() throws Exception {
    URI replica = closedReplica();
    try (HoldfastClient client = client(replica)) {
      new HoldfastClientMetrics(client).bindTo(registry);
      client.start();

      String hostPort = "127.0.0.1:" + replica.getPort();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                Counter counter =
                    registry
                        .find("holdfast.client.fetches")
                        .tags("kind", "checksums", "outcome", "unreachable", "replica", hostPort)
                        .counter();
                return counter != null && counter.count() >= 2;
              });
      assertThat(
              registry
                  .get("holdfast.client.fetch.duration")
                  .tags("kind", "checksums", "outcome", "unreachable", "replica", hostPort)
                  .timer()
                  .count())
          .isPositive();
    }
  }

  @Test
  void replicaTag_isHostAndPort_withTheSchemesDefaultPort() {
    assertThat(FetchMeters.hostAndPort(URI.create("https://config-a.example/")))
        .isEqualTo("config-a.example:443");
    assertThat(FetchMeters.hostAndPort(URI.create("http://config-b.example/")))
        .isEqualTo("config-b.example:80");
    assertThat(FetchMeters.hostAndPort(URI.create("http://10.0.0.7:7070/")))
        .isEqualTo("10.0.0.7:7070");
  }
}
