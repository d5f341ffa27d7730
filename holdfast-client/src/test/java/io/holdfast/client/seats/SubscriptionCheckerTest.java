package io.holdfast.client.seats;

import static io.holdfast.client.seats.SubscriptionSnapshots.FROM;
import static io.holdfast.client.seats.SubscriptionSnapshots.UNTIL;
import static io.holdfast.client.seats.SubscriptionSnapshots.active;
import static io.holdfast.client.seats.SubscriptionSnapshots.document;
import static io.holdfast.client.seats.SubscriptionSnapshots.entry;
import static io.holdfast.client.seats.SubscriptionSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.client.internal.ManualTime;
import io.holdfast.client.internal.TestDocuments;
import io.holdfast.client.seats.Admission.Outcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SubscriptionCheckerTest {

  private final ManualTime time = new ManualTime();
  private final SubscriptionSnapshots source = new SubscriptionSnapshots();
  private final InMemorySeatStore store = new InMemorySeatStore();
  private final SubscriptionChecker checker = checker(ExpiredSeatPolicy.DENY_NEW_SEATS);

  private SubscriptionChecker checker(ExpiredSeatPolicy policy) {
    return SubscriptionChecker.builder()
        .subscriptions(source)
        .seatStore(store)
        .clock(time.clock())
        .expiredPolicy(policy)
        .build();
  }

  private void serve(Status status, long revision, String content) {
    source.serve(snapshot(status, revision, content));
  }

  private Outcome admit(String user) {
    return checker.admit("crm", user).outcome();
  }

  @Test
  void admitsUpToQuantityPlusOverage_thenLimitReached_withTheFreshnessAndRevision() {
    serve(Status.FRESH, 7, document("crm", active("s-1", 2, 1)));
    assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    assertThat(admit("bob")).isEqualTo(Outcome.ADMITTED);
    assertThat(admit("cid")).isEqualTo(Outcome.ADMITTED);
    Admission denied = checker.admit("crm", "dee");
    assertThat(denied.outcome()).isEqualTo(Outcome.DENIED_LIMIT_REACHED);
    assertThat(denied.reason()).contains("all 3 seats are taken", "s-1", "enterprise");
    assertThat(denied.freshness().status()).isEqualTo(Status.FRESH);
    assertThat(denied.revision()).isEqualTo(7);
    assertThat(denied.admitted()).isFalse();
  }

  @Test
  void aHolder_isAdmittedAgain_withoutASecondSeat() {
    serve(Status.FRESH, 1, document("crm", active("s-1", 1, 0)));
    checker.admit("crm", "ann");
    Admission again = checker.admit("crm", "ann");
    assertThat(again.admitted()).isTrue();
    assertThat(again.reason()).isEqualTo("holds a seat");
    assertThat(checker.seatsInUse()).isEqualTo(Map.of("crm", 1L));
  }

  @Test
  void releasing_freesASeatForSomeoneElse() {
    serve(Status.FRESH, 1, document("crm", active("s-1", 1, 0)));
    admit("ann");
    assertThat(admit("bob")).isEqualTo(Outcome.DENIED_LIMIT_REACHED);
    assertThat(checker.release("crm", "ann")).isTrue();
    assertThat(admit("bob")).isEqualTo(Outcome.ADMITTED);
  }

  /** Invariant: a failed, refused or unchanged fetch never changes the quantity in use. */
  @Test
  void aSnapshotGoingStale_keepsTheSameQuantity() {
    serve(Status.FRESH, 3, document("crm", active("s-1", 2, 0)));
    admit("ann");
    admit("bob");
    source.becomes(Status.STALE);
    assertThat(admit("cid")).isEqualTo(Outcome.DENIED_LIMIT_REACHED);
    SeatUsage usage = checker.usage("crm");
    assertThat(usage.quantity()).isEqualTo(2);
    assertThat(usage.inUse()).isEqualTo(2);
    assertThat(usage.freshness().status()).isEqualTo(Status.STALE);
    checker.release("crm", "ann");
    assertThat(admit("cid")).isEqualTo(Outcome.ADMITTED);
  }

  @Test
  void anApplicationMissingFromAVerifiedDocument_isNotSubscribed() {
    serve(Status.FRESH, 1, document("erp", active("s-1", 10, 0)));
    Admission admission = checker.admit("crm", "ann");
    assertThat(admission.outcome()).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
    assertThat(admission.reason()).contains("'crm' is not in the subscriptions document");
    assertThat(checker.usage("crm").known()).isTrue();
  }

  @Test
  void anApplicationWithNoSubscriptions_isNotSubscribed() {
    serve(Status.FRESH, 1, document("crm"));
    assertThat(admit("ann")).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
  }

  @Test
  void aMissingDocument_isUnknown_neverZero() {
    Admission admission = checker.admit("crm", "ann");
    assertThat(admission.outcome()).isEqualTo(Outcome.DENIED_UNVERIFIED);
    assertThat(admission.reason()).contains("no subscriptions document yet");
    assertThat(admission.freshness().status()).isEqualTo(Status.INITIALIZING);
    SeatUsage usage = checker.usage("crm");
    assertThat(usage.known()).isFalse();
    assertThat(usage.overAllocated()).isFalse();
  }

  @Test
  void aHolder_isAdmittedBeforeAnyDocument_fromTheTenantsStore() {
    store.tryAssign("crm", "ann", 1);
    assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
  }

  @Test
  void aVerifiedLowerQuantity_stopsNewSeats_evictsNobody_andIsReportedAsOverAllocation() {
    serve(Status.FRESH, 1, document("crm", active("s-1", 3, 0)));
    admit("ann");
    admit("bob");
    admit("cid");
    serve(Status.FRESH, 2, document("crm", active("s-1", 1, 0)));
    assertThat(admit("dee")).isEqualTo(Outcome.DENIED_LIMIT_REACHED);
    assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    assertThat(admit("bob")).isEqualTo(Outcome.ADMITTED);
    assertThat(admit("cid")).isEqualTo(Outcome.ADMITTED);
    SeatUsage usage = checker.usage("crm");
    assertThat(usage.inUse()).isEqualTo(3);
    assertThat(usage.quantity()).isEqualTo(1);
    assertThat(usage.overAllocated()).isTrue();
    // A new seat only once the holders are back under the new quantity.
    checker.release("crm", "ann");
    checker.release("crm", "bob");
    assertThat(admit("dee")).isEqualTo(Outcome.DENIED_LIMIT_REACHED);
    checker.release("crm", "cid");
    assertThat(admit("dee")).isEqualTo(Outcome.ADMITTED);
    assertThat(checker.usage("crm").overAllocated()).isFalse();
  }

  @Test
  void aSuspensionInAVerifiedDocument_appliesAtOnce_toHoldersToo_andKeepsTheirSeats() {
    serve(Status.FRESH, 1, document("crm", active("s-1", 5, 0)));
    admit("ann");
    serve(Status.FRESH, 2, document("crm", entry("s-1", 5, 0, "suspended", FROM, UNTIL)));
    Admission holder = checker.admit("crm", "ann");
    assertThat(holder.outcome()).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
    assertThat(holder.reason()).contains("s-1", "suspended", "the seat is kept");
    assertThat(admit("bob")).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
    assertThat(checker.usage("crm").overAllocated()).isTrue();
    serve(Status.FRESH, 3, document("crm", active("s-1", 5, 0)));
    assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    assertThat(checker.seatsInUse()).isEqualTo(Map.of("crm", 1L));
  }

  @Test
  void aCancellationInAVerifiedDocument_appliesAtOnce_toHoldersToo() {
    serve(Status.FRESH, 1, document("crm", active("s-1", 5, 0)));
    admit("ann");
    serve(Status.FRESH, 2, document("crm", entry("s-1", 5, 0, "cancelled", FROM, UNTIL)));
    assertThat(checker.admit("crm", "ann").reason()).contains("s-1", "cancelled");
    assertThat(admit("ann")).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
    assertThat(admit("bob")).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
  }

  @Test
  void aSuspensionInTheLastKnownDocument_stillAppliesWhileStale() {
    serve(Status.FRESH, 2, document("crm", entry("s-1", 5, 0, "suspended", FROM, UNTIL)));
    store.tryAssign("crm", "ann", 5);
    source.becomes(Status.STALE);
    assertThat(admit("ann")).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
  }

  @Test
  void aCancelledRenewal_doesNotCutShortThePeriodBeforeIt() {
    Instant renewal = time.now().plus(Duration.ofMinutes(1));
    serve(
        Status.FRESH,
        1,
        document(
            "crm",
            entry("s-1", 5, 0, "active", FROM, renewal),
            entry("s-2", 5, 0, "cancelled", renewal, UNTIL)));
    assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    time.advance(Duration.ofMinutes(2));
    // Inside s-1's skew tolerance, s-1 still rules over the cancelled s-2.
    assertThat(admit("bob")).isEqualTo(Outcome.ADMITTED);
    time.advance(Duration.ofMinutes(5));
    Admission after = checker.admit("crm", "cid");
    assertThat(after.outcome()).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
    assertThat(after.reason()).contains("s-2", "cancelled");
    assertThat(admit("ann")).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
  }

  @Test
  void atABoundaryBetweenPeriods_theNextRulesOnceItHasBegun() {
    Instant boundary = time.now().plus(Duration.ofMinutes(1));
    serve(
        Status.FRESH,
        1,
        document(
            "crm",
            entry("s-1", 1, 0, "active", FROM, boundary),
            entry("s-2", 3, 0, "active", boundary, UNTIL)));
    assertThat(checker.usage("crm").quantity()).isEqualTo(1);
    time.advance(Duration.ofMinutes(1));
    assertThat(checker.usage("crm").quantity()).isEqualTo(3);
  }

  @Nested
  class ContractPeriods {

    @Test
    void contractExpiry_inAFreshDocument_stopsNewSeats_butNotHolders() {
      Instant end = time.now().plus(Duration.ofDays(1));
      serve(Status.FRESH, 1, document("crm", entry("s-1", 5, 0, "active", FROM, end)));
      admit("ann");
      time.advance(Duration.ofDays(2));
      Admission admission = checker.admit("crm", "bob");
      assertThat(admission.outcome()).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
      assertThat(admission.reason()).contains("s-1 ended at " + end);
      assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
      assertThat(checker.usage("crm").overAllocated()).isTrue();
    }

    @Test
    void contractExpiry_isSeparateFromFetchGrace_aStaleDocumentsContractStillRuns() {
      serve(Status.FRESH, 1, document("crm", active("s-1", 5, 0)));
      source.becomes(Status.STALE);
      assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
      time.advance(Duration.between(time.now(), UNTIL).plusHours(1));
      assertThat(admit("bob")).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
    }

    @Test
    void contractExpiry_toleratesClockSkew_atTheEnd() {
      Instant end = time.now().plus(Duration.ofHours(1));
      serve(Status.FRESH, 1, document("crm", entry("s-1", 5, 0, "active", FROM, end)));
      time.advance(Duration.ofHours(1).plusMinutes(5).minusNanos(1));
      assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
      time.advanceNanos(1);
      assertThat(admit("bob")).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
    }

    @Test
    void contractStart_toleratesClockSkew() {
      Instant start = time.now().plus(Duration.ofHours(1));
      serve(Status.FRESH, 1, document("crm", entry("s-1", 5, 0, "active", start, null)));
      time.advance(Duration.ofMinutes(55).minusNanos(1));
      Admission early = checker.admit("crm", "ann");
      assertThat(early.outcome()).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
      assertThat(early.reason()).contains("s-1 starts at " + start);
      time.advanceNanos(1);
      assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    }

    @Test
    void theSkewToleranceIsConfigurable_zeroMeansExact() {
      Instant end = time.now().plus(Duration.ofHours(1));
      serve(Status.FRESH, 1, document("crm", entry("s-1", 5, 0, "active", FROM, end)));
      SubscriptionChecker exact =
          SubscriptionChecker.builder()
              .subscriptions(source)
              .seatStore(store)
              .clock(time.clock())
              .clockSkew(Duration.ZERO)
              .build();
      time.advance(Duration.ofHours(1));
      assertThat(exact.admit("crm", "ann").outcome()).isEqualTo(Outcome.DENIED_NOT_SUBSCRIBED);
      assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    }

    @Test
    void anOpenEndedSubscription_neverEnds() {
      serve(Status.FRESH, 1, document("crm", entry("s-1", 5, 0, "active", FROM, null)));
      time.advance(Duration.ofDays(3650));
      assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    }
  }

  @Nested
  class DegradedMode {

    @Test
    void stale_grantsNewSeatsUpToTheLastKnownQuantity() {
      serve(Status.FRESH, 1, document("crm", active("s-1", 2, 0)));
      source.becomes(Status.STALE);
      assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
      assertThat(admit("bob")).isEqualTo(Outcome.ADMITTED);
      Admission third = checker.admit("crm", "cid");
      assertThat(third.outcome()).isEqualTo(Outcome.DENIED_LIMIT_REACHED);
      assertThat(third.freshness().status()).isEqualTo(Status.STALE);
    }

    @Test
    void expired_keepsHoldersWorking_andRefusesNewUsersAsUnverified_neverLimitReached() {
      serve(Status.FRESH, 1, document("crm", active("s-1", 5, 0)));
      admit("ann");
      source.becomes(Status.EXPIRED);
      assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
      Admission newcomer = checker.admit("crm", "bob");
      assertThat(newcomer.outcome()).isEqualTo(Outcome.DENIED_UNVERIFIED);
      assertThat(newcomer.reason()).startsWith("licensing service unreachable");
      assertThat(newcomer.freshness().status()).isEqualTo(Status.EXPIRED);
      assertThat(checker.seatsInUse()).isEqualTo(Map.of("crm", 1L));
    }

    @Test
    void expired_withAllowUpToLastKnown_grantsUpToTheLimit_thenUnverified_notLimitReached() {
      SubscriptionChecker lenient = checker(ExpiredSeatPolicy.ALLOW_UP_TO_LAST_KNOWN);
      serve(Status.FRESH, 1, document("crm", active("s-1", 1, 0)));
      source.becomes(Status.EXPIRED);
      assertThat(lenient.admit("crm", "ann").outcome()).isEqualTo(Outcome.ADMITTED);
      Admission full = lenient.admit("crm", "bob");
      assertThat(full.outcome()).isEqualTo(Outcome.DENIED_UNVERIFIED);
      assertThat(full.reason())
          .contains("licensing service unreachable", "last-known 1 seats are taken");
    }

    @Test
    void expired_whenTheClientServesDefaults_isUnknown() {
      SubscriptionChecker lenient = checker(ExpiredSeatPolicy.ALLOW_UP_TO_LAST_KNOWN);
      store.tryAssign("crm", "ann", 1);
      serve(Status.EXPIRED, 1, "{}");
      assertThat(lenient.admit("crm", "ann").outcome()).isEqualTo(Outcome.ADMITTED);
      Admission newcomer = lenient.admit("crm", "bob");
      assertThat(newcomer.outcome()).isEqualTo(Outcome.DENIED_UNVERIFIED);
      assertThat(newcomer.reason()).contains("licensing service unreachable", "not served");
    }

    @Test
    void recovery_toFresh_grantsNewSeatsAgain() {
      serve(Status.FRESH, 1, document("crm", active("s-1", 5, 0)));
      source.becomes(Status.EXPIRED);
      assertThat(admit("ann")).isEqualTo(Outcome.DENIED_UNVERIFIED);
      source.becomes(Status.FRESH);
      assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    }
  }

  @Nested
  class Usage {

    @Test
    void listsTheDocumentsApplications_andTheStores() {
      serve(
          Status.FRESH, 1, "{\"applications\":{\"crm\":[" + active("s-1", 5, 1) + "],\"erp\":[]}}");
      admit("ann");
      store.tryAssign("legacy", "bob", 1);
      Map<String, SeatUsage> usage = checker.usage();
      assertThat(usage).containsOnlyKeys("crm", "erp", "legacy");
      assertThat(usage.get("crm"))
          .extracting(
              SeatUsage::inUse, SeatUsage::quantity, SeatUsage::overage, SeatUsage::overAllocated)
          .containsExactly(1L, 5L, 1L, false);
      assertThat(usage.get("erp").inUse()).isZero();
      assertThat(usage.get("legacy").overAllocated()).isTrue();
      assertThat(usage.get("legacy").basis()).contains("not in the subscriptions document");
    }

    @Test
    void aLogin_whenTheStoreFails_throwsRatherThanGuessing() {
      serve(Status.FRESH, 1, document("crm", active("s-1", 5, 0)));
      SubscriptionChecker broken =
          SubscriptionChecker.builder()
              .subscriptions(source)
              .seatStore(new FailingSeatStore())
              .build();
      assertThatThrownBy(() -> broken.admit("crm", "ann"))
          .isInstanceOf(SeatStoreException.class)
          .hasMessage("database down");
    }

    @Test
    void seatsInUse_whenTheStoreFails_reportsNoFiguresRatherThanThrowing() {
      SubscriptionChecker broken =
          SubscriptionChecker.builder()
              .subscriptions(source)
              .seatStore(new FailingSeatStore())
              .build();
      assertThat(broken.seatsInUse()).isEmpty();
    }
  }

  @Nested
  class Building {

    @Test
    void withoutASeatStore_isRefused() {
      assertThatThrownBy(() -> SubscriptionChecker.builder().subscriptions(source).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("seat store");
    }

    @Test
    void withoutASource_isRefused() {
      assertThatThrownBy(() -> SubscriptionChecker.builder().seatStore(store).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("subscriptions source");
    }

    @Test
    void fromAClientWithoutTheSubscriptionsNamespace_isRefused() {
      try (HoldfastClient client =
          HoldfastClient.builder()
              .replicas(URI.create("http://127.0.0.1:7001"))
              .instance("acme-prod", "token")
              .trustedKey(new TestDocuments().key())
              .namespaces("core")
              .build()) {
        assertThatThrownBy(() -> SubscriptionChecker.builder().client(client))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'subscriptions' is not configured");
      }
    }

    @Test
    void aNegativeOrHugeSkew_isRefusedWithTheValue() {
      assertThatThrownBy(() -> SubscriptionChecker.builder().clockSkew(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PT-1S");
      assertThatThrownBy(() -> SubscriptionChecker.builder().clockSkew(Duration.ofDays(2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PT48H");
    }
  }

  /** A store whose database is down. */
  private static final class FailingSeatStore implements SeatStore {
    private static SeatStoreException down() {
      return new SeatStoreException(
          "database down", new java.sql.SQLException("connection refused"));
    }

    @Override
    public boolean holds(String application, String user) {
      throw down();
    }

    @Override
    public Assignment tryAssign(String application, String user, long limit) {
      throw down();
    }

    @Override
    public boolean release(String application, String user) {
      throw down();
    }

    @Override
    public long count(String application) {
      throw down();
    }

    @Override
    public Map<String, Long> counts() {
      throw down();
    }
  }
}
