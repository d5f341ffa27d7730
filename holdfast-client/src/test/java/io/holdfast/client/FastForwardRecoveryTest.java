package io.holdfast.client;

import static io.holdfast.client.RootedClients.core;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.internal.DiskCache;
import io.holdfast.client.internal.TestDocuments;
import io.holdfast.client.internal.TestKeySets;
import io.holdfast.protocol.keyset.SignedKeySet;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS D13 through the real client: a leaked online key signs an absurd revision, which is
 * adopted and makes the genuine, lower revisions look like rollbacks; a root-signed key set with a
 * recovery marker voiding that key lets the genuine revision be adopted again, in memory and after
 * a restart from the cache.
 */
class FastForwardRecoveryTest {

  private static final long ABSURD = 1L << 62;

  private final RootedClients rooted = new RootedClients();
  private final TestDocuments genuine = new TestDocuments();
  private final TestDocuments leaked = new TestDocuments();

  @TempDir Path cache;

  /** Version 2: only the genuine key, and a marker voiding the revisions of the leaked one. */
  private SignedKeySet recovery(KeyPair signer) {
    return TestKeySets.sign(
        TestKeySets.keySet(
            2, rooted.root, List.of(), TestKeySets.recovery(leaked.key().keyId()), genuine.key()),
        signer);
  }

  @Test
  void D13_aRecoveryMarker_voidsTheFloorSetByTheLeakedKey_andTheGenuineRevisionIsAdopted()
      throws Exception {
    try (KeySetReplica replica =
        new KeySetReplica(genuine, core(5, "{\"seats\":25}"), rooted.currentStatement())) {
      replica.publish(rooted.keySet(1, genuine, leaked));
      try (HoldfastClient client = rooted.client(replica.uri(), cache).build()) {
        client.start();
        assertThat(client.status("core").status()).isEqualTo(Status.FRESH);

        replica.signWith(leaked);
        replica.serve(core(ABSURD, "{\"seats\":0}"));
        RootedClients.eventually(
            () -> client.snapshot("core").revision(), r -> r == ABSURD, "the absurd revision");

        // Before recovery the genuine revision looks like a rollback (the documented risk).
        replica.signWith(genuine);
        replica.serve(core(6, "{\"seats\":30}"));
        assertThat(RootedClients.eventuallyStatus(client, Status.STALE).reason())
            .contains("rollback");

        replica.publish(recovery(rooted.rootPair));

        RootedClients.eventuallyStatus(client, Status.FRESH);
        assertThat(client.snapshot("core").revision()).isEqualTo(6);
        assertThat(client.snapshot("core").getInt("seats", -1)).isEqualTo(30);
      }
    }
    try (DiskCache disk = DiskCache.open(cache, TestDocuments.INSTANCE, System.getLogger("test"))) {
      assertThat(disk.highWaterMark("core")).isEqualTo(6);
    }

    try (HoldfastClient restarted = rooted.startedOffline(cache)) {

      ConfigSnapshot core = restarted.snapshot("core");
      assertThat(core.status()).isEqualTo(Status.STALE);
      assertThat(core.revision()).isEqualTo(6);
      assertThat(core.getInt("seats", -1)).isEqualTo(30);
    }
  }

  @Test
  void D13_aRecoveryMarkerTheRootDidNotSign_isRefused_andTheFloorStays() {
    try (KeySetReplica replica =
        new KeySetReplica(leaked, core(ABSURD, "{\"seats\":0}"), rooted.currentStatement())) {
      replica.publish(rooted.keySet(1, genuine, leaked));
      try (HoldfastClient client = rooted.startedFresh(replica, cache)) {
        assertThat(client.snapshot("core").revision()).isEqualTo(ABSURD);

        // The thief of the online key forges the recovery with a root of its own.
        replica.publish(recovery(TestDocuments.newKeyPair()));
        replica.signWith(genuine);
        replica.serve(core(6, "{\"seats\":30}"));

        Freshness refused = RootedClients.eventuallyReason(client, "key set refused");
        assertThat(refused.status()).isEqualTo(Status.STALE);
        assertThat(client.snapshot("core").revision()).isEqualTo(ABSURD);
      }
    }
  }
}
