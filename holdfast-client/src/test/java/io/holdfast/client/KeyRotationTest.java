package io.holdfast.client;

import static io.holdfast.client.RootedClients.core;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.internal.TestDocuments;
import io.holdfast.client.internal.TestKeySets;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.SignedKeySet;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS D9 through the real client: a key set that revokes the online key is followed, the held
 * document is fetched again without {@code If-None-Match} (a re-signed document keeps its ETag),
 * nothing signed by the revoked key is adopted, and root rotations are walked step by step.
 */
class KeyRotationTest {

  private final RootedClients rooted = new RootedClients();
  private final TestDocuments oldKey = new TestDocuments();
  private final TestDocuments newKey = new TestDocuments();

  @TempDir Path cache;

  /** Version 2: lists the new key, revokes the old one. */
  private SignedKeySet revokingTheOldKey() {
    return TestKeySets.sign(
        TestKeySets.keySet(
            2, rooted.root, List.of(oldKey.key().keyId()), Optional.empty(), newKey.key()),
        rooted.rootPair);
  }

  @Test
  void D9_aKeySetRevokingTheSigningKey_whileTheReplicaResigns_refetchesAndIsFreshAgain() {
    try (KeySetReplica replica = rooted.replica(oldKey);
        HoldfastClient client = rooted.startedFresh(replica, cache)) {
      int unconditionalBefore = replica.unconditionalDocumentRequests();

      replica.publish(revokingTheOldKey());
      replica.signWith(newKey);

      RootedClients.eventually(
          () -> RootedClients.cachedSigner(cache),
          newKey.key().keyId()::equals,
          "the re-signed copy cached");
      // The held ETag is the re-signed one's too: only a request without it could fetch it.
      assertThat(replica.unconditionalDocumentRequests()).isGreaterThan(unconditionalBefore);
      assertThat(RootedClients.eventuallyStatus(client, Status.FRESH).reason())
          .doesNotContain("revokes");
      assertThat(client.snapshot("core").revision()).isEqualTo(2);
      assertThat(client.snapshot("core").getInt("seats", -1)).isEqualTo(25);
    }
  }

  @Test
  void D9_aReplicaStillSigningWithTheRevokedKey_leavesTheNamespaceStale_contentUnchanged() {
    try (KeySetReplica replica = rooted.replica(oldKey);
        HoldfastClient client = rooted.startedFresh(replica, cache)) {

      replica.publish(revokingTheOldKey());
      // A replica that missed the rotation, or a thief of the old key, publishing something new.
      replica.serve(core(3, "{\"seats\":99}"));

      Freshness stale = RootedClients.eventuallyStatus(client, Status.STALE);
      assertThat(stale.reason())
          .contains("'" + oldKey.key().keyId() + "'")
          .contains("key set version 2 revokes");
      ConfigSnapshot core = client.snapshot("core");
      assertThat(core.revision()).isEqualTo(2);
      assertThat(core.getInt("seats", -1)).isEqualTo(25);
      assertThat(replica.unconditionalDocumentRequests()).isGreaterThan(1);
    }
  }

  @Test
  void D9_aRootRotation_isFollowed_fromTheCache_andByANewClient() throws Exception {
    KeyPair nextRootPair = TestDocuments.newKeyPair();
    RootKeys nextRoot = TestKeySets.root(nextRootPair);
    // Version 2 hands over to the next root (both sign); version 3 is the next root's alone.
    SignedKeySet handOver =
        TestKeySets.sign(
            TestKeySets.keySet(2, nextRoot, oldKey.key()), rooted.rootPair, nextRootPair);
    SignedKeySet underNextRoot =
        TestKeySets.sign(
            TestKeySets.keySet(
                3, nextRoot, List.of(oldKey.key().keyId()), Optional.empty(), newKey.key()),
            nextRootPair);

    try (KeySetReplica replica = rooted.replica(oldKey)) {
      try (HoldfastClient client = rooted.startedFresh(replica, cache)) {

        replica.publish(handOver, underNextRoot);
        replica.signWith(newKey);

        RootedClients.eventually(
            () -> RootedClients.cachedSigner(cache),
            newKey.key().keyId()::equals,
            "a copy signed by the key the rotated root lists");
        RootedClients.eventuallyStatus(client, Status.FRESH);
      }

      // A client built with the old root and no cache walks the chain from the first key set.
      try (HoldfastClient fresh =
          rooted.client(replica.uri(), cache.resolve("elsewhere")).build()) {
        fresh.start();
        assertThat(fresh.status("core").status()).isEqualTo(Status.FRESH);
      }
    }

    // The cached chain holds the hand-over, so the old root still vouches for it after a restart.
    try (HoldfastClient restarted = rooted.startedOffline(cache)) {
      assertThat(restarted.status("core").status()).isEqualTo(Status.STALE);
      assertThat(restarted.snapshot("core").getInt("seats", -1)).isEqualTo(25);
    }
  }
}
