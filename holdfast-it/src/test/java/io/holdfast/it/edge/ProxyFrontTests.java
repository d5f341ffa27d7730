package io.holdfast.it.edge;

import static io.holdfast.it.edge.TwoTenantReplicas.SECRET_A;
import static io.holdfast.it.edge.TwoTenantReplicas.SECRET_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents, 304s and watches through a real proxy (nginx, HAProxy, Varnish from Debian's packages)
 * in front of two real replica processes with two tenants: they work, the tenant walls hold, and a
 * watch at its maximum timeout is answered before the proxy's read timeout (60 s: nginx's and
 * Varnish's defaults, HAProxy's {@code timeout server} as documented) gives up on it, so there is
 * no 504 and no replica is marked down (FAULTS F7). Each subclass is one proxy with one
 * configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
abstract class ProxyFrontTests {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TwoTenantReplicas replicas;
  private ProxyFront proxy;
  private EdgeClient client;

  /** Starts the proxy under test in front of {@code replicas}, its files under {@code dir}. */
  abstract ProxyFront startProxy(Path dir, TwoTenantReplicas replicas) throws Exception;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    replicas = TwoTenantReplicas.start(dir);
    proxy = startProxy(dir.resolve("proxy"), replicas);
    client = proxy.client();
  }

  @AfterAll
  void stop() {
    try {
      if (client != null) {
        client.close();
      }
      if (proxy != null) {
        proxy.close();
      }
    } finally {
      if (replicas != null) {
        replicas.close();
      }
    }
  }

  @Test
  void F7_documentsAndTheir304s_workThroughTheProxy_onEitherReplica() {
    URI document = proxy.uri("/v1/instances/tenant-a/config/core");
    HttpResponse<String> first = client.get(document, replicas.tokenA());
    assertThat(first.statusCode())
        .as("%s%nthe proxy's log:%n%s", first.body(), proxy.log())
        .isEqualTo(200);
    String etag = first.headers().firstValue("ETag").orElseThrow();

    // The proxy takes turns between the replicas: four requests reach both of them.
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> full = client.get(document, replicas.tokenA());
      assertThat(full.statusCode()).as(full.body()).isEqualTo(200);
      assertThat(full.body()).contains(SECRET_A).doesNotContain(SECRET_B);
      assertThat(full.headers().firstValue("ETag")).contains(etag);
      assertThat(full.headers().firstValue("Holdfast-Signature")).isPresent();
      assertThat(full.headers().allValues("Vary")).containsExactly("Authorization");

      HttpResponse<String> notModified =
          client.get(document, replicas.tokenA(), "If-None-Match", etag);
      assertThat(notModified.statusCode()).isEqualTo(304);
      assertThat(notModified.body()).isEmpty();
      assertThat(notModified.headers().firstValue("ETag")).contains(etag);
      assertThat(notModified.headers().allValues("Vary")).containsExactly("Authorization");
    }
  }

  @Test
  void F7_tenantWalls_holdThroughTheProxy() {
    HttpResponse<String> crossTenant =
        client.get(proxy.uri("/v1/instances/tenant-b/config/core"), replicas.tokenA());
    HttpResponse<String> own =
        client.get(proxy.uri("/v1/instances/tenant-b/config/core"), replicas.tokenB());
    HttpResponse<String> anonymous =
        client.get(proxy.uri("/v1/instances/tenant-b/config/core"), null);

    assertThat(crossTenant.statusCode()).isEqualTo(404);
    assertThat(crossTenant.body()).doesNotContain(SECRET_B);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.body()).contains(SECRET_B).doesNotContain(SECRET_A);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).doesNotContain(SECRET_B);
    // And the other way round, right after A read its own document through the same proxy.
    URI documentOfA = proxy.uri("/v1/instances/tenant-a/config/core");
    assertThat(client.get(documentOfA, replicas.tokenA()).body()).contains(SECRET_A);
    HttpResponse<String> bReadingA = client.get(documentOfA, replicas.tokenB());
    assertThat(bReadingA.statusCode()).isEqualTo(404);
    assertThat(bReadingA.body()).doesNotContain(SECRET_A);
  }

  @Test
  void F7_anSdkClient_throughTheProxy_isFreshOnItsOwnDocument_andSeesAPublish(@TempDir Path cache)
      throws Exception {
    io.holdfast.testkit.ManualTime time = new io.holdfast.testkit.ManualTime();
    io.holdfast.client.HoldfastClient.Builder builder =
        io.holdfast.client.HoldfastClient.builder()
            .replicas(proxy.uri(""))
            .instance("tenant-a", replicas.tokenA())
            .trustedKey(replicas.key())
            .namespaces("core")
            .cacheDirectory(cache)
            .ticker(time.ticker())
            .clock(time.clock())
            .requestTimeout(Duration.ofSeconds(5))
            .watchTimeout(Duration.ofSeconds(2))
            .pollInterval(Duration.ofMillis(100))
            .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .startupTimeout(Duration.ofSeconds(10))
            .heartbeatInterval(Duration.ZERO);
    if (proxy.sslContext() != null) {
      builder.sslContext(proxy.sslContext());
    }
    try (io.holdfast.client.HoldfastClient sdk = builder.build()) {
      sdk.start();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sdk.status("core").status() == io.holdfast.client.Status.FRESH);
      assertThat(sdk.snapshot("core").getString("secret", ""))
          .as("its own document, verified")
          .isEqualTo(SECRET_A);

      String plan = "sdk-" + System.nanoTime();
      replicas.admin(
          "PUT", "/v1/admin/namespaces/core/layers/default", "{\"plan\":\"" + plan + "\"}");
      long published = replicas.publishCore();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sdk.snapshot("core").revision() >= published);
      assertThat(sdk.snapshot("core").getString("plan", "")).isEqualTo(plan);
      assertThat(sdk.snapshot("core").getString("secret", ""))
          .isEqualTo(SECRET_A)
          .isNotEqualTo(SECRET_B);
      assertThat(sdk.status("core").status()).isEqualTo(io.holdfast.client.Status.FRESH);
    }
  }

  @Test
  void F7_aWatch_isWokenThroughTheProxy_byAPublish() throws Exception {
    String etag = checksumsEtag();
    CompletableFuture<HttpResponse<String>> watch =
        CompletableFuture.supplyAsync(
            () -> client.get(watchUri(etag, "30s"), replicas.tokenA(), Duration.ofSeconds(45)));

    replicas.admin(
        "PUT",
        "/v1/admin/namespaces/core/layers/default",
        "{\"plan\":\"woken-" + System.nanoTime() + "\"}");
    long published = replicas.publishCore();

    HttpResponse<String> woken = watch.get(40, TimeUnit.SECONDS);
    assertThat(woken.statusCode()).as(woken.body()).isEqualTo(200);
    JsonNode checksums = JSON.readTree(woken.body());
    assertThat(checksums.get("instance").asText()).isEqualTo("tenant-a");
    assertThat(checksums.get("revision").asLong()).isEqualTo(published);
    assertThat(woken.headers().firstValue("ETag"))
        .isPresent()
        .isNotEqualTo(java.util.Optional.of(etag));
  }

  @Test
  void F7_aWatchAtItsMaximumTimeout_isAnsweredBeforeTheProxysReadTimeout_neverA504() {
    String etag = checksumsEtag();
    long start = System.nanoTime();

    // 60s was the documented maximum and is what the proxies' read timeouts allow in total.
    HttpResponse<String> watch =
        client.get(watchUri(etag, "60s"), replicas.tokenA(), Duration.ofSeconds(90));

    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    assertThat(watch.statusCode()).as("after %s: %s", waited, watch.body()).isEqualTo(304);
    assertThat(watch.headers().firstValue("ETag")).contains(etag);
    assertThat(waited)
        .isLessThan(Duration.ofSeconds(60))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(45));
    assertThat(proxy.gaveUp()).isEmpty();
    // Neither replica was marked down: both keep answering through the proxy.
    for (int i = 0; i < 4; i++) {
      assertThat(
              client
                  .get(proxy.uri("/v1/instances/tenant-a/checksums"), replicas.tokenA())
                  .statusCode())
          .isEqualTo(200);
    }
    assertThat(replicas.alive()).isTrue();
  }

  /**
   * The address a replica records in the audit log for a failed console login sent through the
   * proxy from the loopback address {@code from}, with {@code written} as an {@code
   * X-Forwarded-For} the client wrote itself ({@code null}: none). The replicas trust the
   * forwarding headers of peers on 127.0.0.1, where the proxy is.
   */
  String auditedLoginAddress(String from, String written) throws Exception {
    try (EdgeClient fromThere = proxy.client(InetAddress.getByName(from))) {
      URI login = proxy.uri("/console/login");
      Map<String, String> form = Map.of("token", "hfa_wrong-" + from);
      HttpResponse<String> refused =
          written == null
              ? fromThere.postForm(login, form)
              : fromThere.postForm(login, form, "X-Forwarded-For", written);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
    }
    return replicas
        .admin("GET", "/v1/admin/audit?action=console.login-failed&limit=1", null)
        .get("entries")
        .get(0)
        .get("after")
        .get("address")
        .asText();
  }

  private String checksumsEtag() {
    HttpResponse<String> checksums =
        client.get(proxy.uri("/v1/instances/tenant-a/checksums"), replicas.tokenA());
    assertThat(checksums.statusCode())
        .as("%s%nthe proxy's log:%n%s", checksums.body(), proxy.log())
        .isEqualTo(200);
    return checksums.headers().firstValue("ETag").orElseThrow();
  }

  private URI watchUri(String etag, String timeout) {
    return proxy.uri(
        "/v1/instances/tenant-a/watch?etag="
            + URLEncoder.encode(etag, StandardCharsets.UTF_8)
            + "&timeout="
            + timeout);
  }
}
