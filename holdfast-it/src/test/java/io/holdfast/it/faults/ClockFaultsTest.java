package io.holdfast.it.faults;

import static io.holdfast.it.faults.FaultFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.Status;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * FAULTS.md A20 and B10 end to end: clocks that disagree. Replica A's clock is set off by rewriting
 * its {@code Date} (a real replica takes the host's clock, which a test cannot move); the client's
 * wall clock is the injected one. Grace runs on the monotonic clock, so neither may change what is
 * served or how long it is good for; the skew is reported, and a client clock far ahead expires the
 * replicas' signed freshness statements (STALE, naming the clock).
 */
class ClockFaultsTest extends FaultScenarios {

  private static String date(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
  }

  private static boolean near(Optional<Duration> skew, Duration expected) {
    return skew.isPresent()
        && skew.get().minus(expected).abs().compareTo(Duration.ofMinutes(1)) < 0;
  }

  @Test
  void A20_replicaClockTwelveHoursAheadThenTenMinutesBehind_servingUnaffected_skewReported() {
    String id = "a20-skew";
    long r1 = fx.instance(id, doc(1));
    Instant now = Instant.now();
    ManualTime time = new ManualTime(now);
    fx.proxyB().fault(Fault.refuseConnections());
    fx.proxyA().fault("", Fault.setHeader("Date", date(now.plus(Duration.ofHours(12)))));
    // Long poll only, for now: over the event stream the skew is not seen to move to -10 min
    // within the wait (the stream brings one Date per connection); not yet resolved, see the
    // faulty-stream report.
    Probe probe = startFresh(fx.builder(id, time).eventStream(false));

    assertThat(probe.revision()).isEqualTo(r1);
    assertThat(near(probe.client().clockSkew(), Duration.ofHours(12)))
        .as("skew %s", probe.client().clockSkew())
        .isTrue();
    long r2 = fx.publish(id, doc(2));
    eventually().until(() -> probe.revision() == r2);
    assertThat(probe.status()).isEqualTo(Status.FRESH);

    fx.proxyA().fault("", Fault.setHeader("Date", date(now.minus(Duration.ofMinutes(10)))));
    eventually().until(() -> near(probe.client().clockSkew(), Duration.ofMinutes(-10)));
    assertThat(probe.status()).isEqualTo(Status.FRESH);
    assertThat(probe.read().freshness().graceRemaining()).isEqualTo(Duration.ofHours(8));
    probe.assertHeld();
  }

  /**
   * Since replicas sign freshness statements (issue 19), a wall clock a year ahead makes every
   * statement look expired, so the client is STALE even with both replicas answering; FAULTS B10
   * expects exactly that ("a clock set ahead marks proofs expired … but does not break it"), with
   * the clock named as the cause. Grace and content are unaffected, and fixing the clock makes it
   * FRESH again.
   */
  @Test
  void B10_clientWallClockJumps_aDayBackAndAYearAhead_graceAndContentUnchanged_clockNamed() {
    String id = "b10-wall";
    long r1 = fx.instance(id, doc(1));
    ManualTime time = new ManualTime(Instant.now());
    Probe probe = startFresh(fx.builder(id, time));

    time.jumpWall(Duration.ofDays(-1));
    long r2 = fx.publish(id, doc(2));
    eventually().until(() -> probe.revision() == r2);
    assertThat(near(probe.client().clockSkew(), Duration.ofDays(1)))
        .as("skew %s", probe.client().clockSkew())
        .isTrue();

    fx.refuseBoth();
    eventually().until(() -> probe.status() == Status.STALE);
    time.jumpWall(Duration.ofDays(366));
    time.advance(Duration.ofHours(1));
    eventually().until(() -> probe.read().freshness().graceRemaining().equals(Duration.ofHours(7)));
    assertThat(probe.status())
        .as("a year on the wall clock is not a year of grace")
        .isEqualTo(Status.STALE);
    assertThat(probe.read().getInt("v", -1)).isEqualTo(2);

    fx.clearFaults();
    eventually()
        .until(() -> probe.read().freshness().reason().contains("ahead of the replicas' (fix"));
    assertThat(probe.status()).isEqualTo(Status.STALE);
    assertThat(probe.read().getInt("v", -1)).isEqualTo(2);
    assertThat(probe.read().freshness().graceRemaining()).isLessThanOrEqualTo(Duration.ofHours(7));

    time.jumpWall(Duration.ofDays(-365));
    eventually().until(() -> probe.status() == Status.FRESH);
    eventually().until(() -> probe.changedRevisions().contains(r2));
    assertThat(probe.changedRevisions()).containsExactly(r1, r2);
    probe.assertHeld();
  }
}
