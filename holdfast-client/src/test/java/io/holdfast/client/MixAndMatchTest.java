package io.holdfast.client;

import static io.holdfast.client.RootedClients.core;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.internal.TestDocuments;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS D12 through the real client: a validly signed document that is not the one the verified
 * checksums list is not adopted.
 */
class MixAndMatchTest {

  private final RootedClients rooted = new RootedClients();
  private final TestDocuments online = new TestDocuments();

  @TempDir Path cache;

  @Test
  void D12_aDocumentOtherThanTheChecksumsList_isNotAdopted_untilTheyAgree() {
    try (KeySetReplica replica = rooted.replica(online);
        HoldfastClient client = rooted.startedFresh(replica, cache)) {

      // Both signed by the trusted key, but no checksums ever listed revision 4.
      replica.serve(core(4, "{\"seats\":40}"));
      replica.listInstead(core(3, "{\"seats\":30}"));

      Freshness refused = RootedClients.eventuallyStatus(client, Status.STALE);
      assertThat(refused.reason()).contains("mix-and-match").contains("revision 4");
      ConfigSnapshot held = client.snapshot("core");
      assertThat(held.revision()).isEqualTo(2);
      assertThat(held.getInt("seats", -1)).isEqualTo(25);

      replica.serve(core(4, "{\"seats\":40}")); // the checksums list it now

      RootedClients.eventuallyStatus(client, Status.FRESH);
      assertThat(client.snapshot("core").revision()).isEqualTo(4);
      assertThat(client.snapshot("core").getInt("seats", -1)).isEqualTo(40);
    }
  }

  @Test
  void D12_a304ForTheHeldDocument_whenTheChecksumsListAnother_confirmsNothing() {
    try (KeySetReplica replica = rooted.replica(online);
        HoldfastClient client = rooted.startedFresh(replica, cache)) {

      // The document endpoint still has revision 2 (and answers 304); the checksums list 3.
      replica.listInstead(core(3, "{\"seats\":30}"));

      Freshness refused = RootedClients.eventuallyStatus(client, Status.STALE);
      assertThat(refused.reason()).contains("mix-and-match");
      assertThat(client.snapshot("core").revision()).isEqualTo(2);
    }
  }

  @Test
  void A9_D12_withARootPinned_aDocumentTakenWithoutUsableChecksums_isKeptButStale() {
    try (KeySetReplica replica = rooted.replica(online);
        HoldfastClient client = rooted.startedFresh(replica, cache)) {

      replica.checksumsStatus(500);
      replica.serve(core(3, "{\"seats\":30}"));

      // The configuration keeps flowing (the incident's lesson), but nothing vouches for the set.
      Freshness unvouched = RootedClients.eventuallyStatus(client, Status.STALE);
      assertThat(unvouched.reason()).contains("checksums are unusable");
      assertThat(client.snapshot("core").revision()).isEqualTo(3);
      assertThat(client.snapshot("core").getInt("seats", -1)).isEqualTo(30);

      replica.checksumsStatus(200);

      RootedClients.eventuallyStatus(client, Status.FRESH);
      assertThat(client.snapshot("core").revision()).isEqualTo(3);
    }
  }
}
