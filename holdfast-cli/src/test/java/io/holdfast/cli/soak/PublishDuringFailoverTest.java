package io.holdfast.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS E4: publish bursts while a replica process is killed, the store is cut off and a replica
 * is blackholed, on a short fixed schedule; then the history check: no acknowledged revision lost,
 * no client's version ever decreasing, every replica converged on the same documents.
 */
class PublishDuringFailoverTest {

  private static final long SEED = 4L;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void
      E4_publishBurstDuringFailover_noAcknowledgedRevisionLost_versionsNeverDecrease_replicasConverge(
          @TempDir Path dir) throws Exception {
    SoakSettings settings =
        new SoakSettings(
            SEED,
            Duration.ofSeconds(40),
            StoreKind.POSTGRES,
            3,
            4,
            SoakSettings.DEFAULT_POSTGRES_URL,
            dir);
    List<PlannedFault> schedule =
        List.of(
            fault(3_000, FaultKind.PUBLISH_BURST, 0, 0, 25),
            fault(3_200, FaultKind.KILL, 0, 8_000, 1),
            fault(3_400, FaultKind.PUBLISH_BURST, 1, 0, 25),
            fault(12_000, FaultKind.POSTGRES_CUT, 0, 6_000, 1),
            fault(12_100, FaultKind.PUBLISH_BURST, 2, 0, 20),
            fault(21_000, FaultKind.BLACKHOLE, 1, 8_000, 1),
            fault(21_100, FaultKind.KILL, 2, 6_000, 1),
            fault(21_200, FaultKind.PUBLISH_BURST, 0, 0, 25),
            fault(30_000, FaultKind.POSTGRES_CUT, 0, 4_000, 1),
            fault(30_100, FaultKind.KILL, 1, 5_000, 1),
            fault(30_200, FaultKind.PUBLISH_BURST, 1, 0, 25));

    SoakReport report = SoakReport.of(settings, new SoakRun(settings, schedule).run());

    assertThat(report.violations()).as(report.table()).isZero();
    assertThat(report.outcome().convergence()).as(report.table()).isNotNull();
    assertThat(report.outcome().faults())
        .containsEntry("kill", 3L)
        .containsEntry("postgres-cut", 2L)
        .containsEntry("blackhole", 1L)
        .containsEntry("publish-burst", 5L);
    assertThat(report.outcome().operations().get("publish")).isGreaterThan(50L);
  }

  private static PlannedFault fault(
      long atMillis, FaultKind kind, int target, long lifetimeMillis, int size) {
    return new PlannedFault(
        Duration.ofMillis(atMillis), kind, target, Duration.ofMillis(lifetimeMillis), size);
  }
}
