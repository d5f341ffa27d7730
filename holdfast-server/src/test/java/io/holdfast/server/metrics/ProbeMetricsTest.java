package io.holdfast.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import io.holdfast.server.probe.ProbeCheck;
import io.holdfast.server.probe.SyntheticProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe's verdicts on {@code /metrics}, the series the replica alerts read: one gauge per check
 * and target, the lag and divergence. Rounds are run directly, not waited for.
 */
class ProbeMetricsTest {

  @TempDir static Path dataDir;

  private static ServerFixture replica;

  @BeforeAll
  static void start() {
    replica =
        ServerFixture.startConfigured(
            dataDir, b -> b.probeEnabled(true).probeInterval(Duration.ofHours(1)));
  }

  @AfterAll
  static void stop() {
    if (replica != null) {
      replica.close();
    }
  }

  private static String scrape() {
    return replica.scrapeMetrics();
  }

  @Test
  void beforeTheFirstRound_theGaugesSayNothing_andAfterAHealthyRound_everyCheckIsOne() {
    SyntheticProbe probe = replica.server().probe().running().orElseThrow();
    String target = probe.targets().get(0).toString();
    String unknown = "holdfast_probe_success{check=\"checksums\",target=\"" + target + "\"} NaN";
    assertThat(scrape()).contains(unknown);

    probe.runRound();

    // The page before the round may still be served for up to a second (ScrapeMemo).
    String text =
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .until(ProbeMetricsTest::scrape, t -> !t.contains(unknown));
    for (ProbeCheck check : ProbeCheck.values()) {
      assertThat(text)
          .contains(
              "holdfast_probe_success{check=\""
                  + check.label()
                  + "\",target=\""
                  + target
                  + "\"} 1.0");
    }
    assertThat(text).contains("holdfast_probe_lag_revisions{target=\"" + target + "\"} 0.0");
    assertThat(text).contains("holdfast_probe_diverged{target=\"" + target + "\"} 0.0");
    Promtool.Result result =
        Promtool.run(text.getBytes(StandardCharsets.UTF_8), "check", "metrics");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).isBlank();
  }
}
