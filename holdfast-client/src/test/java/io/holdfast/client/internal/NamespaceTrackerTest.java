package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.Status;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceTrackerTest {

  private static final Duration GRACE = Duration.ofHours(8);
  private static final Duration STALE_AFTER = Duration.ofMinutes(5);
  private static final TestDocuments DOCS = new TestDocuments();

  private final ManualTime time = new ManualTime();
  private final RecordingLogger log = new RecordingLogger();
  private final VerifiedDocument rev1 =
      DOCS.document("core", 1, "{\"seats\":10,\"plan\":\"gold\"}");
  private final VerifiedDocument rev2 =
      DOCS.document("core", 2, "{\"seats\":25,\"plan\":\"gold\"}");

  private NamespaceTracker tracker(ExpiredPolicy policy) {
    return new NamespaceTracker(
        "core", GRACE, STALE_AFTER, policy, time.ticker(), time.clock(), ConfigSnapshot::new, log);
  }

  private NamespaceTracker tracker() {
    return tracker(ExpiredPolicy.SERVE_LAST_KNOWN_GOOD);
  }

  @Test
  void newTracker_isInitializing_withNoDocumentAndFullGrace() {
    NamespaceTracker tracker = tracker();

    ConfigSnapshot snapshot = tracker.read();

    assertThat(snapshot.status()).isEqualTo(Status.INITIALIZING);
    assertThat(snapshot.revision()).isZero();
    assertThat(snapshot.etag()).isNull();
    assertThat(snapshot.content().isEmpty()).isTrue();
    assertThat(snapshot.getInt("seats", -1)).isEqualTo(-1);
    assertThat(snapshot.freshness().reason()).isEqualTo("waiting for the first document");
    assertThat(snapshot.freshness().lastVerifiedAt()).isNull();
    assertThat(snapshot.freshness().graceRemaining()).isEqualTo(GRACE);
    assertThat(tracker.lastKnownGood()).isNull();
    assertThat(tracker.etag()).isNull();
    assertThat(tracker.graceConsumed()).isZero();
  }

  @Test
  void failBeforeAnyDocument_staysInitializing_andSaysWhy() {
    NamespaceTracker tracker = tracker();

    NamespaceTracker.Transition t = tracker.fail("replica-a: unreachable");

    assertThat(t.current().status()).isEqualTo(Status.INITIALIZING);
    assertThat(t.current().freshness().reason()).isEqualTo("replica-a: unreachable");
    assertThat(t.statusChanged()).isFalse();
    assertThat(t.contentChanged()).isFalse();
  }

  @Test
  void adopt_fromInitializing_becomesFreshWithTheContent() {
    NamespaceTracker tracker = tracker();
    time.advance(Duration.ofSeconds(3));

    NamespaceTracker.Transition t = tracker.adopt(rev1, "replica-a");

    assertThat(t.contentChanged()).isTrue();
    assertThat(t.statusChanged()).isTrue();
    assertThat(t.previous().status()).isEqualTo(Status.INITIALIZING);
    assertThat(t.current()).isSameAs(tracker.read());
    ConfigSnapshot snapshot = tracker.read();
    assertThat(snapshot.status()).isEqualTo(Status.FRESH);
    assertThat(snapshot.revision()).isEqualTo(1);
    assertThat(snapshot.etag()).isEqualTo(rev1.etag());
    assertThat(snapshot.getInt("seats", -1)).isEqualTo(10);
    assertThat(snapshot.getString("plan", "none")).isEqualTo("gold");
    assertThat(snapshot.freshness().since()).isEqualTo(time.now());
    assertThat(snapshot.freshness().lastVerifiedAt()).isEqualTo(time.now());
    assertThat(snapshot.freshness().graceRemaining()).isEqualTo(GRACE);
    assertThat(tracker.lastKnownGood()).isSameAs(rev1);
    assertThat(tracker.etag()).isEqualTo(rev1.etag());
  }

  @Test
  void A2_fail_keepsContentAndRevision_andBecomesStaleWithReasonAndSince() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");
    Instant verifiedAt = time.now();
    time.advance(Duration.ofMinutes(1));

    NamespaceTracker.Transition t = tracker.fail("replica-a: HTTP 503");

    ConfigSnapshot snapshot = tracker.read();
    assertThat(snapshot.status()).isEqualTo(Status.STALE);
    assertThat(snapshot.freshness().reason()).isEqualTo("replica-a: HTTP 503");
    assertThat(snapshot.freshness().since()).isEqualTo(time.now());
    assertThat(snapshot.freshness().lastVerifiedAt()).isEqualTo(verifiedAt);
    assertThat(snapshot.freshness().graceRemaining()).isEqualTo(GRACE.minusMinutes(1));
    assertThat(snapshot.revision()).isEqualTo(1);
    assertThat(snapshot.etag()).isEqualTo(rev1.etag());
    assertThat(snapshot.getInt("seats", -1)).isEqualTo(10);
    assertThat(t.statusChanged()).isTrue();
    assertThat(t.contentChanged()).isFalse();
    assertThat(t.previous().status()).isEqualTo(Status.FRESH);
    assertThat(tracker.lastKnownGood()).isSameAs(rev1);
  }

  @Test
  void confirm_afterFailure_isFreshAgain_withGraceRestored() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");
    time.advance(Duration.ofHours(2));
    tracker.fail("replica-a: unreachable");

    NamespaceTracker.Transition t = tracker.confirm("replica-b");

    assertThat(t.statusChanged()).isTrue();
    assertThat(t.contentChanged()).isFalse();
    assertThat(t.previous().status()).isEqualTo(Status.STALE);
    ConfigSnapshot snapshot = tracker.read();
    assertThat(snapshot.status()).isEqualTo(Status.FRESH);
    assertThat(snapshot.freshness().reason()).isEqualTo("verified");
    assertThat(snapshot.freshness().lastVerifiedAt()).isEqualTo(time.now());
    assertThat(snapshot.freshness().graceRemaining()).isEqualTo(GRACE);
    assertThat(snapshot.getInt("seats", -1)).isEqualTo(10);
  }

  @Test
  void I12_B7_graceExpiresExactlyAtTheBoundary_onTheTicker() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");
    tracker.fail("all replicas down");

    time.advanceNanos(GRACE.toNanos() - 1);
    ConfigSnapshot justBefore = tracker.read();
    ConfigSnapshot tickedJustBefore = tracker.tick().current();
    time.advanceNanos(1);
    ConfigSnapshot atGrace = tracker.read();

    assertThat(justBefore.status()).isEqualTo(Status.STALE);
    assertThat(tickedJustBefore.status()).isEqualTo(Status.STALE);
    assertThat(tickedJustBefore.freshness().graceRemaining()).isEqualTo(Duration.ofNanos(1));
    assertThat(atGrace.status()).isEqualTo(Status.EXPIRED);
    assertThat(atGrace.freshness().graceRemaining()).isZero();
    assertThat(atGrace.freshness().reason())
        .contains("grace period of PT8H used up")
        .contains("all replicas down");
    assertThat(atGrace.freshness().since()).isEqualTo(time.now());
    assertThat(atGrace.getInt("seats", -1)).isEqualTo(10);
  }

  @Test
  void I12_B10_wallClockJumps_neitherShortenNorExtendGrace() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");
    tracker.fail("all replicas down");

    time.jumpWall(Duration.ofDays(1));
    assertThat(tracker.read().status()).isEqualTo(Status.STALE);
    assertThat(tracker.tick().current().status()).isEqualTo(Status.STALE);

    time.advanceNanos(GRACE.toNanos() - 1);
    time.jumpWall(Duration.ofDays(-2));
    assertThat(tracker.read().status()).isEqualTo(Status.STALE);
    assertThat(tracker.tick().current().freshness().graceRemaining())
        .isEqualTo(Duration.ofNanos(1));

    time.advanceNanos(1);
    time.jumpWall(Duration.ofDays(-1));
    assertThat(tracker.read().status()).isEqualTo(Status.EXPIRED);
    time.jumpWall(Duration.ofDays(-30));
    assertThat(tracker.tick().current().status()).isEqualTo(Status.EXPIRED);
  }

  @Test
  void B10_wallClockJumpForward_doesNotMakeAFreshNamespaceStale() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");

    time.jumpWall(Duration.ofDays(1));
    time.advanceNanos(STALE_AFTER.toNanos() - 1);

    assertThat(tracker.read().status()).isEqualTo(Status.FRESH);
    assertThat(tracker.tick().current().status()).isEqualTo(Status.FRESH);
  }

  @Test
  void staleAfter_withoutAnyFailure_isStaleNotConfirmed() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");

    time.advanceNanos(STALE_AFTER.toNanos() - 1);
    assertThat(tracker.read().status()).isEqualTo(Status.FRESH);
    time.advanceNanos(1);
    ConfigSnapshot snapshot = tracker.read();

    assertThat(snapshot.status()).isEqualTo(Status.STALE);
    assertThat(snapshot.freshness().reason()).isEqualTo("not confirmed for 300 s");
    assertThat(snapshot.freshness().since()).isEqualTo(time.now());
    assertThat(snapshot.getInt("seats", -1)).isEqualTo(10);
  }

  @Test
  void B7_expiredWithServeLastKnownGood_stillServesTheContent() {
    NamespaceTracker tracker = tracker(ExpiredPolicy.SERVE_LAST_KNOWN_GOOD);
    tracker.adopt(rev1, "replica-a");
    time.advance(GRACE);

    ConfigSnapshot snapshot = tracker.read();

    assertThat(snapshot.status()).isEqualTo(Status.EXPIRED);
    assertThat(snapshot.revision()).isEqualTo(1);
    assertThat(snapshot.getInt("seats", -1)).isEqualTo(10);
    assertThat(snapshot.content()).isEqualTo(rev1.envelope().content());
  }

  @Test
  void B7_expiredWithUseDefaults_servesEmptyContent_andAVerifiedAdoptBringsContentBack() {
    NamespaceTracker tracker = tracker(ExpiredPolicy.USE_DEFAULTS);
    tracker.adopt(rev1, "replica-a");
    time.advance(GRACE);

    ConfigSnapshot expired = tracker.read();
    assertThat(tracker.tick().statusChanged()).as("the loop's tick reports the expiry").isTrue();
    assertThat(expired.status()).isEqualTo(Status.EXPIRED);
    assertThat(expired.getInt("seats", -1)).isEqualTo(-1);
    assertThat(expired.getString("plan", "default")).isEqualTo("default");
    assertThat(expired.has("seats")).isFalse();
    assertThat(expired.content().isEmpty()).isTrue();
    assertThat(tracker.lastKnownGood()).as("the LKG itself is kept").isSameAs(rev1);

    NamespaceTracker.Transition t = tracker.adopt(rev2, "replica-b");

    assertThat(t.contentChanged()).isTrue();
    assertThat(t.statusChanged()).isTrue();
    assertThat(t.previous().status()).isEqualTo(Status.EXPIRED);
    ConfigSnapshot fresh = tracker.read();
    assertThat(fresh.status()).isEqualTo(Status.FRESH);
    assertThat(fresh.revision()).isEqualTo(2);
    assertThat(fresh.getInt("seats", -1)).isEqualTo(25);
  }

  @Test
  void I1_expiredWithUseDefaults_confirmOfTheHeldDocument_servesItsContentAgain() {
    NamespaceTracker tracker = tracker(ExpiredPolicy.USE_DEFAULTS);
    tracker.adopt(rev1, "replica-a");
    time.advance(GRACE.plusHours(1));
    assertThat(tracker.read().getInt("seats", -1)).isEqualTo(-1);

    tracker.confirm("replica-a");

    assertThat(tracker.read().status()).isEqualTo(Status.FRESH);
    assertThat(tracker.read().getInt("seats", -1)).isEqualTo(10);
  }

  @Test
  void A16_D10_refusal_refusesALowerRevision_asRollback() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev2, "replica-a");

    assertThat(tracker.refusal(rev1))
        .isEqualTo("revision 1 is older than the held revision 2 (rollback)");
  }

  @Test
  void A17_refusal_refusesTheSameRevisionWithDifferentContent_asEquivocation() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev2, "replica-a");
    VerifiedDocument other = DOCS.document("core", 2, "{\"seats\":0}");

    assertThat(tracker.refusal(other))
        .isEqualTo("revision 2 was served with different content (equivocation)");
  }

  @Test
  void refusal_allowsTheSameDocument_aHigherRevision_andAnythingWhenNothingIsHeld() {
    NamespaceTracker tracker = tracker();
    assertThat(tracker.refusal(rev2)).isNull();
    tracker.adopt(rev1, "replica-a");

    assertThat(tracker.refusal(DOCS.document("core", 1, "{\"seats\":10,\"plan\":\"gold\"}")))
        .isNull();
    assertThat(tracker.refusal(rev2)).isNull();
  }

  @Test
  void A11_adoptingTheSameDocumentAgain_changesNoContent() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");
    tracker.fail("replica-a: timeout");

    NamespaceTracker.Transition t =
        tracker.adopt(DOCS.document("core", 1, "{\"seats\":10,\"plan\":\"gold\"}"), "replica-b");

    assertThat(t.contentChanged()).isFalse();
    assertThat(t.statusChanged()).isTrue();
    assertThat(t.current().status()).isEqualTo(Status.FRESH);
  }

  @Test
  void adoptingANewerRevision_reportsChangedContent_withPreviousSnapshot() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");

    NamespaceTracker.Transition t = tracker.adopt(rev2, "replica-a");

    assertThat(t.contentChanged()).isTrue();
    assertThat(t.statusChanged()).isFalse();
    assertThat(t.previous().revision()).isEqualTo(1);
    assertThat(t.previous().getInt("seats", -1)).isEqualTo(10);
    assertThat(t.current().revision()).isEqualTo(2);
    assertThat(t.current().getInt("seats", -1)).isEqualTo(25);
  }

  @Test
  void B5_restore_isStaleLoadedFromTheDiskCache_withTheContentAtOnce() {
    NamespaceTracker tracker = tracker();
    Instant verifiedAt = time.now().minus(Duration.ofMinutes(10));

    NamespaceTracker.Transition t = tracker.restore(rev1, verifiedAt, Duration.ofHours(2));

    assertThat(t.contentChanged()).isTrue();
    assertThat(t.statusChanged()).isTrue();
    ConfigSnapshot snapshot = tracker.read();
    assertThat(snapshot.status()).isEqualTo(Status.STALE);
    assertThat(snapshot.freshness().reason())
        .isEqualTo("loaded from the disk cache; not yet confirmed by a replica");
    assertThat(snapshot.freshness().lastVerifiedAt()).isEqualTo(verifiedAt);
    assertThat(snapshot.freshness().graceRemaining()).isEqualTo(Duration.ofHours(6));
    assertThat(snapshot.getInt("seats", -1)).isEqualTo(10);
    assertThat(tracker.graceConsumed()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void B5_restore_graceContinuesFromWallTimeSinceVerification_whenThatIsMore() {
    NamespaceTracker tracker = tracker();

    tracker.restore(rev1, time.now().minus(Duration.ofHours(3)), Duration.ofHours(1));

    assertThat(tracker.read().freshness().graceRemaining()).isEqualTo(Duration.ofHours(5));
    time.advanceNanos(Duration.ofHours(5).toNanos() - 1);
    assertThat(tracker.read().status()).isEqualTo(Status.STALE);
    time.advanceNanos(1);
    assertThat(tracker.read().status()).isEqualTo(Status.EXPIRED);
  }

  @Test
  void B10_restore_withTheWallClockSetBackwards_cannotGiveGraceBack() {
    NamespaceTracker tracker = tracker();
    // Saved "tomorrow": the wall clock has since been set back by a day.
    Instant verifiedAt = time.now().plus(Duration.ofDays(1));

    tracker.restore(rev1, verifiedAt, Duration.ofHours(2));

    assertThat(tracker.read().freshness().graceRemaining()).isEqualTo(Duration.ofHours(6));
    time.advanceNanos(Duration.ofHours(6).toNanos() - 1);
    assertThat(tracker.read().status()).isEqualTo(Status.STALE);
    time.advanceNanos(1);
    assertThat(tracker.read().status()).isEqualTo(Status.EXPIRED);
  }

  @Test
  void B2_restore_withAbsurdTimesFromADamagedCacheFile_isExpired_neverThrows() {
    // verifiedAt and graceConsumed are not covered by the signature: a flipped digit must not break
    // start-up.
    NamespaceTracker ancient = tracker();
    ancient.restore(rev1, Instant.parse("0026-01-01T00:00:00Z"), Duration.ZERO);
    NamespaceTracker huge = tracker();
    huge.restore(rev1, time.now(), Duration.ofMillis(Long.MAX_VALUE));

    assertThat(ancient.read().status()).isEqualTo(Status.EXPIRED);
    assertThat(ancient.read().getInt("seats", -1)).isEqualTo(10);
    assertThat(huge.read().status()).isEqualTo(Status.EXPIRED);
    assertThat(huge.graceConsumed()).isEqualTo(GRACE);
  }

  @Test
  void B10_restore_withNegativeConsumedAndAFutureVerifiedAt_neverGivesMoreThanTheGracePeriod() {
    NamespaceTracker tracker = tracker();

    tracker.restore(rev1, time.now().plus(Duration.ofDays(1)), Duration.ofHours(-1));

    assertThat(tracker.read().freshness().graceRemaining()).isEqualTo(GRACE);
    time.advance(GRACE);
    assertThat(tracker.read().status()).isEqualTo(Status.EXPIRED);
  }

  @Test
  void restore_thenConfirm_isFresh() {
    NamespaceTracker tracker = tracker();
    tracker.restore(rev1, time.now(), Duration.ZERO);

    NamespaceTracker.Transition t = tracker.confirm("replica-a");

    assertThat(t.statusChanged()).isTrue();
    assertThat(t.previous().status()).isEqualTo(Status.STALE);
    assertThat(tracker.read().status()).isEqualTo(Status.FRESH);
  }

  @Test
  void repeatedFailures_reportTheStatusChangeOnlyOnce() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");

    NamespaceTracker.Transition first = tracker.fail("replica-a: unreachable");
    NamespaceTracker.Transition second = tracker.fail("replica-a: unreachable");
    NamespaceTracker.Transition third = tracker.fail("replica-b: HTTP 502");

    assertThat(first.statusChanged()).isTrue();
    assertThat(second.statusChanged()).isFalse();
    assertThat(third.statusChanged()).isFalse();
    assertThat(third.current().freshness().reason()).isEqualTo("replica-b: HTTP 502");
    assertThat(List.of(first, second, third)).allMatch(t -> !t.contentChanged());
  }

  @Test
  void I5_eachStateChange_isLoggedOnce_notPerAttempt() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");
    for (int i = 0; i < 20; i++) {
      tracker.fail("replica-a: unreachable");
      tracker.tick();
      tracker.read();
    }
    time.advance(GRACE);
    for (int i = 0; i < 20; i++) {
      tracker.fail("replica-a: unreachable");
      tracker.tick();
      tracker.read();
    }

    assertThat(log.count(Level.INFO, "INITIALIZING -> FRESH")).isEqualTo(1);
    assertThat(log.count(Level.WARNING, "FRESH -> STALE")).isEqualTo(1);
    assertThat(log.count(Level.WARNING, "STALE -> EXPIRED")).isEqualTo(1);
    assertThat(log.lines())
        .filteredOn(l -> l.level() == Level.WARNING || l.level() == Level.INFO)
        .hasSize(3);
  }

  @Test
  void statusChangeCausedByARead_isReportedOnceByTheNextTick() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");
    time.advance(STALE_AFTER);
    assertThat(tracker.read().status()).isEqualTo(Status.STALE);

    NamespaceTracker.Transition reported = tracker.tick();
    NamespaceTracker.Transition again = tracker.tick();

    assertThat(reported.statusChanged()).isTrue();
    assertThat(reported.previous().status()).isEqualTo(Status.FRESH);
    assertThat(reported.current().status()).isEqualTo(Status.STALE);
    assertThat(reported.contentChanged()).isFalse();
    assertThat(again.statusChanged()).isFalse();
  }

  @Test
  void I5_statusOnlyReadsSaw_isPassedThrough_whenAnEventMovesOnBeforeTheNextTick() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");
    time.advance(STALE_AFTER);
    ConfigSnapshot staleSeenByRead = tracker.read();
    assertThat(staleSeenByRead.status()).isEqualTo(Status.STALE);

    NamespaceTracker.Transition t = tracker.adopt(rev2, "replica-a");

    assertThat(t.previous().status()).isEqualTo(Status.FRESH);
    assertThat(t.current().status()).isEqualTo(Status.FRESH);
    assertThat(t.statusChanged()).isFalse();
    assertThat(t.passedThrough()).isSameAs(staleSeenByRead);
    assertThat(tracker.tick().passedThrough()).as("announced once").isNull();
  }

  @Test
  void eventTransitions_passThroughNothing_whenReadsSawNoOtherStatus() {
    NamespaceTracker tracker = tracker();

    assertThat(tracker.adopt(rev1, "replica-a").passedThrough()).isNull();
    assertThat(tracker.fail("down").passedThrough()).isNull();
    time.advance(GRACE);
    assertThat(tracker.read().status()).isEqualTo(Status.EXPIRED);
    NamespaceTracker.Transition t = tracker.tick();
    assertThat(t.statusChanged()).isTrue();
    assertThat(t.passedThrough()).as("the read saw what the tick announces").isNull();
  }

  @Test
  void expiryCausedByARead_isReportedOnceByTheNextTick() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");
    tracker.fail("down");
    assertThat(tracker.tick().statusChanged()).isFalse();
    time.advance(GRACE);
    assertThat(tracker.read().status()).isEqualTo(Status.EXPIRED);

    NamespaceTracker.Transition reported = tracker.tick();

    assertThat(reported.statusChanged()).isTrue();
    assertThat(reported.previous().status()).isEqualTo(Status.STALE);
    assertThat(reported.current().status()).isEqualTo(Status.EXPIRED);
    assertThat(tracker.tick().statusChanged()).isFalse();
  }

  @Test
  void I6_read_returnsTheSameSnapshotInstance_whenNothingChanged() {
    NamespaceTracker tracker = tracker();
    assertThat(tracker.read()).isSameAs(tracker.read());

    tracker.adopt(rev1, "replica-a");
    ConfigSnapshot fresh = tracker.read();
    time.advanceNanos(STALE_AFTER.toNanos() - 1);
    assertThat(tracker.read()).isSameAs(fresh);

    time.advanceNanos(1);
    ConfigSnapshot stale = tracker.read();
    assertThat(stale).isNotSameAs(fresh);
    time.advance(Duration.ofHours(1));
    assertThat(tracker.read()).isSameAs(stale);

    time.advance(GRACE);
    ConfigSnapshot expired = tracker.read();
    assertThat(expired.status()).isEqualTo(Status.EXPIRED);
    time.advance(Duration.ofDays(3));
    assertThat(tracker.read()).isSameAs(expired);
  }

  @Test
  void graceConsumed_countsOnTheTickerSinceTheLastVerification() {
    NamespaceTracker tracker = tracker();
    tracker.adopt(rev1, "replica-a");
    time.advance(Duration.ofMinutes(90));
    time.jumpWall(Duration.ofDays(-3));

    assertThat(tracker.graceConsumed()).isEqualTo(Duration.ofMinutes(90));
    tracker.confirm("replica-a");
    assertThat(tracker.graceConsumed()).isZero();
  }
}
