package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.PROBLEM_JSON;
import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.FailingStore;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer on an authenticated route varies by {@code Authorization}, whatever its kind, so
 * that a cache that ignores {@code Cache-Control} still keeps it per credential (FAULTS F6, I7,
 * I11); every problem answer forbids content sniffing, since it quotes the request's path. Against
 * a real replica on loopback.
 */
class CredentialVaryTest {

  private static final String CONFIG = "/v1/instances/tenant-a/config/core";
  private static final String CHECKSUMS = "/v1/instances/tenant-a/checksums";

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static FailingStore failing;
  private static String tokenA;
  private static String tokenB;
  private static String viewer;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir, store -> failing = new FailingStore(store));
    server.createNamespace("core");
    tokenA = server.createInstance("tenant-a", "live");
    tokenB = server.createInstance("tenant-b", "live");
    viewer = HttpTestSupport.createCredential(server, "looker", "viewer");
    HttpTestSupport.stage(server, "core", "default", "{\"plan\":\"standard\"}");
    HttpTestSupport.publish(server, "core");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void F6_documentsChecksumsWatchesAndAdminAnswers_allVaryByAuthorization() {
    String etag = header(server.get(CONFIG, tokenA), "ETag");
    String checksumsEtag = header(server.get(CHECKSUMS, tokenA), "ETag");
    Map<String, Supplier<HttpResponse<byte[]>>> answers = new LinkedHashMap<>();
    answers.put("document 200", () -> server.get(CONFIG, tokenA));
    answers.put("document HEAD", () -> server.send("HEAD", CONFIG, tokenA, null));
    answers.put("document 304", () -> server.get(CONFIG, tokenA, "If-None-Match", etag));
    answers.put("checksums 200", () -> server.get(CHECKSUMS, tokenA));
    answers.put(
        "checksums 304", () -> server.get(CHECKSUMS, tokenA, "If-None-Match", checksumsEtag));
    answers.put("watch 200", () -> server.get("/v1/instances/tenant-a/watch", tokenA));
    answers.put(
        "watch 304 at its timeout",
        () ->
            server.get(
                "/v1/instances/tenant-a/watch?timeout=1s&etag=" + checksumsEtag.replace("\"", ""),
                tokenA));
    answers.put("admin document read", () -> server.get(CONFIG, server.adminToken()));
    answers.put("admin list", () -> server.get("/v1/admin/instances", server.adminToken()));
    answers.put("admin audit list", () -> server.get("/v1/admin/audit", server.adminToken()));
    answers.put(
        "admin create",
        () ->
            server.sendJson(
                "POST",
                "/v1/admin/namespaces",
                server.adminToken(),
                "{\"name\":\"vary-" + System.nanoTime() + "\"}"));

    answers.forEach(
        (kind, answer) -> {
          HttpResponse<byte[]> response = answer.get();
          assertThat(response.statusCode()).as(kind).isBetween(200, 304);
          assertThat(response.headers().allValues("Vary"))
              .as("Vary of %s", kind)
              .containsExactly("Authorization");
        });
  }

  @Test
  void F6_a304_carriesTheSameVaryAndCacheControlAsIts200() {
    HttpResponse<byte[]> full = server.get(CONFIG, tokenA);
    HttpResponse<byte[]> notModified =
        server.get(CONFIG, tokenA, "If-None-Match", header(full, "ETag"));

    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.headers().allValues("Vary"))
        .isEqualTo(full.headers().allValues("Vary"))
        .isNotEmpty();
    assertThat(header(notModified, "Cache-Control")).isEqualTo(header(full, "Cache-Control"));
  }

  @Test
  void F6_everyProblemOnAnAuthenticatedRoute_variesByAuthorization_andForbidsSniffing() {
    Map<ProblemType, List<Supplier<HttpResponse<byte[]>>>> problems = new LinkedHashMap<>();
    problems.put(
        ProblemType.UNAUTHENTICATED,
        List.of(
            () -> server.get(CONFIG, null),
            () -> server.get(CONFIG, "hfi_not-a-token"),
            () -> server.get("/v1/instances/tenant-a/watch", null),
            () -> server.get("/v1/admin/instances", null)));
    problems.put(
        ProblemType.FORBIDDEN,
        List.of(
            () -> server.get("/v1/admin/audit", viewer),
            () ->
                server.sendJson(
                    "POST", "/v1/instances/tenant-a/heartbeat", server.adminToken(), "{}")));
    problems.put(
        ProblemType.INSTANCE_NOT_FOUND,
        List.of(
            () -> server.get("/v1/instances/tenant-b/config/core", tokenA),
            () -> server.get("/v1/instances/no-such/checksums", tokenA),
            () -> server.get("/v1/instances/tenant-b/watch", tokenA)));
    problems.put(
        ProblemType.NAMESPACE_NOT_FOUND,
        List.of(() -> server.get("/v1/instances/tenant-a/config/no-such", tokenA)));
    problems.put(
        ProblemType.ROUTE_NOT_FOUND,
        List.of(() -> server.get("/v1/instances/tenant-a/nothing-here", tokenA)));
    problems.put(
        ProblemType.METHOD_NOT_ALLOWED, List.of(() -> server.send("DELETE", CONFIG, tokenA, null)));
    problems.put(
        ProblemType.INVALID_REQUEST,
        List.of(() -> server.get("/v1/instances/tenant-a/watch?timeout=soon", tokenA)));
    problems.put(
        ProblemType.STORE_UNAVAILABLE,
        List.of(
            () -> {
              failing.down.set(true);
              try {
                return server.sendJson(
                    "POST",
                    "/v1/admin/namespaces",
                    server.adminToken(),
                    "{\"name\":\"while-down\"}");
              } finally {
                failing.down.set(false);
              }
            }));

    problems.forEach(
        (type, requests) ->
            requests.forEach(
                request -> {
                  HttpResponse<byte[]> response = request.get();
                  assertProblem(response, type);
                  assertThat(response.headers().allValues("Vary"))
                      .as("Vary of %s", type)
                      .containsExactly("Authorization");
                  assertThat(header(response, "X-Content-Type-Options"))
                      .as("%s", type)
                      .isEqualTo("nosniff");
                }));
  }

  @Test
  void F6_tokensOfTwoTenants_getAnswersThatBothVary_soNoCacheKeysThemAlike() {
    HttpResponse<byte[]> ownB = server.get("/v1/instances/tenant-b/config/core", tokenB);
    HttpResponse<byte[]> crossA = server.get("/v1/instances/tenant-b/config/core", tokenA);

    assertThat(ownB.statusCode()).isEqualTo(200);
    assertThat(crossA.statusCode()).isEqualTo(404);
    assertThat(ownB.headers().allValues("Vary")).containsExactly("Authorization");
    assertThat(crossA.headers().allValues("Vary")).containsExactly("Authorization");
  }

  @Test
  void problemsOutsideTheAuthenticatedRoutes_forbidSniffingToo() {
    // Under /v1: any other path of one to three segments is a Spring Cloud Config route now.
    HttpResponse<byte[]> unknownRoute = server.get("/v1/no/such/%3Cscript%3E", null);

    assertProblem(unknownRoute, ProblemType.ROUTE_NOT_FOUND);
    assertThat(header(unknownRoute, "X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void problemsFromTheTransport_beforeRouting_forbidSniffingToo() {
    RawHttp.Response response =
        RawHttp.request(
            server.server().port(),
            "GET",
            CONFIG,
            "If-None-Match: \"" + "x".repeat(64 * 1024) + "\"");

    assertProblem(response, ProblemType.HEADERS_TOO_LARGE);
    assertThat(response.first("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith(PROBLEM_JSON));
    assertThat(response.first("X-Content-Type-Options")).contains("nosniff");
  }

  @Test
  void F6_consolePages_varyByTheSessionCookie() {
    for (String path :
        new String[] {
          "/console/login", "/console/fleet", "/console/audit", "/console/no-such-page"
        }) {
      HttpResponse<byte[]> page = server.get(path, null);
      assertThat(page.headers().allValues("Vary"))
          .as("Vary of %s (%d)", path, page.statusCode())
          .containsExactly("Cookie");
    }
  }

  @Test
  void unauthenticatedRoutes_doNotVary_soTheirAnswersStayShareable() {
    assertThat(server.get("/v1/keys", null).headers().allValues("Vary")).isEmpty();
  }
}
