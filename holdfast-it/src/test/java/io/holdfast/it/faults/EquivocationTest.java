package io.holdfast.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.it.AdminApi;
import io.holdfast.it.AdminHttp;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.ManualTime;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS A17: two replicas whose stores diverged serve the same revision with different content,
 * both validly signed (they share the key). The client keeps the first one it verified, refuses the
 * other as equivocation and says so, instead of flipping between them.
 */
class EquivocationTest {

  private static final String ADMIN_TOKEN = "hfa_equivocation_test_token";

  @Test
  void A17_sameRevisionDifferentContentOnAnotherReplica_isRefused_andTheFirstIsKept(
      @TempDir Path dir) throws Exception {
    Path storeA = dir.resolve("a");
    Path storeB = dir.resolve("b");
    try (HoldfastServer a = HoldfastServer.start(config(storeA))) {
      Files.createDirectories(storeB);
      Files.copy(storeA.resolve("signing-key.pem"), storeB.resolve("signing-key.pem"));
      try (HoldfastServer b = HoldfastServer.start(config(storeB));
          FaultyReplica proxyA = FaultyReplica.start(uri(a));
          FaultyReplica proxyB = FaultyReplica.start(uri(b))) {
        // The same operations on both stores give the same revision numbers, but different seats.
        long revisionA = seed(a, 25);
        long revisionB = seed(b, 0);
        assertThat(revisionB).isEqualTo(revisionA);
        assertThat(b.verificationKey().keyId()).isEqualTo(a.verificationKey().keyId());

        ManualTime time = new ManualTime();
        try (HoldfastClient client =
            HoldfastClient.builder()
                .replicas(proxyA.uri(), proxyB.uri())
                .instance("acme-prod", ADMIN_TOKEN)
                .trustedKey(a.verificationKey())
                .namespaces("core")
                .ticker(time.ticker())
                .clock(time.clock())
                .watchTimeout(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(100))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .heartbeatInterval(Duration.ZERO)
                .build()) {
          client.start();
          assertThat(client.snapshot("core").getInt("seats.crm", -1)).isEqualTo(25);

          proxyA.fault(Fault.refuseConnections());
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> client.status("core").status() == Status.STALE);

          assertThat(client.status("core").reason()).contains("equivocation");
          assertThat(client.snapshot("core").revision()).isEqualTo(revisionA);
          assertThat(client.snapshot("core").getInt("seats.crm", -1)).isEqualTo(25);
        }
      }
    }
  }

  private static ServerConfig config(Path store) {
    return ServerConfig.builder(store)
        .port(0)
        .adminToken(ADMIN_TOKEN)
        .refreshInterval(Duration.ofMillis(50))
        .build();
  }

  private static URI uri(HoldfastServer server) {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** Creates the namespace and instance and publishes the seats; returns the revision. */
  private static long seed(HoldfastServer server, int seats) {
    try (AdminHttp http = new AdminHttp()) {
      AdminApi admin = new AdminApi(http, server.port(), ADMIN_TOKEN);
      admin.createNamespace("core");
      admin.createInstance("acme-prod", "live");
      admin.stage("core", "default", "{\"seats\":{\"crm\":" + seats + "}}");
      return admin.publish("core", "seed");
    }
  }
}
