package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ManualTimeTest {

  @Test
  void startsAtTheDefaultWallInstantWithTheTickerAtZero() {
    ManualTime time = new ManualTime();

    assertThat(time.clock().instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(time.ticker().read()).isZero();
  }

  @Test
  void startsAtTheGivenWallInstant() {
    Instant start = Instant.parse("2030-06-15T12:34:56.789Z");

    assertThat(new ManualTime(start).clock().instant()).isEqualTo(start);
  }

  @Test
  void advance_movesTheTickerAndTheWallClockTogether() {
    ManualTime time = new ManualTime();

    time.advance(Duration.ofHours(7).plusMinutes(59).plusNanos(1));

    assertThat(time.ticker().read()).isEqualTo(Duration.ofHours(7).plusMinutes(59).toNanos() + 1);
    assertThat(time.clock().instant()).isEqualTo(Instant.parse("2026-01-01T07:59:00.000000001Z"));
    assertThat(time.clock().millis()).isEqualTo(time.clock().instant().toEpochMilli());
  }

  @Test
  void jumpWall_movesOnlyTheWallClock_inEitherDirection() {
    ManualTime time = new ManualTime();
    time.advance(Duration.ofMinutes(1));

    time.jumpWall(Duration.ofDays(-1));
    assertThat(time.clock().instant()).isEqualTo(Instant.parse("2025-12-31T00:01:00Z"));

    time.jumpWall(Duration.ofDays(366));
    assertThat(time.clock().instant()).isEqualTo(Instant.parse("2027-01-01T00:01:00Z"));

    assertThat(time.ticker().read()).isEqualTo(Duration.ofMinutes(1).toNanos());
  }

  @Test
  void advance_refusesToGoBack() {
    ManualTime time = new ManualTime();

    assertThatThrownBy(() -> time.advance(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(time.ticker().read()).isZero();
  }

  @Test
  void clock_isUtc_andItsZoneViewsShareTheTime() {
    ManualTime time = new ManualTime();
    var paris = time.clock().withZone(ZoneId.of("Europe/Paris"));

    time.advance(Duration.ofSeconds(5));

    assertThat(time.clock().getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(paris.instant()).isEqualTo(time.clock().instant());
  }
}
