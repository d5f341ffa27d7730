package io.holdfast.client.seats;

import static io.holdfast.client.seats.SubscriptionSnapshots.active;
import static io.holdfast.client.seats.SubscriptionSnapshots.document;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.Status;
import io.holdfast.client.internal.DocumentVerifier;
import io.holdfast.client.internal.JsonPaths;
import io.holdfast.client.internal.ManualTime;
import io.holdfast.client.internal.NamespaceTracker;
import io.holdfast.client.internal.Rejection;
import io.holdfast.client.internal.TestDocuments;
import io.holdfast.client.internal.TestDocuments.Signed;
import io.holdfast.client.internal.VerifiedDocument;
import io.holdfast.client.seats.Admission.Outcome;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invariant 1 for subscriptions, through the client's own verifier and tracker (as the sync loop
 * drives them): a failed fetch, a 304, a partial body, a bad signature and an older revision
 * never change the quantity in force; only a newer verified document does.
 */
class SubscriptionsThroughTheClientTest {

  private static final String NS = SubscriptionChecker.NAMESPACE;

  private final ManualTime time = new ManualTime();
  private final TestDocuments documents = new TestDocuments();
  private final DocumentVerifier verifier = documents.verifier();
  private final NamespaceTracker tracker = new NamespaceTracker(NS, Duration.ofHours(8), Duration.ofMinutes(5),
      ExpiredPolicy.SERVE_LAST_KNOWN_GOOD, time.ticker(), time.clock(), new JsonPaths(), System.getLogger("test"));
  private final SubscriptionChecker checker = SubscriptionChecker.builder()
      .subscriptions(tracker::read)
      .seatStore(new InMemorySeatStore())
      .clock(time.clock())
      .build();

  /** What the sync loop does with a replica's 200: verify, check the revision, adopt or fail. */
  private void receive(Signed signed) {
    try {
      VerifiedDocument candidate = verifier.envelope(signed.response(), NS);
      String refusal = tracker.refusal(candidate);
      if (refusal == null) {
        tracker.adopt(candidate, "http://a:7070");
      } else {
        tracker.fail(refusal);
      }
    } catch (Rejection rejection) {
      tracker.fail("http://a:7070: " + rejection.getMessage());
    }
  }

  private Signed subscriptions(long revision, long quantity) {
    return documents.envelope(NS, revision, document("crm", active("s-1", quantity, 0)));
  }

  @BeforeEach
  void twoOfTwoSeatsTaken() {
    receive(subscriptions(5, 2));
    checker.admit("crm", "ann");
    checker.admit("crm", "bob");
    assertQuantityInForce(Status.FRESH);
  }

  private void assertQuantityInForce(Status expected) {
    SeatUsage usage = checker.usage("crm");
    assertThat(usage.freshness().status()).isEqualTo(expected);
    assertThat(usage.quantity()).isEqualTo(2);
    Admission newcomer = checker.admit("crm", "cid");
    assertThat(newcomer.outcome()).isEqualTo(Outcome.DENIED_LIMIT_REACHED);
    assertThat(newcomer.revision()).isEqualTo(5);
  }

  @Test
  void aFetchFailure_neverChangesTheQuantity() {
    tracker.fail("http://a:7070: connection refused (all 2 replicas tried)");
    assertQuantityInForce(Status.STALE);
  }

  @Test
  void a304_neverChangesTheQuantity() {
    tracker.fail("http://a:7070: HTTP 503");
    tracker.confirm("http://b:7070");
    assertQuantityInForce(Status.FRESH);
  }

  @Test
  void aPartialBody_neverChangesTheQuantity() {
    Signed larger = subscriptions(6, 100);
    receive(new Signed(Arrays.copyOf(larger.body(), larger.body().length / 2), larger.reprDigest(), larger.signature()));
    assertQuantityInForce(Status.STALE);
  }

  @Test
  void aBadSignature_neverChangesTheQuantity() {
    Signed larger = subscriptions(6, 100);
    Signed other = subscriptions(7, 3);
    receive(new Signed(larger.body(), larger.reprDigest(), other.signature()));
    assertQuantityInForce(Status.STALE);
  }

  @Test
  void aDocumentSignedByAnUntrustedKey_neverChangesTheQuantity() {
    receive(new TestDocuments().envelope(NS, 6, document("crm", active("s-1", 100, 0))));
    assertQuantityInForce(Status.STALE);
  }

  @Test
  void anOlderRevision_neverChangesTheQuantity() {
    receive(subscriptions(4, 100));
    assertQuantityInForce(Status.STALE);
  }

  @Test
  void onlyANewerVerifiedDocument_changesTheQuantity() {
    receive(subscriptions(6, 3));
    assertThat(checker.usage("crm").quantity()).isEqualTo(3);
    assertThat(checker.admit("crm", "cid").outcome()).isEqualTo(Outcome.ADMITTED);
  }

  @Test
  void graceRunningOut_keepsHolders_andNeverReportsALimit() {
    tracker.fail("http://a:7070: connection refused");
    time.advance(Duration.ofHours(8));
    assertThat(checker.admit("crm", "ann").outcome()).isEqualTo(Outcome.ADMITTED);
    Admission newcomer = checker.admit("crm", "cid");
    assertThat(newcomer.outcome()).isEqualTo(Outcome.DENIED_UNVERIFIED);
    assertThat(newcomer.freshness().status()).isEqualTo(Status.EXPIRED);
    assertThat(checker.usage("crm").quantity()).isEqualTo(2);
  }
}
