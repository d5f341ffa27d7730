package io.holdfast.cli.soak.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.Status;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Each property: the clean soak passes, and the same soak with one planted violation fails with
 * exactly that kind, naming who broke it.
 */
class HistoryCheckerTest {

  /** The soak with events planted while the first fault is active. */
  private static SoakSummary duringFaults(Consumer<HistoryBuilder> plant) {
    return Soaks.check(Soaks.soak(plant, b -> {}));
  }

  /** The soak with events planted after the final heal and the replicas' reads. */
  private static SoakSummary afterHeal(Consumer<HistoryBuilder> plant) {
    return Soaks.check(Soaks.soak(b -> {}, plant));
  }

  private static void assertOnly(SoakSummary summary, ViolationKind kind, String who) {
    assertThat(summary.violationCounts()).as(summary.table()).containsOnlyKeys(kind);
    assertThat(summary.violations()).extracting(Violation::who).containsOnly(who);
  }

  @Test
  void cleanSoak_passes() {
    SoakSummary summary = Soaks.check(Soaks.clean());

    assertThat(summary.violations()).as(summary.table()).isEmpty();
    assertThat(summary.passed()).isTrue();
    assertThat(summary.seed()).isEqualTo(Soaks.SEED);
  }

  @Test
  void replicaBehindAfterFinalHeal_isAViolation() {
    SoakSummary summary = afterHeal(b -> b.served("replica-2", "acme", "core", 1, "h1", 1));

    assertOnly(summary, ViolationKind.ACKNOWLEDGED_NOT_SERVED, "replica-2");
    assertThat(summary.violations().get(0).explanation())
        .isEqualTo("replica-2 serves acme/core revision 1, behind acknowledged revision 4");
  }

  @Test
  void replicaServingOtherContentAtTheAcknowledgedRevision_isAViolation() {
    SoakSummary summary = afterHeal(b -> b.served("replica-1", "acme", "core", 4, "x4", 2));

    assertOnly(summary, ViolationKind.ACKNOWLEDGED_NOT_SERVED, "replica-1");
  }

  @Test
  void replicaServingNothingAfterFinalHeal_isAViolation() {
    SoakSummary summary =
        afterHeal(b -> b.servedNothing("replica-1", "globex", "core", "HTTP 503"));

    assertOnly(summary, ViolationKind.ACKNOWLEDGED_NOT_SERVED, "replica-1");
  }

  @Test
  void replicaNeverReadForADocument_isAnIncompleteHistory() {
    SoakSummary summary = afterHeal(b -> b.published("globex", "features", 9, "gf9", 2));

    assertThat(summary.violationCounts()).containsOnlyKeys(ViolationKind.INCOMPLETE_HISTORY);
    assertThat(summary.violations())
        .extracting(Violation::explanation)
        .containsExactlyInAnyOrder(
            "replica-1 was not read for globex/features after the final heal",
            "replica-2 was not read for globex/features after the final heal");
  }

  @Test
  void historyWithoutFinalHeal_isAnIncompleteHistory() {
    HistoryBuilder b = new HistoryBuilder(1);
    b.at(1).published("acme", "core", 1, "h1", 1);

    assertOnly(Soaks.check(b.build()), ViolationKind.INCOMPLETE_HISTORY, "runner");
  }

  @Test
  void clientSeeingAnOlderRevision_isAViolation() {
    SoakSummary summary = afterHeal(b -> b.observed("c01", "acme", "core", 1, "h1", 1));

    assertOnly(summary, ViolationKind.REVISION_WENT_BACKWARDS, "c01");
    assertThat(summary.violations().get(0).explanation())
        .isEqualTo("c01 held acme/core revision 1 after revision 4 (seen at 4.500s)");
  }

  @Test
  void clientLosingItsDocument_isAViolation() {
    SoakSummary summary =
        afterHeal(
            b ->
                b.event(new Observed(b.now(), "c01", "acme", "core", 0, null, Status.STALE, null)));

    assertOnly(summary, ViolationKind.REVISION_WENT_BACKWARDS, "c01");
  }

