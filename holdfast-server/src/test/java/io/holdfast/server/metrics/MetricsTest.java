package io.holdfast.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} on a real replica's management port: request counts by route template and status
 * (the 304 ratio comes from these), the served revision and store health, bounded label values, and
 * a clean bill from {@code promtool check metrics}.
 */
class MetricsTest {

  private static final String CONFIG = "/v1/instances/acme-prod/config/core";

  @TempDir static Path dataDir;

  private static ServerFixture replica;
  private static String token;

  @BeforeAll
  static void start() {
    replica = ServerFixture.start(dataDir);
    replica.createNamespace("core");
    token = replica.createInstance("acme-prod", "live");
    replica.publishLayer("core", "default", "{\"seats\":{\"crm\":25}}");
  }

  @AfterAll
  static void stop() {
    if (replica != null) {
      replica.close();
    }
  }

  private static String scrape() {
    HttpResponse<byte[]> response = replica.getManagement("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /**
   * Scrapes until {@code expectations} hold: the tests share one replica, and a page rendered for
   * an earlier test is served for up to a second (ScrapeMemo).
   */
  private static void scrapeUntil(Consumer<String> expectations) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> expectations.accept(scrape()));
  }

  /**
   * The value of the first sample whose line starts with {@code name} and contains every fragment.
   */
  private static Optional<Double> sample(String text, String name, String... fragments) {
    return text.lines()
        .filter(l -> !l.startsWith("#") && (l.startsWith(name + "{") || l.startsWith(name + " ")))
        .filter(l -> List.of(fragments).stream().allMatch(l::contains))
        .findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
  }

  @Test
  void requestsAreCountedByRouteTemplateAndStatus_soThe304RatioCanBeComputed() {
    HttpResponse<byte[]> first = replica.get(CONFIG, token);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    for (int i = 0; i < 3; i++) {
      assertThat(replica.get(CONFIG, token, "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    String name = "holdfast_http_server_requests_seconds_count";
    scrapeUntil(
        text -> {
          assertThat(sample(text, name, "status=\"304\"", "config"))
              .as(text)
              .hasValueSatisfying(v -> assertThat(v).isEqualTo(3.0));
          assertThat(sample(text, name, "status=\"200\"", "config"))
              .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1.0));
          assertThat(text).contains("route=\"/v1/instances/{instance}/config/{namespace}\"");
          assertThat(
                  sample(
                      text,
                      "holdfast_http_server_requests_seconds_bucket",
                      "status=\"304\"",
                      "le=\"+Inf\""))
              .isPresent();
        });
  }

  @Test
  void unknownIdsInPaths_doNotBecomeLabelValues() {
    for (int i = 0; i < 20; i++) {
      replica.get("/v1/instances/nobody-" + i + "/config/core", token);
      replica.get("/no/such/route/" + i, null);
    }
    scrapeUntil(
        text -> {
          assertThat(text).doesNotContain("nobody-").doesNotContain("/no/such/route");
          assertThat(
                  sample(
                      text,
                      "holdfast_http_server_requests_seconds_count",
                      "route=\"unmatched\"",
                      "status=\"404\""))
              .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(20.0));
        });
  }

  @Test
  void revisionAndStoreHealth_areExported() {
    long served = replica.server().snapshots().current().revision();
    String text = scrape();
    assertThat(sample(text, "holdfast_replica_revision")).contains((double) served);
    assertThat(sample(text, "holdfast_store_up")).contains(1.0);
    assertThat(sample(text, "holdfast_store_unreachable_seconds")).contains(0.0);
    assertThat(sample(text, "holdfast_replica_lag_revisions")).contains(0.0);
    assertThat(sample(text, "holdfast_watchers")).contains(0.0);
    assertThat(sample(text, "holdfast_watchers_limit"))
        .hasValueSatisfying(v -> assertThat(v).isPositive());
  }

  @Test
  void exposition_passesPromtoolCheckMetrics() {
    replica.get(CONFIG, token);
    String text = scrape();
    Promtool.Result result =
        Promtool.run(text.getBytes(StandardCharsets.UTF_8), "check", "metrics");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).as("promtool findings").isBlank();
  }
}
