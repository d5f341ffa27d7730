package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The coarse clock reads judge freshness by (issue 21): with its thread keeping pace, deadlines are
 * still seen at the exact tick; with its thread stalled, expiry is still reported (FAULTS I12: a
 * stuck thread must not hide it). Time is the test's {@link ManualTime}; the clock thread's work is
 * {@link ReadClock#advance()}, called by hand, so "stalled" is simply not calling it.
 */
class ReadClockTest {

  private static final Duration GRACE = Duration.ofHours(8);
  private static final Duration STALE_AFTER = Duration.ofMinutes(5);
  private static final TestDocuments DOCS = new TestDocuments();

  /** Far more reads than a stalled clock may hide expiry for: (31/32)^2000 is about 1e-28. */
  private static final int READS_TO_NOTICE = 2000;

  private final ManualTime time = new ManualTime();
  private final ReadClock clock = ReadClock.coarse(time.ticker());
  private final NamespaceTracker tracker =
      new NamespaceTracker(
          "core",
          GRACE,
          STALE_AFTER,
          ExpiredPolicy.SERVE_LAST_KNOWN_GOOD,
          time.ticker(),
          clock,
          time.clock(),
          ConfigSnapshot::new,
          new RecordingLogger());

  private void failedAndRunning() {
    clock.advance();
    tracker.adopt(DOCS.document("core", 1, "{\"seats\":10}"), "replica-a");
    tracker.fail("all replicas down");
  }

  /** Time passes and the clock thread keeps pace, as it does every 10 ms. */
  private void pass(long nanos) {
    time.advanceNanos(nanos);
    clock.advance();
  }

  @Test
  void I12_coarseClockKeepingPace_expiryAtTheExactTick_notAPeriodLate() {
    failedAndRunning();

    pass(GRACE.toNanos() - ReadClock.PERIOD.toNanos());
    assertThat(tracker.read().status()).isEqualTo(Status.STALE);
    // Within one period of the deadline, the coarse reading has not moved yet.
    time.advanceNanos(ReadClock.PERIOD.toNanos() - 1);
    assertThat(tracker.read().status()).as("1 ns before the deadline").isEqualTo(Status.STALE);
    time.advanceNanos(1);
    ConfigSnapshot atGrace = tracker.read();

    assertThat(atGrace.status()).as("at the deadline, on the first read").isEqualTo(Status.EXPIRED);
    assertThat(atGrace.freshness().since()).isEqualTo(time.now());
  }

  @Test
  void I12_coarseClockKeepingPace_staleAfterAtTheExactTick() {
    clock.advance();
    tracker.adopt(DOCS.document("core", 1, "{\"seats\":10}"), "replica-a");

    pass(STALE_AFTER.toNanos() - 1);
    assertThat(tracker.read().status()).isEqualTo(Status.FRESH);
    time.advanceNanos(1);
    assertThat(tracker.read().status()).isEqualTo(Status.STALE);
  }

  @Test
  void I12_clockThreadStalledHoursBeforeExpiry_expiryStillReported_thenEveryReadExact() {
    failedAndRunning();
    pass(Duration.ofHours(1).toNanos());

    // The clock thread stops; seven hours later, and then past the deadline, reads go on.
    time.advance(Duration.ofHours(7).minusNanos(1));
    int reads = 0;
    while (reads < READS_TO_NOTICE && tracker.read().status() == Status.STALE) {
      reads++;
    }
    // Once a read has noticed the stall, every read is exact.
    assertThat(tracker.read().status()).isEqualTo(Status.STALE);
    time.advanceNanos(1);
    ConfigSnapshot atGrace = tracker.read();

    assertThat(atGrace.status()).as("the first read at the deadline").isEqualTo(Status.EXPIRED);
    assertThat(atGrace.freshness().since()).isEqualTo(time.now());
  }

  @Test
  void I12_clockThreadStalled_deadlinePassesUnwatched_expiryReportedWithinAFewReads() {
    failedAndRunning();
    pass(Duration.ofMinutes(1).toNanos());

    time.advance(GRACE); // the thread stalled all along
    int reads = 1;
    while (reads < READS_TO_NOTICE && tracker.read().status() != Status.EXPIRED) {
      reads++;
    }

    assertThat(tracker.read().status()).isEqualTo(Status.EXPIRED);
    assertThat(reads).as("reads before a stalled clock was noticed").isLessThan(READS_TO_NOTICE);
  }

  @Test
  void read_neverAheadOfTheRealClock_andAtMostTheSlackBehindWhileKeepingPace() {
    clock.advance();
    for (int i = 0; i < 1000; i++) {
      time.advanceNanos(ReadClock.PERIOD.toNanos() / 3);
      if (i % 3 == 0) {
        clock.advance();
      }
      long reading = clock.read();
      assertThat(reading).isLessThanOrEqualTo(time.tick());
      assertThat(time.tick() - reading).isLessThanOrEqualTo(ReadClock.SLACK.toNanos());
    }
  }

  @Test
  void beforeStartAndAfterStop_everyReadIsExact() {
    time.advance(Duration.ofSeconds(5));
    assertThat(clock.read()).as("never advanced: exact").isEqualTo(time.tick());

    clock.start();
    clock.stop();
    time.advance(Duration.ofSeconds(5));
    assertThat(clock.read()).as("stopped: exact").isEqualTo(time.tick());
  }

  @Test
  void exactClock_readsTheTickerEveryTime() {
    ReadClock exact = ReadClock.exact(time.ticker());
    exact.advance();
    time.advance(Duration.ofSeconds(1));
    assertThat(exact.read()).isEqualTo(time.tick());
    assertThat(exact.slackNanos()).isZero();
  }
}
