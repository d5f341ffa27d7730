package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.fingerprint;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and mistaken admin input (FAULTS C1, C2, C4, C5, C8, C9, C11, D7; DESIGN invariant 6):
 * each request gets a precise RFC 9457 problem and changes nothing: the store's revision, every
 * list, and the layers, drafts and history of the namespace are the same afterwards.
 */
class AdminValidationTest {

  private static final String LAYER = "/v1/admin/namespaces/core/layers/default";

  @TempDir static Path dataDir;

  private static ServerFixture server;

  private String before;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    server.createNamespace("core");
    server.createNamespace("quiet");
    server.createNamespace("scratch");
    server.createInstance("valid-one", "live");
    HttpTestSupport.stage(server, "core", "default", "{\"seats\":10}");
    HttpTestSupport.publish(server, "core");
    // A draft stays staged throughout, so that a publish that wrongly got through would show.
    HttpTestSupport.stage(server, "core", "default", "{\"seats\":11}");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void takeFingerprint() {
    before = fingerprint(server, "core");
  }

  private void assertNothingChanged() {
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  /** One rejected request: what is sent and the problem it must get. */
  record Case(String method, String path, String contentType, byte[] body, ProblemType expected) {

    static Case json(String method, String path, String body, ProblemType expected) {
      return new Case(
          method, path, "application/json", body.getBytes(StandardCharsets.UTF_8), expected);
    }

    HttpResponse<byte[]> send() {
      List<String> headers = new ArrayList<>();
      if (contentType != null) {
        headers.add("Content-Type");
        headers.add(contentType);
      }
      return server.send(method, path, server.adminToken(), body, headers.toArray(String[]::new));
    }
  }

  private static Arguments named(String name, Case c) {
    return Arguments.of(name, c);
  }

  static Stream<Arguments> massAssignment() {
    ProblemType unknown = ProblemType.UNKNOWN_FIELD;
    return Stream.of(
        named(
            "instance credentialHash",
            Case.json(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"mass-1\",\"ring\":\"live\",\"credentialHash\":\"00ff\"}",
                unknown)),
        named(
            "instance role",
            Case.json(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"mass-2\",\"ring\":\"live\",\"role\":\"admin\"}",
                unknown)),
        named(
            "instance credential",
            Case.json(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"mass-3\",\"ring\":\"live\",\"credential\":\"hfi_chosen\"}",
                unknown)),
        named(
            "instance createdAt",
            Case.json(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"mass-4\",\"ring\":\"live\",\"createdAt\":\"2020-01-01T00:00:00Z\"}",
                unknown)),
        named(
            "patch id",
            Case.json(
                "PATCH",
                "/v1/admin/instances/valid-one",
                "{\"id\":\"other\",\"ring\":\"test\"}",
                unknown)),
        named(
            "patch credentialHash",
            Case.json(
                "PATCH",
                "/v1/admin/instances/valid-one",
                "{\"ring\":\"test\",\"credentialHash\":\"00ff\"}",
                unknown)),
        named(
            "namespace revision",
            Case.json(
                "POST", "/v1/admin/namespaces", "{\"name\":\"mass-ns\",\"revision\":99}", unknown)),
        named(
            "credential tokenHash",
            Case.json(
                "POST",
                "/v1/admin/credentials",
                "{\"name\":\"mass-cred\",\"role\":\"viewer\",\"tokenHash\":\"00ff\"}",
                unknown)),
        named(
            "credential token",
            Case.json(
                "POST",
                "/v1/admin/credentials",
                "{\"name\":\"mass-cred\",\"role\":\"viewer\",\"token\":\"hfa_chosen\"}",
                unknown)),
        named(
            "ring revision",
            Case.json(
                "POST",
                "/v1/admin/rings",
                "{\"name\":\"mass-ring\",\"position\":50,\"revision\":1}",
                unknown)),
        named(
            "publish revision",
            Case.json(
                "POST",
                "/v1/admin/namespaces/core/publish",
                "{\"message\":\"m\",\"revision\":1000}",
                unknown)),
        named(
            "publish actor",
            Case.json(
                "POST",
                "/v1/admin/namespaces/core/publish",
                "{\"message\":\"m\",\"actor\":\"admin:someone-else\"}",
                unknown)),
        named(
            "publish signature",
            Case.json(
                "POST",
                "/v1/admin/namespaces/core/publish",
                "{\"message\":\"m\",\"signature\":\"forged\",\"checksum\":\"x\"}",
                unknown)));
  }

  @ParameterizedTest(name = "[{index}] D7 {0}")
  @MethodSource("massAssignment")
  void D7_massAssignment_isRejectedAsUnknownField(String name, Case c) {
    JsonNode problem = assertProblem(c.send(), c.expected());
    assertThat(problem.get("detail").asText()).contains("allowed");
    assertNothingChanged();
  }

  static Stream<Arguments> malformed() {
    ProblemType malformed = ProblemType.MALFORMED_JSON;
    return Stream.of(
        named(
            "C1 truncated", Case.json("POST", "/v1/admin/instances", "{\"id\":\"x\",", malformed)),
        named(
            "C1 single quotes",
            Case.json("POST", "/v1/admin/instances", "{'id':'x','ring':'live'}", malformed)),
        named(
            "C1 trailing comma",
            Case.json(
                "POST", "/v1/admin/instances", "{\"id\":\"x\",\"ring\":\"live\",}", malformed)),
        named("C1 NaN", Case.json("PUT", LAYER, "{\"seats\":NaN}", malformed)),
        named("C1 Infinity", Case.json("PUT", LAYER, "{\"seats\":Infinity}", malformed)),
        named("C1 comment", Case.json("PUT", LAYER, "{\"seats\":1 /* one */}", malformed)),
        named("C1 leading zero", Case.json("PUT", LAYER, "{\"seats\":01}", malformed)),
        named("C1 two documents", Case.json("PUT", LAYER, "{\"seats\":1}{\"seats\":0}", malformed)),
        named("C1 empty body", Case.json("PUT", LAYER, "", malformed)),
        named("C1 byte order mark", Case.json("PUT", LAYER, "\uFEFF{\"seats\":1}", malformed)),
        named(
            "C6 exponent overflow", Case.json("PUT", LAYER, "{\"seats\":1e1000000000}", malformed)),
        named(
            "C6 negative exponent overflow",
            Case.json("PUT", LAYER, "{\"a\":[1,{\"b\":-1e400}]}", malformed)),
        named(
            "C6 million-digit integer",
            Case.json("PUT", LAYER, "{\"seats\":" + "9".repeat(1_000_000 - 20) + "}", malformed)),
        named("C9 lone surrogate", Case.json("PUT", LAYER, "{\"name\":\"\\ud800\"}", malformed)),
        named(
            "C9 invalid UTF-8",
            new Case(
                "PUT",
                LAYER,
                "application/json",
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                malformed)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("malformed")
  void C1_C6_C9_malformedOrNonInteroperableJson_is400MalformedJson(String name, Case c) {
    assertProblem(c.send(), c.expected());
    assertNothingChanged();
  }

  static Stream<Arguments> duplicates() {
    return Stream.of(
        named(
            "top-level id",
            Case.json(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"dup-a\",\"id\":\"dup-b\",\"ring\":\"live\"}",
                ProblemType.DUPLICATE_KEY)),
        named(
            "seats in a layer",
            Case.json("PUT", LAYER, "{\"seats\":10,\"seats\":0}", ProblemType.DUPLICATE_KEY)),
        named(
            "nested",
            Case.json(
                "PUT",
                LAYER,
                "{\"a\":{\"roles\":[\"user\"],\"roles\":[\"admin\"]}}",
                ProblemType.DUPLICATE_KEY)),
        named(
            "role on a credential",
            Case.json(
                "POST",
                "/v1/admin/credentials",
                "{\"name\":\"dup-cred\",\"role\":\"viewer\",\"role\":\"admin\"}",
                ProblemType.DUPLICATE_KEY)));
  }

  @ParameterizedTest(name = "[{index}] C8 {0}")
  @MethodSource("duplicates")
  void C8_duplicateKeys_are400DuplicateKey(String name, Case c) {
    assertProblem(c.send(), c.expected());
    assertNothingChanged();
  }

  static Stream<Arguments> invalidNames() {
    ProblemType invalid = ProblemType.INVALID_NAME;
    String tooLong = "a".repeat(64);
    return Stream.of(
        named(
            "uppercase id",
            Case.json(
                "POST", "/v1/admin/instances", "{\"id\":\"Acme\",\"ring\":\"live\"}", invalid)),
        named(
            "dot-dot id",
            Case.json(
                "POST", "/v1/admin/instances", "{\"id\":\"../etc\",\"ring\":\"live\"}", invalid)),
        named(
            "64 characters",
            Case.json(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"" + tooLong + "\",\"ring\":\"live\"}",
                invalid)),
        named(
            "leading hyphen",
            Case.json(
                "POST", "/v1/admin/instances", "{\"id\":\"-acme\",\"ring\":\"live\"}", invalid)),
        named(
            "underscore",
            Case.json(
                "POST", "/v1/admin/instances", "{\"id\":\"a_b\",\"ring\":\"live\"}", invalid)),
        named(
            "empty id",
            Case.json("POST", "/v1/admin/instances", "{\"id\":\"\",\"ring\":\"live\"}", invalid)),
        named(
            "slash",
            Case.json(
                "POST", "/v1/admin/instances", "{\"id\":\"a/b\",\"ring\":\"live\"}", invalid)),
        named(
            "NUL",
            Case.json(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"a\\u0000b\",\"ring\":\"live\"}",
                invalid)),
        named(
            "RTL override",
            Case.json(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"ab\\u202ec\",\"ring\":\"live\"}",
                invalid)),
        named(
            "trailing dot",
            Case.json(
                "POST", "/v1/admin/instances", "{\"id\":\"acme.\",\"ring\":\"live\"}", invalid)),
        named(
            "uppercase ring",
            Case.json(
                "POST", "/v1/admin/instances", "{\"id\":\"fine\",\"ring\":\"Live\"}", invalid)),
        named(
            "namespace dot-dot",
            Case.json("POST", "/v1/admin/namespaces", "{\"name\":\"..\"}", invalid)),
        named(
            "namespace uppercase",
            Case.json("POST", "/v1/admin/namespaces", "{\"name\":\"Core\"}", invalid)),
        named(
            "reserved namespace subscriptions",
            Case.json("POST", "/v1/admin/namespaces", "{\"name\":\"subscriptions\"}", invalid)),
        named(
            "credential name",
            Case.json(
                "POST",
                "/v1/admin/credentials",
                "{\"name\":\"Root\",\"role\":\"viewer\"}",
                invalid)),
        named(
            "ring name",
            Case.json("POST", "/v1/admin/rings", "{\"name\":\"Canary\",\"position\":7}", invalid)),
        named(
            "instance id in path",
            new Case("GET", "/v1/admin/instances/Acme", null, null, invalid)),
        named(
            "scope kind",
            Case.json("PUT", "/v1/admin/namespaces/core/layers/global", "{}", invalid)),
        named(
            "scope ring name",
            Case.json("PUT", "/v1/admin/namespaces/core/layers/ring:Live", "{}", invalid)),
        named(
            "scope instance id",
            Case.json("PUT", "/v1/admin/namespaces/core/layers/instance:A", "{}", invalid)),
        named(
            "diff scope",
            new Case(
                "GET",
                "/v1/admin/namespaces/core/diff?from=1&scope=nonsense",
                null,
                null,
                invalid)));
  }

  @ParameterizedTest(name = "[{index}] C11 {0}")
  @MethodSource("invalidNames")
  void C11_invalidNamesAndIds_are400InvalidName(String name, Case c) {
    assertProblem(c.send(), c.expected());
    assertNothingChanged();
  }

  static Stream<Arguments> invalidRequests() {
    ProblemType invalid = ProblemType.INVALID_REQUEST;
    return Stream.of(
        named("layer is an array", Case.json("PUT", LAYER, "[1,2,3]", invalid)),
        named("layer is a string", Case.json("PUT", LAYER, "\"seats\"", invalid)),
        named("layer is null", Case.json("PUT", LAYER, "null", invalid)),
        named("instance body is an array", Case.json("POST", "/v1/admin/instances", "[]", invalid)),
        named(
            "missing id", Case.json("POST", "/v1/admin/instances", "{\"ring\":\"live\"}", invalid)),
        named(
            "id is a number",
            Case.json("POST", "/v1/admin/instances", "{\"id\":7,\"ring\":\"live\"}", invalid)),
        named(
            "labels not strings",
            Case.json(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"lab\",\"ring\":\"live\",\"labels\":{\"tier\":1}}",
                invalid)),
        named("empty patch", Case.json("PATCH", "/v1/admin/instances/valid-one", "{}", invalid)),
        named(
            "unknown role",
            Case.json(
                "POST", "/v1/admin/credentials", "{\"name\":\"r\",\"role\":\"root\"}", invalid)),
        named(
            "ring without position",
            Case.json("POST", "/v1/admin/rings", "{\"name\":\"canary\"}", invalid)),
        named(
            "negative position",
            Case.json("POST", "/v1/admin/rings", "{\"name\":\"canary\",\"position\":-1}", invalid)),
        named(
            "position not a whole number",
            Case.json(
                "POST", "/v1/admin/rings", "{\"name\":\"canary\",\"position\":1.5}", invalid)),
        named(
            "publish without message",
            Case.json("POST", "/v1/admin/namespaces/core/publish", "{}", invalid)),
        named(
            "publish blank message",
            Case.json(
                "POST", "/v1/admin/namespaces/core/publish", "{\"message\":\"  \"}", invalid)),
        named(
            "publish message too long",
            Case.json(
                "POST",
                "/v1/admin/namespaces/core/publish",
                "{\"message\":\"" + "m".repeat(1001) + "\"}",
                invalid)),
        named(
            "publish scopes not an array",
            Case.json(
                "POST",
                "/v1/admin/namespaces/core/publish",
                "{\"message\":\"m\",\"scopes\":\"default\"}",
                invalid)),
        named(
            "description too long",
            Case.json(
                "POST",
                "/v1/admin/namespaces",
                "{\"name\":\"wordy\",\"description\":\"" + "d".repeat(1001) + "\"}",
                invalid)),
        named(
            "diff without from",
            new Case("GET", "/v1/admin/namespaces/core/diff", null, null, invalid)),
        named(
            "diff from zero",
            new Case("GET", "/v1/admin/namespaces/core/diff?from=0", null, null, invalid)),
        named(
            "history limit garbage",
            new Case("GET", "/v1/admin/namespaces/core/history?limit=lots", null, null, invalid)));
  }

  @ParameterizedTest(name = "[{index}] C2 {0}")
  @MethodSource("invalidRequests")
  void C2_wrongShapes_are400InvalidRequest(String name, Case c) {
    assertProblem(c.send(), c.expected());
    assertNothingChanged();
  }

  static Stream<Arguments> missingThings() {
    return Stream.of(
        named(
            "instance in unknown ring",
            Case.json(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"lost\",\"ring\":\"nosuchring\"}",
                ProblemType.RING_NOT_FOUND)),
        named(
            "move to unknown ring",
            Case.json(
                "PATCH",
                "/v1/admin/instances/valid-one",
                "{\"ring\":\"nosuchring\"}",
                ProblemType.RING_NOT_FOUND)),
        named(
            "layer of unknown ring",
            Case.json(
                "PUT",
                "/v1/admin/namespaces/core/layers/ring:nosuchring",
                "{}",
                ProblemType.RING_NOT_FOUND)),
        named(
            "layer of unknown instance",
            Case.json(
                "PUT",
                "/v1/admin/namespaces/core/layers/instance:nobody",
                "{}",
                ProblemType.INSTANCE_NOT_FOUND)),
        named(
            "layer of unknown namespace",
            Case.json(
                "PUT",
                "/v1/admin/namespaces/nowhere/layers/default",
                "{}",
                ProblemType.NAMESPACE_NOT_FOUND)),
        named(
            "patch unknown instance",
            Case.json(
                "PATCH",
                "/v1/admin/instances/nobody",
                "{\"ring\":\"live\"}",
                ProblemType.INSTANCE_NOT_FOUND)),
        named(
            "rotate unknown instance",
            new Case(
                "POST",
                "/v1/admin/instances/nobody/credential",
                null,
                null,
                ProblemType.INSTANCE_NOT_FOUND)),
        named(
            "future revision",
            new Case(
                "GET",
                "/v1/admin/namespaces/core/diff?from=999999",
                null,
                null,
                ProblemType.REVISION_NOT_FOUND)),
        named(
            "instance exists",
            Case.json(
                "POST",
                "/v1/admin/instances",
                "{\"id\":\"valid-one\",\"ring\":\"live\"}",
                ProblemType.ALREADY_EXISTS)),
        named(
            "namespace exists",
            Case.json(
                "POST", "/v1/admin/namespaces", "{\"name\":\"core\"}", ProblemType.ALREADY_EXISTS)),
        named(
            "ring position taken",
            Case.json(
                "POST",
                "/v1/admin/rings",
                "{\"name\":\"canary\",\"position\":0}",
                ProblemType.ALREADY_EXISTS)),
        named(
            "publish with nothing staged",
            Case.json(
                "POST",
                "/v1/admin/namespaces/quiet/publish",
                "{\"message\":\"nothing\"}",
                ProblemType.NO_PENDING_CHANGES)),
        named(
            "publish a scope without draft",
            Case.json(
                "POST",
                "/v1/admin/namespaces/core/publish",
                "{\"message\":\"m\",\"scopes\":[\"ring:live\"]}",
                ProblemType.NO_PENDING_CHANGES)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("missingThings")
  void referencesToMissingOrExistingThings_getTheirOwnProblem(String name, Case c) {
    assertProblem(c.send(), c.expected());
    assertNothingChanged();
  }

  static Stream<Arguments> mediaTypes() {
    byte[] body = "{\"id\":\"typed\",\"ring\":\"live\"}".getBytes(StandardCharsets.UTF_8);
    ProblemType unsupported = ProblemType.UNSUPPORTED_MEDIA_TYPE;
    return Stream.of(
        named("no Content-Type", new Case("POST", "/v1/admin/instances", null, body, unsupported)),
        named(
            "text/plain", new Case("POST", "/v1/admin/instances", "text/plain", body, unsupported)),
        named(
            "form",
            new Case(
                "POST",
                "/v1/admin/instances",
                "application/x-www-form-urlencoded",
                body,
                unsupported)),
        named("xml", new Case("POST", "/v1/admin/instances", "application/xml", body, unsupported)),
        named(
            "jsonx",
            new Case("POST", "/v1/admin/instances", "application/jsonx", body, unsupported)),
        named(
            "layer as text/plain",
            new Case(
                "PUT",
                LAYER,
                "text/plain",
                "{\"seats\":1}".getBytes(StandardCharsets.UTF_8),
                unsupported)),
        named(
            "charset=iso-8859-1",
            new Case(
                "PUT",
                LAYER,
                "application/json; charset=iso-8859-1",
                "{\"city\":\"K\u00f6ln\"}".getBytes(StandardCharsets.ISO_8859_1),
                unsupported)),
        named(
            "charset=utf-16 with a UTF-16 body",
            new Case(
                "PUT",
                LAYER,
                "application/json; charset=utf-16",
                "{\"seats\":1}".getBytes(StandardCharsets.UTF_16),
                unsupported)),
        named(
            "charset=\"UTF-16LE\", quoted, upper case",
            new Case(
                "POST",
                "/v1/admin/instances",
                "application/json;Charset=\"UTF-16LE\"",
                "{\"id\":\"typed\",\"ring\":\"live\"}".getBytes(StandardCharsets.UTF_16LE),
                unsupported)),
        named(
            "charset=us-ascii",
            new Case(
                "POST",
                "/v1/admin/instances",
                "application/json; charset=us-ascii",
                body,
                unsupported)),
        named(
            "UTF-16LE body without a charset",
            new Case(
                "PUT",
                LAYER,
                "application/json",
                "{\"seats\":1}".getBytes(StandardCharsets.UTF_16LE),
                unsupported)),
        named(
            "UTF-16BE body without a charset",
            new Case(
                "PUT",
                LAYER,
                "application/json",
                "{\"seats\":1}".getBytes(StandardCharsets.UTF_16BE),
                unsupported)),
        named(
            "UTF-16 body with its byte order mark",
            new Case(
                "PUT",
                LAYER,
                "application/json",
                "{\"seats\":1}".getBytes(StandardCharsets.UTF_16),
                unsupported)),
        named(
            "UTF-32 body",
            new Case(
                "PUT",
                LAYER,
                "application/json",
                "{\"seats\":1}".getBytes(java.nio.charset.Charset.forName("UTF-32")),
                unsupported)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "application/json; charset=\"utf-8\""
      })
  void aBodyDeclaredUtf8_isAccepted(String contentType) {
    HttpResponse<byte[]> response =
        server.send(
            "PUT",
            "/v1/admin/namespaces/scratch/layers/default",
            server.adminToken(),
            "{\"city\":\"K\u00f6ln\"}".getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            contentType);
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(HttpTestSupport.json(response).path("content").path("city").asText())
        .isEqualTo("K\u00f6ln");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("mediaTypes")
  void bodiesThatAreNotJson_are415(String name, Case c) {
    assertProblem(c.send(), c.expected());
    assertNothingChanged();
  }

  @Test
  void fingerprint_seesEvenAStagedDraft() {
    // The oracle of "changes nothing": a draft (which creates no revision) must show in it.
    HttpTestSupport.stage(server, "core", "default", "{\"seats\":12}");
    assertThat(fingerprint(server, "core")).isNotEqualTo(before);
    HttpTestSupport.stage(server, "core", "default", "{\"seats\":11}");
  }

  // ------------------------------------------------------------------ size and depth (C4, C5)

  @Test
  void C4_bodyOverOneMebibyte_withContentLength_is413DocumentTooLarge() {
    HttpResponse<byte[]> response = sendOversized(LAYER, paddedObject(1024 * 1024 + 1), false);
    assertProblem(response, ProblemType.DOCUMENT_TOO_LARGE);
    assertNothingChanged();
  }

  @Test
  void C4_bodyOverOneMebibyte_chunked_is413DocumentTooLarge() {
    HttpResponse<byte[]> response = sendOversized(LAYER, paddedObject(1024 * 1024 + 1), true);
    assertProblem(response, ProblemType.DOCUMENT_TOO_LARGE);
    assertNothingChanged();
  }

  @Test
  void C4_bodyOfExactlyTheLimit_isAccepted() {
    byte[] body = paddedObject(1024 * 1024);
    HttpResponse<byte[]> response =
        server.send(
            "PUT",
            "/v1/admin/namespaces/scratch/layers/default",
            server.adminToken(),
            body,
            "Content-Type",
            "application/json");
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
  }

  @Test
  void C4_bodyFarOverTheLimit_is413WithinBoundedTime() {
    byte[] body = paddedObject(3 * 1024 * 1024);
    HttpResponse<byte[]> response =
        assertTimeout(Duration.ofSeconds(10), () -> sendOversized(LAYER, body, false));
    assertProblem(response, ProblemType.DOCUMENT_TOO_LARGE);
    assertNothingChanged();
  }

  @Test
  void C5_nestingDeeperThan32_is400NestingTooDeep() {
    HttpResponse<byte[]> response = server.sendJson("PUT", LAYER, server.adminToken(), nested(33));
    assertProblem(response, ProblemType.NESTING_TOO_DEEP);
    assertNothingChanged();
  }

  @Test
  void C5_hundredThousandOpenBrackets_is400QuicklyWithoutStackOverflow() {
    String hostile = "{\"a\":" + "[".repeat(100_000);
    HttpResponse<byte[]> response =
        assertTimeout(
            Duration.ofSeconds(5),
            () -> server.sendJson("PUT", LAYER, server.adminToken(), hostile));
    assertProblem(response, ProblemType.NESTING_TOO_DEEP);
    assertNothingChanged();
  }

  @Test
  void C5_nestingOfExactly32_isAccepted() {
    HttpResponse<byte[]> response =
        server.sendJson(
            "PUT", "/v1/admin/namespaces/scratch/layers/default", server.adminToken(), nested(32));
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
  }

  // ------------------------------------------------------------------ huge strings and keys (C7)

  @Test
  void C7_aFiftyMegabyteString_isRefused413_beforeTheBodyIsRead() {
    byte[] body = paddedObject(50 * 1000 * 1000);
    HttpResponse<byte[]> response =
        assertTimeout(Duration.ofSeconds(10), () -> sendOversized(LAYER, body, false));
    assertProblem(response, ProblemType.DOCUMENT_TOO_LARGE);
    assertNothingChanged();
  }

  @Test
  void C7_aOneMegabyteKey_isRefused400ByTheNameLimit() {
    String key = "k".repeat(1_000_000);
    HttpResponse<byte[]> response =
        server.sendJson("PUT", LAYER, server.adminToken(), "{\"" + key + "\":1}");
    JsonNode problem = assertProblem(response, ProblemType.MALFORMED_JSON);
    assertThat(problem.get("detail").asText())
        .startsWith("a member name is longer than 50000 characters")
        .hasSizeLessThan(200);
    assertNothingChanged();
  }

  @Test
  void C7_aMillionKeys_areRefused413ByTheDocumentLimit() {
    StringBuilder keys = new StringBuilder("{");
    for (int i = 0; i < 1_000_000; i++) {
      keys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":0");
    }
    byte[] body = keys.append('}').toString().getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> response =
        assertTimeout(Duration.ofSeconds(10), () -> sendOversized(LAYER, body, false));
    assertProblem(response, ProblemType.DOCUMENT_TOO_LARGE);
    assertNothingChanged();
  }

  // ------------------------------------------------------------------ compressed bodies (C13)

  private static byte[] bomb;

  /** {@code {"pad":"xxx…"}} of {@code megabytes} MiB, gzip-compressed: about a thousandfold. */
  private static byte[] gzipBomb(int megabytes) {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write("{\"pad\":\"".getBytes(StandardCharsets.US_ASCII));
      byte[] run = new byte[1024 * 1024];
      Arrays.fill(run, (byte) 'x');
      for (int i = 0; i < megabytes; i++) {
        gzip.write(run);
      }
      gzip.write("\"}".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return compressed.toByteArray();
  }

  @ParameterizedTest(name = "Content-Encoding: {0}")
  @ValueSource(strings = {"gzip", "GZIP", "x-gzip", "deflate", "br", "identity, gzip", "identity"})
  void C13_aCompressedBody_isRefused415_neverInflated(String encoding) {
    if (bomb == null) {
      bomb = gzipBomb(256);
    }
    assertThat(bomb.length).as("inflates a thousandfold, to 256 MiB").isLessThan(1024 * 1024);

    // A connection of its own: the replica refuses before reading the body and then closes.
    HttpResponse<byte[]> response =
        assertTimeout(
            Duration.ofSeconds(5),
            () -> sendOversized(LAYER, bomb, false, "Content-Encoding", encoding));

    JsonNode problem = assertProblem(response, ProblemType.UNSUPPORTED_MEDIA_TYPE);
    assertThat(problem.get("detail").asText())
        .contains("Content-Encoding")
        .contains("uncompressed");
    assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
    assertNothingChanged();
  }

  // ------------------------------------------------------------------ routing

  @ParameterizedTest(name = "[{index}] {0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "DELETE | /v1/admin/rings                                | GET, POST",
        "PUT    | /v1/admin/instances                            | GET, POST",
        "DELETE | /v1/admin/instances/valid-one                  | GET, PATCH",
        "GET    | /v1/admin/instances/valid-one/credential       | POST",
        "PUT    | /v1/admin/namespaces                           | GET, POST",
        "PUT    | /v1/admin/namespaces/core                      | GET",
        "POST   | /v1/admin/namespaces/core/layers               | GET",
        "POST   | /v1/admin/namespaces/core/layers/default       | GET, PUT, DELETE",
        "GET    | /v1/admin/namespaces/core/publish              | POST",
        "POST   | /v1/admin/namespaces/core/history              | GET",
        "DELETE | /v1/admin/namespaces/core/diff                 | GET",
        "POST   | /v1/admin/namespaces/core/effective/valid-one  | GET",
        "DELETE | /v1/admin/credentials                          | GET, POST",
        "POST   | /v1/instances/valid-one/config/core            | GET, HEAD",
        "DELETE | /v1/instances/valid-one/checksums              | GET, HEAD",
        "POST   | /v1/keys                                       | GET, HEAD",
      })
  void wrongMethod_is405WithAllow(String method, String path, String allow) {
    HttpResponse<byte[]> response = server.send(method, path, server.adminToken(), null);
    assertProblem(response, ProblemType.METHOD_NOT_ALLOWED);
    assertThat(header(response, "Allow")).isEqualTo(allow);
    assertNothingChanged();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
    "/v1/nope",
    "/v1/admin/nope",
    "/v2/instances/valid-one/config/core",
    "/v1/instances/valid-one",
    "/v1/instances/valid-one/config",
    "/v1/admin/namespaces/core/layers/default/extra",
    "/",
  })
  void unknownRoute_is404Problem(String path) {
    HttpResponse<byte[]> response = server.get(path, server.adminToken());
    assertProblem(response, ProblemType.ROUTE_NOT_FOUND);
    assertNothingChanged();
  }

  // ------------------------------------------------------------------ helpers

  /** A JSON object of exactly {@code size} bytes: {"pad":"xxx…"}. */
  private static byte[] paddedObject(int size) {
    byte[] body = new byte[size];
    byte[] head = "{\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, body, 0, head.length);
    Arrays.fill(body, head.length, size - 2, (byte) 'x');
    body[size - 2] = '"';
    body[size - 1] = '}';
    return body;
  }

  /** {"a":{"a":…{"a":1}…}} with {@code depth} objects. */
  private static String nested(int depth) {
    return "{\"a\":".repeat(depth - 1) + "{\"a\":1}" + "}".repeat(depth - 1);
  }

  /**
   * Sends an oversized body the way a careful client does: on a connection of its own, with {@code
   * Expect: 100-continue}, so that a server refusing it by its headers never has unread bytes in
   * flight when it closes (which could reset the connection before the answer is read). With {@code
   * chunked}, no Content-Length is sent and the server must count the bytes itself.
   */
  private static HttpResponse<byte[]> sendOversized(
      String path, byte[] body, boolean chunked, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(server.uri(path))
            .timeout(Duration.ofSeconds(30))
            .expectContinue(true)
            .header("Authorization", "Bearer " + server.adminToken())
            .header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    HttpRequest request =
        builder
            .PUT(
                chunked
                    ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                    : HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