  @Test
  void restartOnItsCacheThenOlderRevision_isAViolation() {
    SoakSummary summary =
        afterHeal(b -> b.started("c01", "acme", true).observed("c01", "acme", "core", 1, "h1", 1));

    assertOnly(summary, ViolationKind.REVISION_WENT_BACKWARDS, "c01");
  }

  @Test
  void coldRestartThenOlderRevision_isNotAViolation() {
    SoakSummary summary =
        afterHeal(
            b ->
                b.started("c01", "acme", false)
                    .observed("c01", "acme", "core", 1, "h1", 1)
                    .status("c01", "acme", Status.FRESH));

    assertThat(summary.violations()).as(summary.table()).isEmpty();
  }

  @Test
  void repeatedReadsOfOneRegression_areOneViolation() {
    SoakSummary summary =
        afterHeal(
            b -> {
              b.observed("c01", "acme", "core", 1, "h1", 1);
              b.at(9.5).observed("c01", "acme", "core", 1, "h1", 1);
            });

    assertThat(summary.count(ViolationKind.REVISION_WENT_BACKWARDS)).isEqualTo(1);
  }

  @Test
  void sameRevisionWithOtherContent_isAViolation() {
    SoakSummary summary = afterHeal(b -> b.observed("c02", "globex", "core", 2, "gX", 1));

    assertOnly(summary, ViolationKind.CONFLICTING_CONTENT, "c02");
  }

  @Test
  void twoClientsHoldingOneRevisionWithTwoContents_isAViolation() {
    SoakSummary summary =
        afterHeal(
            b ->
                b.started("c03", "globex", false)
                    .observed("c03", "globex", "core", 2, "gX", 1)
                    .status("c03", "globex", Status.FRESH));

    assertOnly(summary, ViolationKind.CONFLICTING_CONTENT, "c03");
  }

  @Test
  void contentWhoseCheckDoesNotMatch_isAdoptedUnverified() {
    ContentStamp corrupted = new ContentStamp("acme", 3, ContentStamp.checkOf("acme", 2));
    SoakSummary summary = afterHeal(b -> b.observed("c01", "acme", "core", 4, "h4", corrupted));

    assertOnly(summary, ViolationKind.UNVERIFIED_ADOPTED, "c01");
  }

  @Test
  void revisionNoAcknowledgedWriteProduced_isAdoptedUnverified() {
    SoakSummary summary = afterHeal(b -> b.observed("c01", "acme", "core", 5, "h5", 3));

    assertOnly(summary, ViolationKind.UNVERIFIED_ADOPTED, "c01");
    assertThat(summary.violations().get(0).explanation())
        .isEqualTo(
            "c01 adopted acme/core revision 5 (hash h5), which no acknowledged write produced");
  }

  @Test
  void revisionSeenBeforeItsAcknowledgementWasRecorded_isNotAViolation() {
    SoakSummary summary =
        afterHeal(
            b -> {
              b.observed("c01", "acme", "core", 5, "h5", 3);
              b.at(9.1).published("acme", "core", 5, "h5", 3);
            });

    // Only the replicas, read before the write, are behind it.
    assertThat(summary.violationCounts()).containsOnlyKeys(ViolationKind.ACKNOWLEDGED_NOT_SERVED);
  }

  @Test
  void revisionOfAWriteWithUnknownOutcome_isNotAViolation() {
    SoakSummary summary =
        Soaks.check(
            Soaks.soak(
                b -> b.indeterminate("acme", "core"),
                b -> b.observed("c01", "acme", "core", 5, "h5", 3)));

    assertThat(summary.violations()).as(summary.table()).isEmpty();
  }

  @Test
  void moreSeatsThanQuantityPlusOverage_isAViolation() {
    SoakSummary summary = duringFaults(b -> b.seatCount("acme", 4));

    assertOnly(summary, ViolationKind.SEATS_OVER_LIMIT, "acme/crm");
    assertThat(summary.violations().get(0).explanation())
        .isEqualTo(
            "acme/crm had 4 seats in use, more than the largest acknowledged quantity plus"
                + " overage, 3");
  }

