package io.holdfast.cli.soak.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.client.Status;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SoakSummaryTest {

  /** The rows of one section of the table, what to count. */
  private static Map<String, String> section(String table, String section) {
    Map<String, String> rows = new TreeMap<>();
    for (String line : table.split("\\R")) {
      String[] cells = line.trim().split("\\s{2,}");
      if (cells.length == 3 && cells[0].equals(section)) {
        rows.put(cells[1], cells[2]);
      }
    }
    return rows;
  }

  @Test
  void summary_countsOperationsAndFaultsByKind() {
    SoakSummary summary = Soaks.check(Soaks.clean());

    assertThat(summary.operations())
        .containsEntry("publish", 3L)
        .containsEntry("read", 3L)
        .containsEntry("admit admitted", 4L)
        .containsEntry("admit denied_limit_reached", 1L)
        .containsEntry("release released", 1L)
        .containsEntry("client cold start", 2L)
        .containsEntry("replica read after heal", 6L);
    assertThat(summary.faults()).isEqualTo(Map.of("blackhole", 1L, "kill", 1L));
  }

  @Test
  void timeToFresh_isMeasuredAfterEveryHeal() {
    RecoveryTimes recovery = RecoveryTimes.of(Soaks.clean());

    assertThat(recovery.heals())
        .extracting(HealRecovery::healNanos)
        .containsExactly(4_000_000_000L, 7_000_000_000L);
    assertThat(recovery.heals().get(0).nanosToFresh()).isEqualTo(Map.of("c01", 500_000_000L));
    assertThat(recovery.heals().get(0).freshAtHeal()).isEqualTo(1);
    assertThat(recovery.heals().get(1).nanosToFresh()).isEqualTo(Map.of("c02", 800_000_000L));
    assertThat(recovery.p50()).contains(Duration.ofMillis(500));
    assertThat(recovery.max()).contains(Duration.ofMillis(800));
    assertThat(recovery.notRecovered()).isZero();
  }

  @Test
  void clientStillStaleWhenTheNextFaultStarts_isNotRecovered() {
    HistoryBuilder b = new HistoryBuilder(3);
    b.at(0.1).started("c01", "acme", false).status("c01", "acme", Status.STALE);
    b.at(1).faultStart("f1", "5xx", "replica-1");
    b.at(2).faultStart("f2", "corrupt", "replica-2");
    b.at(3).faultEnd("f1", "5xx", "replica-1");
    b.at(4).faultEnd("f2", "corrupt", "replica-2");
    b.at(5).faultStart("f3", "kill", "replica-1");
    b.at(6).status("c01", "acme", Status.FRESH);
    b.at(7).heal();

    RecoveryTimes recovery = RecoveryTimes.of(b.build());

    // One heal when the overlapping faults both ended, one at the final heal.
    assertThat(recovery.heals())
        .extracting(HealRecovery::healNanos)
        .containsExactly(4_000_000_000L, 7_000_000_000L);
    assertThat(recovery.heals().get(0).notFresh()).containsExactly("c01");
    assertThat(recovery.heals().get(1).freshAtHeal()).isEqualTo(1);
    assertThat(recovery.p50()).isEmpty();
  }

  @Test
  void table_hasOneRowPerViolationKindAndTheRecoveryFigures() {
    SoakSummary summary =
        Soaks.check(Soaks.soak(b -> b.error("c01", "acme", new IllegalStateException()), b -> {}));

    String table = summary.table();

    assertThat(table.lines().findFirst().orElseThrow())
        .startsWith("soak seed " + Soaks.SEED)
        .endsWith("FAILED (1 violations)");
    assertThat(section(table, "violations"))
        .hasSize(ViolationKind.values().length)
        .containsEntry("APPLICATION_EXCEPTION", "1")
        .containsEntry("SEATS_OVER_LIMIT", "0");
    assertThat(section(table, "faults")).containsEntry("kill", "1");
    assertThat(section(table, "recovery"))
        .containsEntry("time to FRESH p50", "0.500s")
        .containsEntry("time to FRESH max", "0.800s");
    assertThat(table).contains("APPLICATION_EXCEPTION at 3.500s by c01: c01 got");
  }

  @Test
  void json_carriesTheVerdictCountsAndRecovery() throws Exception {
    SoakSummary summary = Soaks.check(Soaks.soak(b -> b.seatCount("acme", 4), b -> {}));

    JsonNode json = new ObjectMapper().readTree(summary.json());

    assertThat(json.get("seed").asLong()).isEqualTo(Soaks.SEED);
    assertThat(json.get("passed").asBoolean()).isFalse();
    assertThat(json.at("/violationCounts/SEATS_OVER_LIMIT").asLong()).isEqualTo(1);
    assertThat(json.at("/violations/0/who").asText()).isEqualTo("acme/crm");
    assertThat(json.at("/operations/read").asLong()).isEqualTo(3);
    assertThat(json.at("/recovery/maxNanos").asLong()).isEqualTo(800_000_000L);
    assertThat(json.at("/recovery/heals/1/nanosToFresh/c02").asLong()).isEqualTo(800_000_000L);
  }

  @Test
  void systematicViolations_areAllCountedButOnlySomeKept() {
    SoakSummary summary =
        Soaks.check(
            Soaks.soak(
                b -> {
                  for (int i = 0; i < Violations.KEPT_PER_KIND + 20; i++) {
                    b.error("c01", "acme", new IllegalStateException("n" + i));
                  }
                },
                b -> {}));

    assertThat(summary.count(ViolationKind.APPLICATION_EXCEPTION))
        .isEqualTo(Violations.KEPT_PER_KIND + 20);
    assertThat(summary.violations()).hasSize(Violations.KEPT_PER_KIND);
  }
}
