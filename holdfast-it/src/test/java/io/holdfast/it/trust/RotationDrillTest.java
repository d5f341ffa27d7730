package io.holdfast.it.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.signature.VerificationKey;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbooks of docs/operations.md ("Key sets") drilled end to end: a fleet of SDK clients
 * pinning a root, on two replica processes sharing one store, through a routine signing-key
 * rotation and then a root rotation. The operator's steps wait only for what an operator can see
 * (what the replicas serve at {@code /v1/keyset} and {@code /v1/keys}), never for the clients; the
 * runbook promises that no client leaves FRESH on the way, and every status change is recorded.
 */
class RotationDrillTest {

  private static final int FLEET = 20;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void fleetStaysFresh_throughSigningKeyRotationAndRootRotation_andANewClientWalksTheChain()
      throws Exception {
    KeyPair oldKey = SigningKeys.generate();
    KeyPair newKey = SigningKeys.generate();
    VerificationKey oldPublic = SigningKeys.publicKey(oldKey);
    VerificationKey newPublic = SigningKeys.publicKey(newKey);
    OfflineRoot root = new OfflineRoot();
    List<WatchedClient> fleet = new ArrayList<>();
    try (ReplicaProcesses replicas = ReplicaProcesses.start(dir, oldKey)) {
      replicas.admin().createNamespace("core");
      List<String> credentials = new ArrayList<>();
      for (int i = 0; i < FLEET; i++) {
        credentials.add(replicas.admin().createInstance(instance(i), "live"));
      }
      replicas.admin().publishLayer("core", "default", "{\"v\":1}");
      replicas.publishKeySet(root.keySet(1, List.of(oldPublic), Set.of()));
      until(() -> replicas.allServeKeySet(1));
      for (int i = 0; i < FLEET; i++) {
        // Half the fleet prefers replica B, so that both serve clients throughout.
        List<URI> order = i % 2 == 0 ? replicas.uris() : replicas.uris().reversed();
        WatchedClient client =
            new WatchedClient(
                builder(order, instance(i), credentials.get(i), root.root()),
                dir.resolve("cache-" + i),
                "v");
        fleet.add(client);
        client.start();
      }
      for (WatchedClient client : fleet) {
        assertThat(client.client().awaitFresh(WAIT)).as("the fleet starts FRESH").isTrue();
      }

      // Routine rotation, steps 2 to 5: list both keys, switch the replicas, retire the old key.
      replicas.publishKeySet(root.keySet(2, List.of(oldPublic, newPublic), Set.of()));
      until(() -> replicas.allServeKeySet(2));
      replicas.installSigningKey(newKey);
      until(() -> replicas.allSignWith(newPublic.keyId()));
      // A change published while both keys are listed is signed by the new one only: the fleet
      // must take it FRESH (a key switched before the key set listing it would fail here).
      replicas.admin().publishLayer("core", "default", "{\"v\":2}");
      for (WatchedClient client : fleet) {
        until(() -> client.adopted().contains(2));
      }
      replicas.publishKeySet(root.keySet(3, List.of(newPublic), Set.of(oldPublic.keyId())));
      until(() -> replicas.allServeKeySet(3));
      for (WatchedClient client : fleet) {
        until(() -> client.cachedSigners().equals(List.of(newPublic.keyId())));
        assertThat(client.client().status("core").status()).isEqualTo(Status.FRESH);
      }

      // Root rotation: a key set signed by both roots names the new one; the next only by it.
      OfflineRoot newRoot = new OfflineRoot();
      replicas.publishKeySet(
          root.rotateTo(newRoot, 4, List.of(newPublic), Set.of(oldPublic.keyId())));
      until(() -> replicas.allServeKeySet(4));
      replicas.publishKeySet(newRoot.keySet(5, List.of(newPublic), Set.of(oldPublic.keyId())));
      until(() -> replicas.allServeKeySet(5));
      replicas.admin().publishLayer("core", "default", "{\"v\":3}");
      for (WatchedClient client : fleet) {
        until(() -> client.adopted().contains(3));
        assertThat(client.client().status("core").status()).isEqualTo(Status.FRESH);
        until(() -> client.cachedKeySetVersion() == 5);
      }

      // An application built before the root rotation, started only now: it walks the chain.
      try (WatchedClient late =
          new WatchedClient(
              builder(replicas.uris(), instance(0), credentials.get(0), root.root()),
              dir.resolve("cache-late"),
              "v")) {
        late.start();
        assertThat(late.client().awaitFresh(WAIT)).as("a late client on the old root").isTrue();
        assertThat(late.client().snapshot("core").getInt("v", -1)).isEqualTo(3);
        assertThat(late.cachedSigners()).containsExactly(newPublic.keyId());
      }

      for (WatchedClient client : fleet) {
        assertThat(client.departures())
            .as("status changes of a client through both rotations: %s", client.transitions())
            .isEmpty();
      }
    } finally {
      fleet.forEach(WatchedClient::close);
    }
  }

  private static String instance(int i) {
    return String.format("drill-%02d", i);
  }

  private static HoldfastClient.Builder builder(
      List<URI> replicas, String instance, String credential, RootKeys root) {
    return HoldfastClient.builder()
        .replicas(replicas)
        .instance(instance, credential)
        .trustedRoot(root)
        .namespaces("core")
        .requestTimeout(Duration.ofSeconds(2))
        .watchTimeout(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(500))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(200))
        .heartbeatInterval(Duration.ZERO);
  }

  private static void until(BooleanSupplier condition) {
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }
}
