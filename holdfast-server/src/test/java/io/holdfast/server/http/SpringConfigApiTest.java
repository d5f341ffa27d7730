package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Properties;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spring Cloud Config's protocol on a replica: routes, selection, formats and authentication. */
class SpringConfigApiTest {

  private static final String CORE =
      "{\"db\":{\"url\":\"jdbc:x\",\"pool\":{\"max\":10}},\"hosts\":[\"a\",\"b\"],"
          + "\"shared\":\"from-core\",\"note\":\"a: b # c\\nline\",\"off\":false,\"none\":null,"
          + "\"list\":[1,null,{}]}";
  private static final String FEATURES = "{\"shared\":\"from-features\",\"beta\":true}";

  @TempDir static Path dir;
  private static ServerFixture server;
  private static String token;
  private static String otherToken;
  private static long coreRevision;
  private static long featuresRevision;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dir);
    server.createNamespace("core");
    server.createNamespace("features");
    server.createNamespace("live-flags");
    token = server.createInstance("acme-prod", "live");
    otherToken = server.createInstance("other-prod", "live");
    coreRevision = server.publishLayer("core", "default", CORE);
    featuresRevision = server.publishLayer("features", "default", FEATURES);
    server.publishLayer("live-flags", "default", "{\"mode\":\"one\"}");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String basic(String user, String password) {
    return basic((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String basic(byte[] pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }

  private static HttpResponse<byte[]> getBasic(String path, String user, String password) {
    return server.get(path, null, "Authorization", basic(user, password));
  }

  @Test
  void environmentWithBasicHasOneFlatSourcePerNamespaceInNameOrder() {
    HttpResponse<byte[]> response = getBasic("/application/default", "acme-prod", token);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode env = json(response);
    assertThat(env.get("name").asText()).isEqualTo("application");
    assertThat(env.get("profiles").toString()).isEqualTo("[\"default\"]");
    assertThat(env.get("label").isNull()).isTrue();
    assertThat(env.get("state").isNull()).isTrue();
    assertThat(env.get("version").asText())
        .startsWith("core@" + coreRevision + ",features@" + featuresRevision + ",live-flags@");
    JsonNode sources = env.get("propertySources");
    assertThat(sources.get(1).get("name").asText())
        .isEqualTo("holdfast:acme-prod/features@" + featuresRevision);
    assertThat(sources.get(0).get("name").asText())
        .isEqualTo("holdfast:acme-prod/core@" + coreRevision);
    JsonNode core = sources.get(0).get("source");
    assertThat(core.get("db.url").asText()).isEqualTo("jdbc:x");
    assertThat(core.get("db.pool.max").isInt()).isTrue();
    assertThat(core.get("db.pool.max").asInt()).isEqualTo(10);
    assertThat(core.get("hosts[0]").asText()).isEqualTo("a");
    assertThat(core.get("hosts[1]").asText()).isEqualTo("b");
    assertThat(core.get("off").isBoolean()).isTrue();
    // A published null removes its key (merge patch); inside an array it stays, as "".
    assertThat(core.has("none")).isFalse();
    assertThat(core.get("list[1]").asText()).isEmpty();
    assertThat(sources.get(1).get("source").get("beta").asBoolean()).isTrue();
  }

  @Test
  void bearerCommaListAndLabelSelectNamespacesInTheOrderGiven() {
    HttpResponse<byte[]> response = server.get("/features,core/prod,eu/main", token);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode env = json(response);
    assertThat(env.get("label").asText()).isEqualTo("main");
    assertThat(env.get("profiles").toString()).isEqualTo("[\"prod\",\"eu\"]");
    assertThat(env.get("version").asText())
        .isEqualTo("features@" + featuresRevision + ",core@" + coreRevision);
    assertThat(env.get("propertySources").get(0).get("name").asText())
        .isEqualTo("holdfast:acme-prod/features@" + featuresRevision);
  }

  @Test
  void propertiesFormMergesWithTheFirstNamespaceWinningAndEscapes() throws Exception {
    HttpResponse<byte[]> response =
        getBasic("/features,core-default.properties", "acme-prod", token);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/plain");
    Properties properties = new Properties();
    properties.load(new StringReader(text(response)));
    assertThat(properties.getProperty("shared")).isEqualTo("from-features");
    assertThat(properties.getProperty("db.pool.max")).isEqualTo("10");
    assertThat(properties.getProperty("hosts[1]")).isEqualTo("b");
    assertThat(properties.getProperty("note")).isEqualTo("a: b # c\nline");
    assertThat(properties.getProperty("beta")).isEqualTo("true");
  }

  @Test
  void jsonFormIsTheMergedNestedDocument() {
    HttpResponse<byte[]> response = server.get("/main/core,features-default.json", token);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode merged = json(response);
    assertThat(merged.get("shared").asText()).isEqualTo("from-core");
    assertThat(merged.get("db").get("pool").get("max").asInt()).isEqualTo(10);
    assertThat(merged.get("beta").asBoolean()).isTrue();
  }

  @Test
  void yamlFormIsBlockYamlWithQuotedStrings() {
    for (String path : new String[] {"/core-default.yml", "/main/core-default.yaml"}) {
      HttpResponse<byte[]> response = server.get(path, token);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(text(response))
          .isEqualTo(
              """
              "db":
                "pool":
                  "max": 10
                "url": "jdbc:x"
              "hosts":
                - "a"
                - "b"
              "list":
                - 1
                - null
                - {}
              "note": "a: b # c\\nline"
              "off": false
              "shared": "from-core"
              """);
    }
  }

  @Test
  void aHyphenatedNamespaceSplitsAtTheLastHyphenInFileForms() {
    HttpResponse<byte[]> response = server.get("/live-flags-default.properties", token);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(text(response)).isEqualTo("mode: one\n");
  }

  @Test
  void aPublishIsInTheNextAnswer() {
    server.createNamespace("rolling");
    long first = server.publishLayer("rolling", "default", "{\"v\":1}");
    assertThat(json(server.get("/rolling/default", token)).get("version").asText())
        .isEqualTo("rolling@" + first);
    long second = server.publishLayer("rolling", "default", "{\"v\":2}");
    JsonNode env = json(server.get("/rolling/default", token));
    assertThat(env.get("version").asText()).isEqualTo("rolling@" + second);
    assertThat(env.get("propertySources").get(0).get("source").get("v").asInt()).isEqualTo(2);
  }

  @Test
  void anUnchangedAnswerIsA304OnItsEtagAndVariesByCredential() {
    HttpResponse<byte[]> first = server.get("/core/default", token);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> second = server.get("/core/default", token, "If-None-Match", etag);
    assertThat(second.statusCode()).isEqualTo(304);
    assertThat(second.body()).isEmpty();
    // The answers depend on the credential: a shared cache must key them by it (FAULTS F6).
    assertThat(first.headers().allValues("Vary")).contains("Authorization");
    assertThat(second.headers().allValues("Vary")).contains("Authorization");
    assertThat(server.get("/core/default", null).headers().allValues("Vary"))
        .contains("Authorization");
  }

  @Test
  void anUnknownNamespaceIs404() {
    assertProblem(server.get("/nope/default", token), ProblemType.NAMESPACE_NOT_FOUND);
    assertProblem(server.get("/core,nope-default.yml", token), ProblemType.NAMESPACE_NOT_FOUND);
  }

  @Test
  void aWrongPasswordIs401WithABasicChallenge() {
    assertBasicChallenge(getBasic("/core/default", "acme-prod", token + "x"));
    assertBasicChallenge(getBasic("/core/default", "acme-prod", "short"));
    assertBasicChallenge(server.get("/core/default", null));
    assertBasicChallenge(server.get("/core/default", "not-a-token"));
  }

  @Test
  void anotherInstancesIdWithThisTokenIs401() {
    assertBasicChallenge(getBasic("/core/default", "other-prod", token));
    assertBasicChallenge(getBasic("/core/default", "acme-prod", otherToken));
    assertBasicChallenge(getBasic("/core/default", server.adminToken(), server.adminToken()));
  }

  @Test
  void malformedBasicCredentialsAre401() {
    assertBasicChallenge(
        server.get(
            "/core/default",
            null,
            "Authorization",
            basic(("acme-prod" + token).getBytes(StandardCharsets.UTF_8))));
    byte[] notUtf8 = ("acme-prod:" + token).getBytes(StandardCharsets.UTF_8);
    notUtf8[2] = (byte) 0xC3;
    assertBasicChallenge(server.get("/core/default", null, "Authorization", basic(notUtf8)));
    assertBasicChallenge(server.get("/core/default", null, "Authorization", "Basic !!!"));
    assertBasicChallenge(server.get("/core/default", null, "Authorization", "Basic "));
    assertBasicChallenge(server.get("/core/default", null, "Authorization", "Digest x"));
  }

  @Test
  void anAdminTokenHasNoInstance() {
    assertProblem(server.get("/core/default", server.adminToken()), ProblemType.FORBIDDEN);
  }

  @Test
  void hostilePathsAre4xx() {
    String longName = "a".repeat(600);
    assertProblem(server.get("/" + longName + "/default", token), ProblemType.INVALID_REQUEST);
    assertProblem(server.get("/core/" + longName, token), ProblemType.INVALID_REQUEST);
    assertProblem(server.get("/core/default/" + longName, token), ProblemType.INVALID_REQUEST);
    assertProblem(server.get("/core/,,", token), ProblemType.INVALID_REQUEST);
    assertProblem(
        server.get(
            "/"
                + String.join(",", IntStream.range(0, 100).mapToObj(i -> "n" + i).toList())
                + "/default",
            token),
        ProblemType.INVALID_REQUEST);
    assertProblem(server.get("/-default.yml", token), ProblemType.INVALID_REQUEST);
    int port = server.server().port();
    for (String path :
        new String[] {
          "/core/%ff%fe",
          "/%C0%AF/default",
          "/core/%",
          "/core/default/%00",
          "/%2e%2e/default",
          "/" + "x".repeat(20_000) + "/default",
          "/a/b/c/d/e"
        }) {
      RawHttp.Response response =
          RawHttp.request(port, "GET", path, "Authorization: Bearer " + token);
      assertThat(response.status()).as(path).isBetween(400, 499);
    }
  }

  /**
   * Paths the replica would otherwise read otherwise than a proxy filtering on the raw path: an
   * encoded slash became a separator ({@code /core%2Fdefault/main} was served as {@code
   * /core/default/main}), {@code ;} parameters were dropped, and an encoded dot segment was echoed
   * as the label.
   */
  @Test
  void encodedSeparatorsDotSegmentsAndParametersAre400() {
    int port = server.server().port();
    for (String path :
        new String[] {
          "/core%2Fdefault/main",
          "/core%2fdefault",
          "/core/default/a%5Cb",
          "/core/default/%2e%2e",
          "/core/default/%2E",
          "/%2e%2e/default",
          "/core;jsessionid=1/default",
          "/core/default;x=y",
          "/main/core-default.properties;x"
        }) {
      RawHttp.Response response =
          RawHttp.request(port, "GET", path, "Authorization: Bearer " + token);
      assertThat(response.status()).as(path).isEqualTo(400);
    }
    assertThat(
            RawHttp.request(
                    port, "GET", "/core/default/feature(_)x", "Authorization: Bearer " + token)
                .status())
        .as("a label with Spring's stand-in for '/'")
        .isEqualTo(200);
  }

  @Test
  void otherApisKeepTheirAnswers() {
    assertProblem(server.get("/v1/nope", token), ProblemType.ROUTE_NOT_FOUND);
    assertProblem(server.get("/health/nope", null), ProblemType.ROUTE_NOT_FOUND);
    assertProblem(server.get("/core", token), ProblemType.ROUTE_NOT_FOUND);
    assertThat(server.get("/v1/instances/acme-prod/config/core", token).statusCode())
        .isEqualTo(200);
  }

  private static void assertBasicChallenge(HttpResponse<byte[]> response) {
    assertProblem(response, ProblemType.UNAUTHENTICATED);
    assertThat(response.headers().allValues("WWW-Authenticate"))
        .contains("Basic realm=\"holdfast\"");
  }
}
