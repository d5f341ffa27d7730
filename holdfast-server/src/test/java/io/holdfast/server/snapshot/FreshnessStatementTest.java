package io.holdfast.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.protocol.document.Checksums;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Statement windows: periods of half the validity, aligned to the epoch, never under half left. */
class FreshnessStatementTest {

  private final FreshnessStatement day = new FreshnessStatement(Duration.ofHours(24));

  @Test
  void window_startsAtTheAlignedPeriodStart_andLastsOneValidity() {
    Checksums.Validity morning = day.at(Instant.parse("2026-02-02T10:00:00Z"));

    assertThat(morning.issuedAt()).isEqualTo(Instant.parse("2026-02-02T00:00:00Z"));
    assertThat(morning.expires()).isEqualTo(Instant.parse("2026-02-03T00:00:00Z"));
    assertThat(day.period()).isEqualTo(Duration.ofHours(12));
  }

  @Test
  void window_isTheSameThroughoutAPeriod_andMovesAtItsEnd() {
    Checksums.Validity first = day.at(Instant.parse("2026-02-02T00:00:00Z"));

    assertThat(day.at(Instant.parse("2026-02-02T11:59:59.999Z"))).isEqualTo(first);
    Checksums.Validity next = day.at(Instant.parse("2026-02-02T12:00:00Z"));
    assertThat(next.issuedAt()).isEqualTo(Instant.parse("2026-02-02T12:00:00Z"));
    assertThat(next.expires()).isEqualTo(Instant.parse("2026-02-03T12:00:00Z"));
  }

  @Test
  void aServedStatement_alwaysHoldsAtLeastHalfItsValidity() {
    Random random = new Random(19);
    for (Duration validity :
        new Duration[] {
          Duration.ofMinutes(10), Duration.ofMinutes(10).plusMillis(1), Duration.ofDays(30)
        }) {
      FreshnessStatement statement = new FreshnessStatement(validity);
      for (int i = 0; i < 1000; i++) {
        Instant now = Instant.ofEpochMilli(1_700_000_000_000L + random.nextLong(400L * 86_400_000));
        Checksums.Validity window = statement.at(now);
        assertThat(window.issuedAt()).isBeforeOrEqualTo(now);
        assertThat(Duration.between(window.issuedAt(), window.expires())).isEqualTo(validity);
        assertThat(Duration.between(now, window.expires()))
            .isGreaterThan(validity.dividedBy(2).minusMillis(1));
      }
    }
  }

  @Test
  void windowsBeforeTheEpoch_alignDownwards() {
    Checksums.Validity window = day.at(Instant.parse("1969-12-31T23:00:00Z"));

    assertThat(window.issuedAt()).isEqualTo(Instant.parse("1969-12-31T12:00:00Z"));
  }

  @Test
  void aValidityWithoutAPeriod_isRefused() {
    assertThatThrownBy(() -> new FreshnessStatement(Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
