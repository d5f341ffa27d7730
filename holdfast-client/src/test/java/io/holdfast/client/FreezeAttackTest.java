package io.holdfast.client;

import static io.holdfast.client.RootedClients.core;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.internal.TestDocuments;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS D11 through the real client: a replica (or a cache in front of it) that keeps confirming
 * with checksums whose freshness statement has expired cannot keep the client FRESH.
 */
class FreezeAttackTest {

  private final RootedClients rooted = new RootedClients();
  private final TestDocuments online = new TestDocuments();

  @TempDir Path cache;

  @Test
  void D11_confirmationsPastTheStatementsExpiry_goStale_graceRunsOn_untilANewStatement() {
    try (KeySetReplica replica = rooted.replica(online);
        HoldfastClient client = rooted.startedFresh(replica, cache)) {

      // The replica keeps answering 304 and the same checksums; their statement expires.
      rooted.time.advance(Duration.ofHours(2));

      Freshness frozen = RootedClients.eventuallyReason(client, "freeze suspected");
      assertThat(frozen.status()).isEqualTo(Status.STALE);
      Duration graceBefore = frozen.graceRemaining();
      assertThat(graceBefore).isLessThanOrEqualTo(Duration.ofHours(6));

      rooted.time.advance(Duration.ofHours(1));

      Freshness later =
          RootedClients.eventually(
              () -> client.status("core"),
              f -> f.graceRemaining().compareTo(graceBefore) < 0,
              "grace running on");
      assertThat(later.status()).isEqualTo(Status.STALE);
      assertThat(later.reason()).contains("freeze suspected");
      assertThat(client.snapshot("core").getInt("seats", -1)).isEqualTo(25);

      replica.validity(rooted.currentStatement());

      Freshness fresh = RootedClients.eventuallyStatus(client, Status.FRESH);
      assertThat(fresh.graceRemaining()).isEqualTo(Duration.ofHours(8));
    }
  }

  @Test
  void D11_checksumsWhoseStatementExpiredBeforeTheClientStarted_serveTheDocumentStale() {
    try (KeySetReplica replica = rooted.replica(online);
        HoldfastClient client = rooted.notWaiting(replica.uri(), cache).build()) {
      rooted.time.advance(Duration.ofHours(2)); // the replica replays an old answer

      client.start();

      // The document verifies and is served, but nothing vouches that it is current.
      Freshness core = RootedClients.eventuallyStatus(client, Status.STALE);
      assertThat(core.reason()).contains("freshness statement");
      assertThat(client.snapshot("core").getInt("seats", -1)).isEqualTo(25);
    }
  }
}
