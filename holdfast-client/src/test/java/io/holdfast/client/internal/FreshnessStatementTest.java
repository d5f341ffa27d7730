package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.document.Checksums;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The checksums' freshness statement gating confirmations (FAULTS D11). */
class FreshnessStatementTest {

  private final ManualTime time = new ManualTime();
  private final SigningTrust trust = SigningTrust.pinned(Map.of(), time.clock());
  private final ClockSkew skew =
      new ClockSkew(time.clock(), Duration.ofMinutes(5), System.getLogger("test"));

  private static Checksums stated(Instant issuedAt, Duration validFor) {
    return new Checksums(
        TestDocuments.INSTANCE,
        3,
        new TreeMap<>(),
        Optional.of(new Checksums.Validity(issuedAt, issuedAt.plus(validFor))),
        0);
  }

  private static Checksums legacy() {
    return new Checksums(TestDocuments.INSTANCE, 3, new TreeMap<>());
  }

  @Test
  void required_refusesChecksumsWithoutAStatement_andConfirmsNothingBeforeTheFirst() {
    FreshnessStatement freshness = new FreshnessStatement(true, trust, skew);

    assertThat(freshness.refusal(legacy())).contains("no freshness statement");
    assertThat(freshness.expired()).contains("no verified checksums with a freshness statement");
  }

  @Test
  void legacy_takesChecksumsWithoutAStatement_andConfirmsAsItAlwaysDid() {
    FreshnessStatement freshness = new FreshnessStatement(false, trust, skew);

    assertThat(freshness.refusal(legacy())).isNull();
    freshness.accept(legacy());
    assertThat(freshness.expired()).isNull();
  }

  @Test
  void anExpiredStatement_isRefused_judgedByTheLaterOfWallAndSignedTime() {
    FreshnessStatement freshness = new FreshnessStatement(true, trust, skew);
    Checksums old = stated(ManualTime.START.minus(Duration.ofHours(2)), Duration.ofHours(1));

    assertThat(freshness.refusal(old))
        .contains("expired at " + ManualTime.START.minus(Duration.ofHours(1)))
        .contains("an old answer replayed");

    Checksums current = stated(ManualTime.START, Duration.ofHours(1));
    assertThat(freshness.refusal(current)).isNull();
    // A clock set back does not revive it once a later signed time was seen.
    time.advance(Duration.ofHours(1));
    trust.noteSignedTime(time.now());
    time.jumpWall(Duration.ofHours(-2));
    assertThat(freshness.refusal(current)).contains("expired");
  }

  @Test
  void accept_keepsTheLatestExpiry_andConfirmationsStopWhenItPasses() {
    FreshnessStatement freshness = new FreshnessStatement(true, trust, skew);
    freshness.accept(stated(ManualTime.START, Duration.ofHours(3)));
    // Older checksums from a lagging replica, valid but expiring sooner, do not shorten it.
    freshness.accept(stated(ManualTime.START.minus(Duration.ofMinutes(30)), Duration.ofHours(1)));

    time.advance(Duration.ofHours(2));
    assertThat(freshness.expired()).isNull();

    time.advance(Duration.ofHours(1));
    assertThat(freshness.expired())
        .contains("expired at " + ManualTime.START.plus(Duration.ofHours(3)))
        .contains("freeze suspected");

    freshness.accept(stated(time.now(), Duration.ofHours(1)));
    assertThat(freshness.expired()).isNull();
  }

  @Test
  void accept_notesTheStatementsIssuedAt_asASignedTime() {
    FreshnessStatement freshness = new FreshnessStatement(true, trust, skew);
    Instant ahead = ManualTime.START.plus(Duration.ofMinutes(3));

    freshness.accept(stated(ahead, Duration.ofHours(1)));

    assertThat(trust.now()).isEqualTo(ahead);
  }

  @Test
  void legacyChecksumsWithoutAStatement_resetAnEarlierStatement() {
    FreshnessStatement freshness = new FreshnessStatement(false, trust, skew);
    freshness.accept(stated(ManualTime.START, Duration.ofHours(1)));
    time.advance(Duration.ofHours(2));
    assertThat(freshness.expired()).contains("freeze suspected");

    // A replica older than statements vouches as replicas always did: the expired one is gone.
    freshness.accept(legacy());

    assertThat(freshness.expired()).isNull();
  }

  @Test
  void B10_aStatementExpiredBecauseThisHostsClockRunsAhead_saysSo_notFreeze() {
    FreshnessStatement freshness = new FreshnessStatement(true, trust, skew);
    freshness.accept(stated(ManualTime.START, Duration.ofHours(1)));
    // The host's clock jumps a year ahead; the replicas' Date says the real time.
    time.jumpWall(Duration.ofDays(365));
    skew.observe(
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ManualTime.START.atOffset(java.time.ZoneOffset.UTC)),
        "replica-a");

    assertThat(freshness.expired())
        .contains("this host's clock runs")
        .contains("ahead of the replicas'")
        .doesNotContain("freeze");
  }
}
