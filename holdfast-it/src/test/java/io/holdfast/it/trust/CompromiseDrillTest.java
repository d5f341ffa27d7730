package io.holdfast.it.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.Status;
import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook "a signing key leaked" (docs/operations.md) drilled end to end against real replicas.
 * The attacker holds the replicas' online key, signs a document of his own and checksums listing
 * it, and serves them from the fault proxies in front of the replicas.
 *
 * <p>Before the revocation the leaked key is as good as the replicas' own: every client adopts the
 * forgery. That is asserted, because it is the reason the runbook revokes first and fast. The
 * operators then publish a key set that lists a new key, revokes the leaked one and voids its
 * revisions (the attacker's was higher than the genuine one), and switch the replicas to the new
 * key. The attacker keeps serving through replica A's proxy a second forgery, now naming the new
 * key set's version as he reads it from the genuine checksums; replica B's proxy is his no more.
 * From then on no client adopts anything of his, and every client is FRESH again on the genuine
 * document, signed by the new key.
 *
 * <p>What this does not cover, by design of the protocol: an attacker who is a client's only path
 * and keeps naming the old key set's version can hold that client on his forgery until the key set
 * expires; the key set's expiry is the bound.
 */
class CompromiseDrillTest {

  private static final int FLEET = 10;
  private static final String INSTANCE = "acme-prod";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void forgeryAdoptedBeforeRevocation_neverAfter_andTheFleetIsFreshAgainOnTheNewKey()
      throws Exception {
    KeyPair leaked = SigningKeys.generate();
    KeyPair replacement = SigningKeys.generate();
    VerificationKey leakedPublic = SigningKeys.publicKey(leaked);
    VerificationKey replacementPublic = SigningKeys.publicKey(replacement);
    List<WatchedClient> fleet = new ArrayList<>();
    try (TrustedPair replicas = TrustedPair.start(dir.resolve("data"), Instant.now(), leaked)) {
      FaultyReplica proxyA = replicas.pair().proxyA();
      FaultyReplica proxyB = replicas.pair().proxyB();
      String credential = replicas.pair().createInstance(INSTANCE, "live");
      long genuine = replicas.pair().publish(TrustedPair.NAMESPACE, "default", "{\"attacker\":0}");
      until(() -> replicas.pair().serverB().snapshots().current().revision() >= genuine);
      ManualTime time = new ManualTime(Instant.now());
      for (int i = 0; i < FLEET; i++) {
        // A static forgery cannot hold a watch: these clients poll, every 100 ms.
        WatchedClient client =
            new WatchedClient(
                replicas.client(INSTANCE, credential, time).watch(false),
                dir.resolve("cache-" + i),
                "attacker");
        fleet.add(client);
        client.start();
        assertThat(client.client().awaitFresh(WAIT)).isTrue();
      }

      // The attack: both paths serve a forgery one revision ahead, signed by the leaked key.
      Forgery attacker = new Forgery(leaked);
      attack(proxyA, attacker, genuine + 1, 1, 1);
      attack(proxyB, attacker, genuine + 1, 1, 1);
      for (WatchedClient client : fleet) {
        until(() -> client.adopted().contains(1));
      }

      // The runbook: revoke the leaked key, void its revisions, switch the replicas.
      replicas.publishKeySet(
          replicas
              .root()
              .keySet(
                  2,
                  List.of(replacementPublic),
                  Set.of(leakedPublic.keyId()),
                  Optional.of(
                      new KeySet.Recovery(1, new TreeSet<>(Set.of(leakedPublic.keyId()))))));
      attack(proxyA, attacker, genuine + 2, 2, 2);
      proxyB.clear();
      proxyA.resetCount();
      int[] adoptedBefore = fleet.stream().mapToInt(client -> client.adopted().size()).toArray();
      replicas.switchSigningKey(replacement);

      for (WatchedClient client : fleet) {
        until(
            () ->
                client.client().status(TrustedPair.NAMESPACE).status() == Status.FRESH
                    && client.cachedSigners().equals(List.of(replacementPublic.keyId())));
        assertThat(client.client().snapshot(TrustedPair.NAMESPACE).getInt("attacker", -1)).isZero();
      }
      for (int i = 0; i < FLEET; i++) {
        List<Integer> adopted = fleet.get(i).adopted();
        assertThat(adopted.subList(adoptedBefore[i], adopted.size()))
            .as("what client %d adopted after the revocation was published", i)
            .containsOnly(0);
      }
      assertThat(proxyA.faulted())
          .as("forged answers served after the revocation was published")
          .isPositive();
    } finally {
      fleet.forEach(WatchedClient::close);
    }
  }

  /**
   * Serves, on {@code proxy}, a forged document of {@code revision} whose setting "attacker" is
   * {@code marker}, and checksums listing it that name key set {@code keySetVersion}.
   */
  private static void attack(
      FaultyReplica proxy, Forgery attacker, long revision, int marker, long keySetVersion) {
    Instant now = Instant.now();
    Forgery.Signed document =
        attacker.document(
            INSTANCE, TrustedPair.NAMESPACE, revision, now, "{\"attacker\":" + marker + "}");
    Forgery.Signed checksums =
        attacker.checksums(
            INSTANCE,
            TrustedPair.NAMESPACE,
            document,
            now.minus(Duration.ofMinutes(1)),
            Duration.ofHours(1),
            keySetVersion);
    proxy.clear();
    proxy.fault("/instances/" + INSTANCE + "/checksums", Fault.rawResponse(checksums.response()));
    proxy.fault(
        "/instances/" + INSTANCE + "/config/" + TrustedPair.NAMESPACE,
        Fault.rawResponse(document.response()));
  }

  private static void until(BooleanSupplier condition) {
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(condition::getAsBoolean);
  }
}
