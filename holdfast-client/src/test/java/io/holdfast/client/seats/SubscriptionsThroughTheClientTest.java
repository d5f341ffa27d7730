package io.holdfast.client.seats;

import static io.holdfast.client.seats.SubscriptionSnapshots.active;
import static io.holdfast.client.seats.SubscriptionSnapshots.document;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.InProcessReplica;
import io.holdfast.client.Status;
import io.holdfast.client.internal.ManualTime;
import io.holdfast.client.internal.TestDocuments;
import io.holdfast.client.internal.TestDocuments.Signed;
import io.holdfast.client.seats.Admission.Outcome;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invariant 1 for subscriptions, through a real client whose sync loop polls a replica on loopback:
 * a failed fetch, a 304, a partial body, a bad signature and an older revision never change the
 * quantity in force; only a newer verified document does. Each case waits for the status the loop
 * reports after handling what the replica served (grace runs on a manual ticker, so only the
 * replica's answers move the status).
 */
class SubscriptionsThroughTheClientTest {

  private static final String NS = SubscriptionChecker.NAMESPACE;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ManualTime time = new ManualTime();
  private final TestDocuments documents = new TestDocuments();
  private final BlockingQueue<Status> statuses = new LinkedBlockingQueue<>();
  private final BlockingQueue<Long> revisions = new LinkedBlockingQueue<>();
  private InProcessReplica replica;
  private HoldfastClient client;
  private SubscriptionChecker checker;

  private Signed subscriptions(long revision, long quantity) {
    return documents.envelope(NS, revision, document("crm", active("s-1", quantity, 0)));
  }

  @BeforeEach
  void twoOfTwoSeatsTaken() {
    replica = new InProcessReplica(documents, NS, subscriptions(5, 2));
    client =
        HoldfastClient.builder()
            .replicas(replica.uri())
            .instance(TestDocuments.INSTANCE, "token-123")
            .trustedKey(documents.key())
            .namespaces(NS)
            .watch(false)
            .pollInterval(Duration.ofMillis(20))
            .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
            .heartbeatInterval(Duration.ZERO)
            .ticker(time.ticker())
            .clock(time.clock())
            .executor(Runnable::run)
            .build();
    client.addStatusListener((namespace, previous, current) -> statuses.add(current.status()));
    client.addChangeListener((previous, current) -> revisions.add(current.revision()));
    client.start();
    checker =
        SubscriptionChecker.builder()
            .client(client)
            .seatStore(new InMemorySeatStore())
            .clock(time.clock())
            .build();
    checker.admit("crm", "ann");
    checker.admit("crm", "bob");
    assertQuantityInForce(Status.FRESH);
  }

  @AfterEach
  void close() {
    client.close();
    replica.close();
  }

  /** Waits until the sync loop reports the status, after whatever it reported before. */
  private void awaitStatus(Status wanted) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (long left = WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      if (statuses.poll(left, TimeUnit.NANOSECONDS) == wanted) {
        return;
      }
    }
    throw new AssertionError(
        "the client did not become " + wanted + " within " + WAIT + "; now " + client.status(NS));
  }

  private void assertQuantityInForce(Status expected) {
    SeatUsage usage = checker.usage("crm");
    assertThat(usage.freshness().status()).isEqualTo(expected);
    assertThat(usage.quantity()).isEqualTo(2);
    Admission newcomer = checker.admit("crm", "cid");
    assertThat(newcomer.outcome()).isEqualTo(Outcome.DENIED_LIMIT_REACHED);
    assertThat(newcomer.revision()).isEqualTo(5);
  }

  /** The replica fails as a whole: its checksums and its documents answer 503. */
  private void replicaDown() {
    replica.checksumsStatus(503);
    replica.documentStatus(503);
  }

  @Test
  void aFetchFailure_neverChangesTheQuantity() throws InterruptedException {
    replicaDown();
    awaitStatus(Status.STALE);
    assertQuantityInForce(Status.STALE);
  }

  @Test
  void a304_neverChangesTheQuantity() throws InterruptedException {
    replicaDown();
    awaitStatus(Status.STALE);
    int notModifiedBefore = replica.documentsNotModified();
    int sentBefore = replica.documentsSent();

    // Checksums still failing: the loop asks for the document with If-None-Match, and the
    // replica answers 304 for the revision held (FAULTS A9's path).
    replica.documentStatus(200);
    awaitStatus(Status.FRESH);

    assertThat(replica.documentsNotModified()).as("304s answered").isGreaterThan(notModifiedBefore);
    assertThat(replica.documentsSent()).as("bodies sent").isEqualTo(sentBefore);
    assertQuantityInForce(Status.FRESH);
  }

  @Test
  void aPartialBody_neverChangesTheQuantity() throws InterruptedException {
    Signed larger = subscriptions(6, 100);
    replica.serve(
        new Signed(
            Arrays.copyOf(larger.body(), larger.body().length / 2),
            larger.reprDigest(),
            larger.signature()));
    awaitStatus(Status.STALE);
    assertQuantityInForce(Status.STALE);
  }

  @Test
  void aBadSignature_neverChangesTheQuantity() throws InterruptedException {
    Signed larger = subscriptions(6, 100);
    Signed other = subscriptions(7, 3);
    replica.serve(new Signed(larger.body(), larger.reprDigest(), other.signature()));
    awaitStatus(Status.STALE);
    assertQuantityInForce(Status.STALE);
  }

  @Test
  void aDocumentSignedByAnUntrustedKey_neverChangesTheQuantity() throws InterruptedException {
    replica.serve(new TestDocuments().envelope(NS, 6, document("crm", active("s-1", 100, 0))));
    awaitStatus(Status.STALE);
    assertQuantityInForce(Status.STALE);
  }

  @Test
  void anOlderRevision_neverChangesTheQuantity() throws InterruptedException {
    replica.serve(subscriptions(4, 100));
    awaitStatus(Status.STALE);
    assertQuantityInForce(Status.STALE);
  }

  @Test
  void onlyANewerVerifiedDocument_changesTheQuantity() throws InterruptedException {
    revisions.clear();
    replica.serve(subscriptions(6, 3));
    assertThat(revisions.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS))
        .as("the revision adopted")
        .isEqualTo(6);
    assertThat(checker.usage("crm").quantity()).isEqualTo(3);
    assertThat(checker.admit("crm", "cid").outcome()).isEqualTo(Outcome.ADMITTED);
  }

  @Test
  void graceRunningOut_keepsHolders_andNeverReportsALimit() throws InterruptedException {
    replicaDown();
    awaitStatus(Status.STALE);
    time.advance(Duration.ofHours(8));
    assertThat(checker.admit("crm", "ann").outcome()).isEqualTo(Outcome.ADMITTED);
    Admission newcomer = checker.admit("crm", "cid");
    assertThat(newcomer.outcome()).isEqualTo(Outcome.DENIED_UNVERIFIED);
    assertThat(newcomer.freshness().status()).isEqualTo(Status.EXPIRED);
    assertThat(checker.usage("crm").quantity()).isEqualTo(2);
  }
}