  @Test
  void admittingPastTheLimit_isAViolation() {
    SoakSummary summary =
        duringFaults(b -> b.admit("c01", "acme", "u9", false, DecisionOutcome.ADMITTED, 4));

    assertOnly(summary, ViolationKind.SEATS_OVER_LIMIT, "c01");
  }

  @Test
  void admittingUnderALimitAcknowledgedJustAfter_isNotAViolation() {
    SoakSummary summary =
        duringFaults(
            b -> {
              b.admit("c01", "acme", "u9", false, DecisionOutcome.ADMITTED, 4);
              b.at(3.6).subscription("acme", "crm", 3, 1, "ACTIVE", null);
            });

    assertThat(summary.violations()).as(summary.table()).isEmpty();
  }

  @Test
  void seatHolderDenied_isAViolation() {
    SoakSummary summary =
        duringFaults(b -> b.admit("c01", "acme", "u1", true, DecisionOutcome.DENIED_UNVERIFIED, 3));

    assertOnly(summary, ViolationKind.SEAT_HOLDER_DENIED, "c01");
  }

  @Test
  void seatHolderDeniedAsNotSubscribedWithoutAcknowledgedSuspension_isAViolation() {
    SoakSummary summary =
        duringFaults(
            b -> b.admit("c01", "acme", "u1", true, DecisionOutcome.DENIED_NOT_SUBSCRIBED, 3));

    assertOnly(summary, ViolationKind.SEAT_HOLDER_DENIED, "c01");
  }

  @Test
  void seatHolderDeniedAfterAcknowledgedSuspension_isNotAViolation() {
    SoakSummary summary =
        duringFaults(
            b -> {
              b.admit("c01", "acme", "u1", true, DecisionOutcome.DENIED_NOT_SUBSCRIBED, 3);
              b.at(3.6).subscription("acme", "crm", 2, 1, "SUSPENDED", null);
            });

    assertThat(summary.violations()).as(summary.table()).isEmpty();
  }

  @Test
  void exceptionReachingTheApplication_isAViolation() {
    SoakSummary summary =
        duringFaults(
            b -> b.error("c02", "globex", new IllegalStateException("replica unreachable")));

    assertOnly(summary, ViolationKind.APPLICATION_EXCEPTION, "c02");
    assertThat(summary.violations().get(0).explanation())
        .isEqualTo(
            "c02 got java.lang.IllegalStateException from snapshot core: replica unreachable");
  }

  @Test
  void clientHoldingAnotherTenantsDocument_isAViolation() {
    SoakSummary summary =
        afterHeal(b -> b.observed("c01", "acme", "core", 4, "h4", ContentStamp.of("globex", 2)));

    assertOnly(summary, ViolationKind.TENANT_CROSSED, "c01");
  }

  @Test
  void replicaServingAnotherTenantsDocument_isAViolation() {
    SoakSummary summary =
        afterHeal(
            b ->
                b.event(
                    new Served(
                        b.now(),
                        "replica-2",
                        "acme",
                        "core",
                        4,
                        "h4",
                        ContentStamp.of("globex", 2),
                        null)));

    assertOnly(summary, ViolationKind.TENANT_CROSSED, "replica-2");
  }

  @Test
  void clientFreshLaterThanTheBound_isAViolation() {
    SoakSummary summary = HistoryChecker.check(Soaks.clean(), Duration.ofMillis(500));

    assertOnly(summary, ViolationKind.NOT_FRESH_AFTER_HEAL, "c02");
    assertThat(summary.violations().get(0).explanation())
        .isEqualTo("c02 became FRESH 0.800s after the final heal, over the bound 0.500s");
  }

  @Test
  void clientNeverFreshAfterTheFinalHeal_isAViolation() {
    SoakSummary summary = afterHeal(b -> b.started("c03", "acme", true));

    assertOnly(summary, ViolationKind.NOT_FRESH_AFTER_HEAL, "c03");
  }

  @Test
  void eventsOutOfTimeOrder_areAnIncompleteHistory() {
    SoakSummary summary = afterHeal(b -> b.at(1.0).seatCount("acme", 2));

    assertOnly(summary, ViolationKind.INCOMPLETE_HISTORY, "runner");
  }
}
