package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.envelope;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tenant walls on the read API and the line between instance and admin credentials (DESIGN
 * invariant 5; FAULTS I7, D1, D5, D6).
 */
class TenantIsolationTest {

  /** Only tenant B's document holds this; it must never reach tenant A. */
  private static final String B_SECRET = "b-only-secret-7f3a";

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

  // ------------------------------------------------------------------ D1: cross-tenant reads

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"/config/core", "/checksums", "/config/no-such-namespace"})
  void D1_tokenOfA_readingB_isIndistinguishableFromAnUnknownInstance(String suffix) {
    HttpResponse<byte[]> crossTenant = server.get("/v1/instances/tenant-b" + suffix, tokenA);
    // An id of the same length that does not exist.
    HttpResponse<byte[]> unknown = server.get("/v1/instances/tenant-z" + suffix, tokenA);

    JsonNode problem = assertProblem(crossTenant, ProblemType.INSTANCE_NOT_FOUND);
    assertProblem(unknown, ProblemType.INSTANCE_NOT_FOUND);
    assertThat(problem.get("detail").asText()).contains("tenant-b").doesNotContain("tenant-a");
    assertThat(text(crossTenant).replace("tenant-b", "tenant-z")).isEqualTo(text(unknown));
    assertThat(headersWithoutDate(crossTenant)).isEqualTo(headersWithoutDate(unknown));
    assertThat(text(crossTenant)).doesNotContain(B_SECRET).doesNotContain("plan");
  }

  @Test
  void D1_tokenOfA_withBsEtag_getsA404_notA304Oracle() {
    String etagOfB = header(server.get("/v1/instances/tenant-b/config/core", tokenB), "ETag");
    HttpResponse<byte[]> guess =
        server.get("/v1/instances/tenant-b/config/core", tokenA, "If-None-Match", etagOfB);
    assertProblem(guess, ProblemType.INSTANCE_NOT_FOUND);
    assertThat(guess.headers().firstValue("ETag")).isEmpty();
    assertThat(guess.headers().firstValue("Holdfast-Revision")).isEmpty();
  }

  @Test
  void D1_tenantHintsInHeadersOrQuery_areIgnored() {
    HttpResponse<byte[]> response =
        server.get(
            "/v1/instances/tenant-a/config/core?instance=tenant-b&tenant=tenant-b",
            tokenA,
            "X-Tenant",
            "tenant-b",
            "X-Project-Id",
            "tenant-b",
            "X-Instance",
            "tenant-b");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(envelope(response.body()).instance()).isEqualTo("tenant-a");
    assertThat(text(response)).doesNotContain(B_SECRET);
  }

  @Test
  void D1_eachTenantReadsItsOwnDocument() {
    HttpResponse<byte[]> a = server.get("/v1/instances/tenant-a/config/core", tokenA);
    HttpResponse<byte[]> b = server.get("/v1/instances/tenant-b/config/core", tokenB);
    assertThat(envelope(a.body()).content()).isEqualTo(json("{\"plan\":\"standard\"}"));
    assertThat(envelope(b.body()).content())
        .isEqualTo(json("{\"apiKey\":\"" + B_SECRET + "\",\"plan\":\"standard\"}"));
    assertThat(text(server.get("/v1/instances/tenant-a/checksums", tokenA)))
        .doesNotContain("tenant-b");
  }

  @Test
  void adminToken_readsAnyInstancesConfigAndChecksums() {
    HttpResponse<byte[]> config =
        server.get("/v1/instances/tenant-b/config/core", server.adminToken());
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(envelope(config.body()).instance()).isEqualTo("tenant-b");
    assertThat(text(config)).contains(B_SECRET);
    assertThat(server.get("/v1/instances/tenant-a/checksums", server.adminToken()).statusCode())
        .isEqualTo(200);
  }

  // ------------------------------------------------------------------ authentication

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "/v1/instances/tenant-a/config/core",
        "/v1/instances/tenant-a/checksums",
        "/v1/instances/no-such-one/config/core",
        "/v1/admin/instances",
        "/v1/admin/namespaces/core/layers"
      })
  void missingAuthorization_is401WithBearerChallenge(String path) {
    HttpResponse<byte[]> response = server.get(path, null);
    assertProblem(response, ProblemType.UNAUTHENTICATED);
    assertThat(header(response, "WWW-Authenticate")).startsWith("Bearer");
    assertThat(response.headers().firstValue("ETag")).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] Authorization: {0}")
  @ValueSource(
      strings = {
        "Basic dGVuYW50LWE6c2VjcmV0",
        "Token hfi_abcdef",
        "Bearer",
        "Bearer ",
        "Bearer not-a-token",
        "Bearer hfi_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "hfi_without_scheme",
      })
  void wrongSchemeOrUnknownToken_is401(String authorization) {
    RawHttp.Response response =
        RawHttp.request(
            server.server().port(),
            "GET",
            "/v1/instances/tenant-a/config/core",
            "Authorization: " + authorization);
    assertProblem(response, ProblemType.UNAUTHENTICATED);
    assertThat(response.first("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
  }

  @Test
  void tokenWithOtherCaseOrPadding_isNotAccepted() {
    assertThat(
            server
                .get("/v1/instances/tenant-a/config/core", tokenA.toUpperCase(Locale.ROOT))
                .statusCode())
        .isEqualTo(401);
    assertThat(server.get("/v1/instances/tenant-a/config/core", tokenA + "x").statusCode())
        .isEqualTo(401);
    assertThat(
            server
                .get("/v1/instances/tenant-a/config/core", tokenA.substring(0, tokenA.length() - 1))
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void twoAuthorizationHeaders_are401EvenIfOneIsValid() {
    RawHttp.Response response =
        RawHttp.request(
            server.server().port(),
            "GET",
            "/v1/instances/tenant-a/config/core",
            "Authorization: Bearer " + tokenA,
            "Authorization: Bearer " + tokenB);
    assertProblem(response, ProblemType.UNAUTHENTICATED);
  }

  @Test
  void oversizedAuthorization_is401Not5xx() {
    RawHttp.Response response =
        RawHttp.request(
            server.server().port(),
            "GET",
            "/v1/instances/tenant-a/config/core",
            "Authorization: Bearer " + "a".repeat(8000));
    assertProblem(response, ProblemType.UNAUTHENTICATED);
  }

  // ------------------------------------------------------------------ D6: instance credential on
  // admin routes

  @ParameterizedTest(name = "[{index}] {0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET    | /v1/admin/rings                                |",
        "POST   | /v1/admin/rings                                | {\"name\":\"evil\",\"position\":9}",
        "GET    | /v1/admin/instances                            |",
        "GET    | /v1/admin/instances/tenant-a                   |",
        "POST   | /v1/admin/instances                            | {\"id\":\"evil\",\"ring\":\"live\"}",
        "PATCH  | /v1/admin/instances/tenant-a                   | {\"ring\":\"test\"}",
        "POST   | /v1/admin/instances/tenant-a/credential        |",
        "POST   | /v1/admin/instances/tenant-b/credential        |",
        "GET    | /v1/admin/namespaces                           |",
        "POST   | /v1/admin/namespaces                           | {\"name\":\"evil\"}",
        "GET    | /v1/admin/namespaces/core                      |",
        "GET    | /v1/admin/namespaces/core/layers               |",
        "GET    | /v1/admin/namespaces/core/layers/default       |",
        "PUT    | /v1/admin/namespaces/core/layers/default       | {\"plan\":\"free\"}",
        "DELETE | /v1/admin/namespaces/core/layers/default       |",
        "POST   | /v1/admin/namespaces/core/publish              | {\"message\":\"evil\"}",
        "GET    | /v1/admin/namespaces/core/history              |",
        "GET    | /v1/admin/namespaces/core/diff?from=1          |",
        "GET    | /v1/admin/namespaces/core/effective/tenant-b   |",
        "GET    | /v1/admin/credentials                          |",
        "POST   | /v1/admin/credentials                          | {\"name\":\"evil\",\"role\":\"admin\"}",
      })
  void D6_instanceCredentialOnAnyAdminRoute_is403AndChangesNothing(
      String method, String path, String body) {
    String before = HttpTestSupport.fingerprint(server, "core");
    HttpResponse<byte[]> response =
        body == null
            ? server.send(method, path, tokenA, null)
            : server.sendJson(method, path, tokenA, body);
    JsonNode problem = assertProblem(response, ProblemType.FORBIDDEN);
    assertThat(problem.get("detail").asText()).doesNotContain(B_SECRET);
    assertThat(HttpTestSupport.fingerprint(server, "core")).isEqualTo(before);
    assertThat(server.get("/v1/instances/tenant-a/config/core", tokenA).statusCode())
        .as("the instance credential still works for reads")
        .isEqualTo(200);
  }

  // ------------------------------------------------------------------ D5: credential rotation

  @Test
  void D5_rotatingAnInstanceCredential_rejectsTheOldTokenAndAcceptsTheNewOneAtOnce() {
    String oldToken = server.createInstance("tenant-rot", "live");
    String path = "/v1/instances/tenant-rot/config/core";
    HttpResponse<byte[]> before = server.get(path, oldToken);
    assertThat(before.statusCode()).isEqualTo(200);

    JsonNode rotated = server.admin("POST", "/v1/admin/instances/tenant-rot/credential", null);
    String newToken = rotated.get("credential").asText();

    assertThat(rotated.get("instance").asText()).isEqualTo("tenant-rot");
    assertThat(newToken).startsWith("hfi_").isNotEqualTo(oldToken);
    assertProblem(server.get(path, oldToken), ProblemType.UNAUTHENTICATED);
    assertProblem(
        server.get("/v1/instances/tenant-rot/checksums", oldToken), ProblemType.UNAUTHENTICATED);
    HttpResponse<byte[]> after = server.get(path, newToken);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body())
        .as("rotation changes who may read, not what is served")
        .isEqualTo(before.body());
    assertThat(header(after, "ETag")).isEqualTo(header(before, "ETag"));
    assertThat(server.get("/v1/instances/tenant-a/config/core", tokenA).statusCode())
        .as("other tenants' credentials are untouched")
        .isEqualTo(200);
  }

  @Test
  void D5_newTokenOfOneTenant_doesNotOpenAnotherTenant() {
    String token = server.createInstance("tenant-new", "live");
    assertProblem(
        server.get("/v1/instances/tenant-b/config/core", token), ProblemType.INSTANCE_NOT_FOUND);
    assertThat(server.get("/v1/instances/tenant-new/config/core", token).statusCode())
        .isEqualTo(200);
  }

  private static Map<String, List<String>> headersWithoutDate(HttpResponse<byte[]> response) {
    Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
    headers.remove("date");
    return headers;
  }
}
