package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tenant walls on the push path, the watch (FAULTS D2, I7): tenant A's credential cannot watch
 * tenant B's instance (it is refused exactly as an unknown instance is, at once, whatever it
 * sends), and a watch of A's own instance never carries B's changes, not even as a wake-up or a
 * revision number. Against a real replica on loopback.
 */
class CrossTenantPushTest {

  private static final String B_SECRET = "b-only-push-secret-3c1e";
  private static final Duration AT_ONCE = Duration.ofSeconds(5);

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static String tokenA;
  private static String tokenB;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    server.createNamespace("core");
    tokenA = server.createInstance("tenant-a", "live");
    tokenB = server.createInstance("tenant-b", "live");
    HttpTestSupport.stage(server, "core", "default", "{\"plan\":\"standard\"}");
    HttpTestSupport.stage(server, "core", "instance:tenant-b", "{\"apiKey\":\"" + B_SECRET + "\"}");
    HttpTestSupport.publish(server, "core");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "",
        "?timeout=50s",
        "?etag=B-ETAG&timeout=50s",
        "?etag=W/B-ETAG&timeout=50s",
        "?ns=core&etag=B-ETAG",
        "?instance=tenant-a&etag=B-ETAG"
      })
  void D2_watchWithAsCredential_onBsInstance_isRefusedAtOnce_exactlyLikeAnUnknownInstance(
      String query) {
    String etagOfB = header(server.get("/v1/instances/tenant-b/checksums", tokenB), "ETag");
    String withTag = query.replace("B-ETAG", URLEncoder.encode(etagOfB, StandardCharsets.UTF_8));

    HttpResponse<byte[]> crossTenant =
        assertTimeoutPreemptively(
            AT_ONCE, () -> server.get("/v1/instances/tenant-b/watch" + withTag, tokenA));
    HttpResponse<byte[]> unknown =
        assertTimeoutPreemptively(
            AT_ONCE, () -> server.get("/v1/instances/tenant-z/watch" + withTag, tokenA));

    assertProblem(crossTenant, ProblemType.INSTANCE_NOT_FOUND);
    assertProblem(unknown, ProblemType.INSTANCE_NOT_FOUND);
    assertThat(text(crossTenant).replace("tenant-b", "tenant-z")).isEqualTo(text(unknown));
    assertThat(headersWithoutDate(crossTenant)).isEqualTo(headersWithoutDate(unknown));
    assertThat(text(crossTenant)).doesNotContain(B_SECRET).doesNotContain("revision");
    assertThat(crossTenant.headers().firstValue("ETag")).isEmpty();
    assertThat(crossTenant.headers().firstValue("Holdfast-Revision")).isEmpty();
  }

  @Test
  void D2_wildcardsAndPrefixesOfInstanceIds_matchNoInstance() {
    for (String id : List.of("*", "tenant-*", "tenant-", "tenant", "%2A")) {
      HttpResponse<byte[]> response =
          assertTimeoutPreemptively(
              AT_ONCE, () -> server.get("/v1/instances/" + id + "/watch", tokenA));
      assertThat(response.statusCode()).as(id).isIn(400, 404);
      assertThat(text(response)).as(id).doesNotContain(B_SECRET).doesNotContain("\"namespaces\"");
    }
  }

  @Test
  void D2_BsPublishes_neverWakeAsWatch_norShowInItsAnswers() throws Exception {
    HttpResponse<byte[]> before = server.get("/v1/instances/tenant-a/checksums", tokenA);
    String etagOfA = header(before, "ETag");
    long revisionOfA = json(before).get("revision").asLong();

    CompletableFuture<HttpResponse<byte[]>> watch =
        CompletableFuture.supplyAsync(
            () ->
                server.get(
                    "/v1/instances/tenant-a/watch?timeout=2s&etag="
                        + URLEncoder.encode(etagOfA, StandardCharsets.UTF_8),
                    tokenA));
    // Publish B-only changes for as long as A's watch waits (bounded), so some land during it.
    List<Long> revisionsOfB = new ArrayList<>();
    for (int i = 0; i < 200 && !watch.isDone(); i++) {
      HttpTestSupport.stage(
          server, "core", "instance:tenant-b", "{\"apiKey\":\"" + B_SECRET + "\",\"n\":" + i + "}");
      revisionsOfB.add(HttpTestSupport.publish(server, "core"));
    }
    HttpResponse<byte[]> answered = watch.get(10, TimeUnit.SECONDS);

    assertThat(revisionsOfB).as("B published while A watched").isNotEmpty();
    assertThat(answered.statusCode())
        .as("A's watch ran to its timeout, never woken by B")
        .isEqualTo(304);
    assertThat(header(answered, "ETag")).isEqualTo(etagOfA);
    assertThat(header(answered, "Holdfast-Revision")).isEqualTo(Long.toString(revisionOfA));
    HttpResponse<byte[]> after = server.get("/v1/instances/tenant-a/checksums", tokenA);
    JsonNode checksums = json(after);
    assertThat(checksums.get("revision").asLong()).isEqualTo(revisionOfA);
    assertThat(revisionsOfB)
        .doesNotContain(checksums.get("revision").asLong())
        .doesNotContain(checksums.at("/namespaces/core/revision").asLong());
    assertThat(text(after)).doesNotContain(B_SECRET).doesNotContain("tenant-b");
  }

  @Test
  void D2_aChangeForEveryone_wakesAsWatch_withAsOwnChecksumsOnly() throws Exception {
    String etagOfA = header(server.get("/v1/instances/tenant-a/checksums", tokenA), "ETag");
    CompletableFuture<HttpResponse<byte[]>> watch =
        CompletableFuture.supplyAsync(
            () ->
                server.get(
                    "/v1/instances/tenant-a/watch?timeout=30s&etag="
                        + URLEncoder.encode(etagOfA, StandardCharsets.UTF_8),
                    tokenA));

    HttpTestSupport.stage(
        server, "core", "default", "{\"plan\":\"premium-" + System.nanoTime() + "\"}");
    long published = HttpTestSupport.publish(server, "core");
    HttpResponse<byte[]> woken = watch.get(20, TimeUnit.SECONDS);

    assertThat(woken.statusCode()).isEqualTo(200);
    JsonNode checksums = json(woken);
    assertThat(checksums.get("instance").asText()).isEqualTo("tenant-a");
    assertThat(checksums.get("revision").asLong()).isEqualTo(published);
    assertThat(text(woken)).doesNotContain(B_SECRET).doesNotContain("tenant-b");
  }

  private static Map<String, List<String>> headersWithoutDate(HttpResponse<byte[]> response) {
    Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
    headers.remove("date");
    return headers;
  }
}
