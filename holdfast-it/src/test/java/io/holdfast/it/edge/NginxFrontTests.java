package io.holdfast.it.edge;

import static io.holdfast.it.edge.TwoTenantReplicas.SECRET_A;
import static io.holdfast.it.edge.TwoTenantReplicas.SECRET_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents, 304s and watches through Debian's nginx in front of two real replica processes
 * with two tenants: they work, the tenant walls hold, and a watch at its maximum timeout is
 * answered before nginx's default 60 s {@code proxy_read_timeout} gives up on it, so there is no
 * 504 and no replica is marked down (FAULTS F7). Each subclass is one nginx configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
abstract class NginxFrontTests {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TwoTenantReplicas replicas;
  private Nginx nginx;
  private EdgeClient client;

  /** The nginx {@code http} block's contents in front of {@code replicas}; {@code listen LISTEN;} in the server. */
  abstract String httpBlock(TwoTenantReplicas replicas);

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    replicas = TwoTenantReplicas.start(dir);
    nginx = Nginx.start(dir.resolve("nginx"), httpBlock(replicas));
    client = new EdgeClient();
  }

  @AfterAll
  void stop() {
    try {
      if (client != null) {
        client.close();
      }
      if (nginx != null) {
        nginx.close();
      }
    } finally {
      if (replicas != null) {
        replicas.close();
      }
    }
  }

  @Test
  void F7_documentsAndTheir304s_workThroughNginx_onEitherReplica() {
    URI document = nginx.uri("/v1/instances/tenant-a/config/core");
    HttpResponse<String> first = client.get(document, replicas.tokenA());
    assertThat(first.statusCode()).as("%s%nnginx's error log:%n%s", first.body(), nginx.errorLog()).isEqualTo(200);
    String etag = first.headers().firstValue("ETag").orElseThrow();

    // nginx takes turns between the replicas: four requests reach both of them.
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> full = client.get(document, replicas.tokenA());
      assertThat(full.statusCode()).as(full.body()).isEqualTo(200);
      assertThat(full.body()).contains(SECRET_A).doesNotContain(SECRET_B);
      assertThat(full.headers().firstValue("ETag")).contains(etag);
      assertThat(full.headers().firstValue("Holdfast-Signature")).isPresent();
      assertThat(full.headers().allValues("Vary")).containsExactly("Authorization");

      HttpResponse<String> notModified = client.get(document, replicas.tokenA(), "If-None-Match", etag);
      assertThat(notModified.statusCode()).isEqualTo(304);
      assertThat(notModified.body()).isEmpty();
      assertThat(notModified.headers().firstValue("ETag")).contains(etag);
      assertThat(notModified.headers().allValues("Vary")).containsExactly("Authorization");
    }
  }

  @Test
  void F7_tenantWalls_holdThroughNginx() {
    HttpResponse<String> crossTenant = client.get(nginx.uri("/v1/instances/tenant-b/config/core"), replicas.tokenA());
    HttpResponse<String> own = client.get(nginx.uri("/v1/instances/tenant-b/config/core"), replicas.tokenB());
    HttpResponse<String> anonymous = client.get(nginx.uri("/v1/instances/tenant-b/config/core"), null);

    assertThat(crossTenant.statusCode()).isEqualTo(404);
    assertThat(crossTenant.body()).doesNotContain(SECRET_B);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.body()).contains(SECRET_B).doesNotContain(SECRET_A);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).doesNotContain(SECRET_B);
  }

  @Test
  void F7_aWatch_isWokenThroughNginx_byAPublish() throws Exception {
    String etag = checksumsEtag();
    CompletableFuture<HttpResponse<String>> watch = CompletableFuture.supplyAsync(
        () -> client.get(watchUri(etag, "30s"), replicas.tokenA(), Duration.ofSeconds(45)));

    replicas.admin("PUT", "/v1/admin/namespaces/core/layers/default", "{\"plan\":\"woken-" + System.nanoTime() + "\"}");
    long published = replicas.publishCore();

    HttpResponse<String> woken = watch.get(40, TimeUnit.SECONDS);
    assertThat(woken.statusCode()).as(woken.body()).isEqualTo(200);
    JsonNode checksums = JSON.readTree(woken.body());
    assertThat(checksums.get("instance").asText()).isEqualTo("tenant-a");
    assertThat(checksums.get("revision").asLong()).isEqualTo(published);
    assertThat(woken.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
  }

  @Test
  void F7_aWatchAtItsMaximumTimeout_isAnsweredBeforeNginxsDefaultReadTimeout_neverA504() {
    String etag = checksumsEtag();
    long start = System.nanoTime();

    // 60s was the documented maximum and is what nginx's proxy_read_timeout allows in total.
    HttpResponse<String> watch = client.get(watchUri(etag, "60s"), replicas.tokenA(), Duration.ofSeconds(90));

    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    assertThat(watch.statusCode()).as("after %s: %s", waited, watch.body()).isEqualTo(304);
    assertThat(watch.headers().firstValue("ETag")).contains(etag);
    assertThat(waited).isLessThan(Duration.ofSeconds(60)).isGreaterThanOrEqualTo(Duration.ofSeconds(45));
    assertThat(nginx.errorLog()).doesNotContain("upstream timed out").doesNotContain("no live upstreams");
    // Neither replica was marked down: both keep answering through nginx.
    for (int i = 0; i < 4; i++) {
      assertThat(client.get(nginx.uri("/v1/instances/tenant-a/checksums"), replicas.tokenA()).statusCode()).isEqualTo(200);
    }
    assertThat(replicas.alive()).isTrue();
  }

  private String checksumsEtag() {
    HttpResponse<String> checksums = client.get(nginx.uri("/v1/instances/tenant-a/checksums"), replicas.tokenA());
    assertThat(checksums.statusCode()).as("%s%nnginx's error log:%n%s", checksums.body(), nginx.errorLog())
        .isEqualTo(200);
    return checksums.headers().firstValue("ETag").orElseThrow();
  }

  private URI watchUri(String etag, String timeout) {
    return nginx.uri("/v1/instances/tenant-a/watch?etag=" + URLEncoder.encode(etag, StandardCharsets.UTF_8)
        + "&timeout=" + timeout);
  }
}
