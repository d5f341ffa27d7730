package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClockSkewTest {

  private final ManualTime time = new ManualTime();
  private final RecordingLogger log = new RecordingLogger();
  private final ClockSkew skew = new ClockSkew(time.clock(), Duration.ofMinutes(5), log);

  @Test
  void estimate_isReplicaMinusLocal_fromTheDateHeader() {
    assertThat(skew.estimate()).isEmpty();
    // ManualTime starts at 2026-03-01T12:00:00Z, a Sunday.
    skew.observe("Mon, 02 Mar 2026 00:00:00 GMT", "r1");
    assertThat(skew.estimate()).contains(Duration.ofHours(12));
    skew.observe("Sun, 01 Mar 2026 11:50:00 GMT", "r1");
    assertThat(skew.estimate()).contains(Duration.ofMinutes(-10));
  }

  @Test
  void A20_skewBeyondTheThreshold_warnsOnceWhileItLasts_andNotesWhenItIsOver() {
    for (int i = 0; i < 5; i++) {
      skew.observe("Mon, 02 Mar 2026 00:00:00 GMT", "r1");
    }
    assertThat(log.count(Level.WARNING, "away from this host")).isEqualTo(1);
    skew.observe("Sun, 01 Mar 2026 12:00:01 GMT", "r1");
    assertThat(log.count(Level.INFO, "agrees with this host again")).isEqualTo(1);
    skew.observe("Sun, 01 Mar 2026 12:10:00 GMT", "r1");
    assertThat(log.count(Level.WARNING, "away from this host")).isEqualTo(2);
  }

  @Test
  void oneSkewedReplicaAmongGoodOnes_warnsOnce_notAtEveryFailover() {
    for (int i = 0; i < 5; i++) {
      skew.observe("Mon, 02 Mar 2026 00:00:00 GMT", "skewed");
      skew.observe("Sun, 01 Mar 2026 12:00:00 GMT", "good");
    }
    assertThat(log.count(Level.WARNING, "away from this host")).isEqualTo(1);
    assertThat(log.count(Level.INFO, "agrees with this host again")).isZero();
  }

  @Test
  void cachedAnswer_withAnAge_isNoClockReading() {
    skew.observe("Mon, 02 Mar 2026 00:00:00 GMT", "120", "r1");
    assertThat(skew.estimate()).isEmpty();
  }

  @Test
  void missingOrMalformedDate_isIgnored() {
    skew.observe(null, "r1");
    skew.observe("yesterday at noon", "r1");
    assertThat(skew.estimate()).isEmpty();
    assertThat(log.lines()).isEmpty();
  }
}
