package io.holdfast.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped monitoring: {@code deploy/prometheus/alerts.yml} is valid and passes its unit tests,
 * the example scrape configuration is valid and scrapes management ports, and every query of the
 * Grafana dashboard parses, all checked by Prometheus's own {@code promtool}.
 */
class MetricsRulesTest {

  private static final Path ALERTS = Promtool.ROOT.resolve("deploy/prometheus/alerts.yml");
  private static final Path ALERT_TESTS =
      Promtool.ROOT.resolve("deploy/prometheus/alerts.test.yml");
  private static final Path DASHBOARD =
      Promtool.ROOT.resolve("deploy/grafana/holdfast-dashboard.json");
  private static final Path SCRAPE_CONFIG =
      Promtool.ROOT.resolve("deploy/prometheus/prometheus.yml");

  @Test
  void alertRules_areValid() {
    Promtool.Result result = Promtool.run(new byte[0], "check", "rules", ALERTS.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: 12 rules found");
  }

  @Test
  void alertRules_passTheirUnitTests() {
    Promtool.Result result = Promtool.run(new byte[0], "test", "rules", ALERT_TESTS.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void theExampleScrapeConfig_isValid_andScrapesManagementPorts() throws IOException {
    Promtool.Result result = Promtool.run(new byte[0], "check", "config", SCRAPE_CONFIG.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: 12 rules found");
    assertThat(Files.readString(SCRAPE_CONFIG, StandardCharsets.UTF_8))
        .contains(":7080'")
        .doesNotContain(":7070");
  }

  @Test
  void everyAlertTheIssueNames_isDefined() throws IOException {
    String rules = Files.readString(ALERTS, StandardCharsets.UTF_8);
    for (String alert :
        List.of(
            "ReplicaContentUnavailable",
            "ReplicaChecksumUnavailable",
            "ReplicaLagging",
            "ReplicaDiverged",
            "InstancesStale",
            "InstancesNearGraceExpiry",
            "InstancesExpired",
            "SubscriptionOverAllocated",
            "RolloutBackedOut",
            "ChecksumsStatementNotReissued",
            "ChecksumsStatementExpired",
            "SigningKeyNotListed")) {
      assertThat(rules).contains("- alert: " + alert + "\n");
    }
  }

  @Test
  void dashboardQueries_allParse(@TempDir Path work) throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        queries.add(target.get("expr").asText());
      }
    }
    assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
    // promtool parses rule files, not bare queries: each query becomes a recording rule.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < queries.size(); i++) {
      rules
          .append("      - record: dashboard:query_")
          .append(i)
          .append('\n')
          .append("        expr: ")
          .append(new ObjectMapper().writeValueAsString(queries.get(i)))
          .append('\n');
    }
    Path file = work.resolve("dashboard-rules.yml");
    Files.writeString(file, rules, StandardCharsets.UTF_8);
    Promtool.Result result = Promtool.run(new byte[0], "check", "rules", file.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + queries.size() + " rules found");
  }
}
