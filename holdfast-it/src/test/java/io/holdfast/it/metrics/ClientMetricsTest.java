package io.holdfast.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.micrometer.HoldfastClientMetrics;
import io.holdfast.it.ReplicaPair;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.ManualTime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's Micrometer binder against two real replicas behind fault proxies: fetch outcomes are
 * counted as they happen, the status gauge follows an outage of both replicas and the recovery,
 * grace remaining runs down with the client's ticker, and the Prometheus exposition uses
 * conventional names.
 */
class ClientMetricsTest {

  private static final String INSTANCE = "metrics-1";
  private static final String NAMESPACE = "core";

  @TempDir static Path dataDir;
  private static ReplicaPair pair;
  private static String credential;

  private final ManualTime time = new ManualTime();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @BeforeAll
  static void replicas() {
    pair = ReplicaPair.start(dataDir);
    pair.createNamespace(NAMESPACE);
    credential = pair.createInstance(INSTANCE, "live");
    publish("{\"seats\":10}");
  }

  @AfterAll
  static void stop() {
    pair.close();
  }

  /** Publishes through replica A and waits until B serves it too. */
  private static long publish(String content) {
    long revision = pair.publish(NAMESPACE, "instance:" + INSTANCE, content);
    eventually().until(() -> pair.serverB().snapshots().current().revision() >= revision);
    return revision;
  }

  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
  }

  private HoldfastClient client() {
    return pair.clientBuilder(INSTANCE, credential, time).namespaces(NAMESPACE).build();
  }

  /** Fetches with this outcome so far, over every kind and replica. */
  private double fetches(String outcome) {
    return registry.find("holdfast.client.fetches").tag("outcome", outcome).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private double fetches(String kind, String outcome) {
    return registry
        .find("holdfast.client.fetches")
        .tags("kind", kind, "outcome", outcome)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private double gauge(String name, String... tags) {
    Gauge gauge = registry.get(name).tag("namespace", NAMESPACE).tags(tags).gauge();
    return gauge.value();
  }

  private boolean statusIs(String status) {
    return gauge("holdfast.client.status", "status", status) == 1;
  }

  /**
   * What {@code promtool check metrics} finds wrong with an exposition: nothing, if it is clean.
   */
  private static String promtoolCheckMetrics(String exposition)
      throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath().getParent();
    String promtool = run(root, exposition, root.resolve("bin/ensure-promtool").toString()).strip();
    return run(root, exposition, promtool, "check", "metrics");
  }

  private static String run(Path root, String stdin, String... command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
    try (var in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command[0], output).isZero();
    return output;
  }

  @Test
  void outcomesStatusAndGrace_followTheReplicas_andTheExpositionIsConventional() throws Exception {
    try (HoldfastClient client = client()) {
      HoldfastClientMetrics metrics = new HoldfastClientMetrics(client, time.clock());
      metrics.bindTo(registry);
      metrics.bindTo(prometheus);
      client.start();

      // The first sync adopts the document; a publish is adopted through the watch.
      eventually().until(() -> fetches("document", "adopted") >= 1 && statusIs("fresh"));
      double adopted = fetches("adopted");
      publish("{\"seats\":11}");
      eventually()
          .until(
              () ->
                  fetches("adopted") > adopted
                      && client.snapshot(NAMESPACE).getInt("seats", 0) == 11);

      // Confirmations: the watch's 304s, and the checksums poll once the poll interval has passed.
      double confirmed = fetches("confirmed") + fetches("not_modified");
      time.advance(Duration.ofMillis(200));
      eventually().until(() -> fetches("confirmed") + fetches("not_modified") > confirmed);
      assertThat(statusIs("fresh")).isTrue();
      assertThat(gauge("holdfast.client.grace.remaining"))
          .isCloseTo(Duration.ofHours(8).toSeconds(), within(1.0));

      // Both replicas answer 503: counted as unavailable, and the namespace turns STALE.
      pair.proxyA().fault(Fault.status(503));
      pair.proxyB().fault(Fault.status(503));
      eventually().until(() -> statusIs("stale"));
      assertThat(fetches("unavailable")).isPositive();
      assertThat(registry.find("holdfast.client.fetches").tag("outcome", "unavailable").counters())
          .extracting(c -> c.getId().getTag("replica"))
          .contains(pair.replicas().get(0).getAuthority(), pair.replicas().get(1).getAuthority());
      assertThat(gauge("holdfast.client.status", "status", "fresh")).isZero();

      // Grace runs down with the client's ticker, not with real time.
      double before = gauge("holdfast.client.grace.remaining");
      time.advance(Duration.ofMinutes(30));
      eventually()
          .until(
              () ->
                  gauge("holdfast.client.grace.remaining")
                      <= before - Duration.ofMinutes(30).toSeconds() + 1);
      assertThat(gauge("holdfast.client.verification.age"))
          .isGreaterThanOrEqualTo(Duration.ofMinutes(30).toSeconds());

      // The outage ends: FRESH again, and the whole grace period is back.
      pair.proxyA().clear();
      pair.proxyB().clear();
      eventually()
          .until(
              () ->
                  statusIs("fresh")
                      && gauge("holdfast.client.grace.remaining")
                          >= Duration.ofHours(8).toSeconds() - 1);
      assertThat(gauge("holdfast.client.status", "status", "stale")).isZero();

      String exposition = prometheus.scrape();
      assertThat(exposition)
          .contains(
              "holdfast_client_fetches_total{kind=\"document\",outcome=\"adopted\",replica=\"")
          .contains("outcome=\"unavailable\"")
          .contains("holdfast_client_fetch_duration_seconds_count{")
          .contains("holdfast_client_fetch_duration_seconds_sum{")
          .contains("holdfast_client_status{namespace=\"core\",status=\"fresh\"} 1.0")
          .contains("holdfast_client_status{namespace=\"core\",status=\"stale\"} 0.0")
          .contains("holdfast_client_grace_remaining_seconds{namespace=\"core\"}")
          .contains("holdfast_client_verification_age_seconds{namespace=\"core\"}");
      assertThat(promtoolCheckMetrics(exposition)).as("promtool check metrics").isBlank();
    } finally {
      pair.proxyA().clear();
      pair.proxyB().clear();
      prometheus.close();
    }
  }
}
