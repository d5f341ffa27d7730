package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.text;
import static io.holdfast.server.http.RolloutTestSupport.CHANGES;
import static io.holdfast.server.http.RolloutTestSupport.body;
import static io.holdfast.server.http.RolloutTestSupport.edit;
import static io.holdfast.server.http.RolloutTestSupport.fingerprint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schemas that would make checking a document unbounded (recursive references, expansion through
 * references, oversized schemas, regular expressions that backtrack without bound) are refused when
 * set, with a 400 problem and nothing changed; and checking a publish against a schema always ends,
 * in time, with an answer: never a StackOverflowError or a 500.
 */
class NamespaceSchemaBoundsTest {

  private static final String SCHEMA_PATH = "/v1/admin/namespaces/core/schema";

  @TempDir Path dataDir;

  private ServerFixture server;
  private RolloutTestSupport.Crew crew;

  @BeforeEach
  void start() {
    server = RolloutTestSupport.start(dataDir, 1);
    crew = RolloutTestSupport.Crew.create(server);
    server.createNamespace("core");
    server.createInstance("in-live", "live");
    server.publishLayer("core", "default", "{\"maxUsers\":5}");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<byte[]> putSchema(String schema) {
    return server.sendJson("PUT", SCHEMA_PATH, crew.admin(), schema);
  }

  /** Definitions d0..d(n-1), each using the next twice: 2^n subschemas once expanded. */
  private static String doubling(int levels) {
    StringBuilder defs = new StringBuilder();
    for (int i = 0; i < levels; i++) {
      String next =
          i + 1 < levels ? "{\"$ref\":\"#/$defs/d" + (i + 1) + "\"}" : "{\"type\":\"integer\"}";
      defs.append(i == 0 ? "" : ",")
          .append("\"d")
          .append(i)
          .append("\":{\"allOf\":[")
          .append(next)
          .append(',')
          .append(next)
          .append("]}");
    }
    return "{\"$defs\":{" + defs + "},\"properties\":{\"maxUsers\":{\"$ref\":\"#/$defs/d0\"}}}";
  }

  static Stream<Arguments> unboundedSchemas() {
    return Stream.of(
        Arguments.of("a $ref to the root", "{\"$ref\":\"#\"}", "recursive"),
        Arguments.of(
            "mutually referencing $defs",
            "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},"
                + "\"b\":{\"$ref\":\"#/$defs/a\"}},\"$ref\":\"#/$defs/a\"}",
            "recursive"),
        Arguments.of(
            "mutually referencing $defs, unused",
            "{\"$defs\":{\"a\":{\"not\":{\"$ref\":\"#/$defs/b\"}},"
                + "\"b\":{\"anyOf\":[{\"$ref\":\"#/$defs/a\"}]}}}",
            "recursive"),
        Arguments.of(
            "a tree through properties",
            "{\"properties\":{\"child\":{\"$ref\":\"#\"}}}",
            "recursive"),
        Arguments.of(
            "a cycle through an anchor",
            "{\"$defs\":{\"n\":{\"$anchor\":\"node\",\"items\":{\"$ref\":\"#node\"}}},"
                + "\"properties\":{\"list\":{\"$ref\":\"#node\"}}}",
            "recursive"),
        Arguments.of(
            "a percent-encoded pointer back to its holder",
            "{\"$defs\":{\"a b\":{\"items\":{\"$ref\":\"#/$defs/a%20b\"}}}}",
            "recursive"),
        Arguments.of(
            "a $dynamicRef to the root's anchor",
            "{\"$dynamicAnchor\":\"meta\",\"properties\":{\"x\":" + "{\"$dynamicRef\":\"#meta\"}}}",
            "recursive"),
        Arguments.of(
            "a $recursiveRef (draft 2019-09)",
            "{\"$schema\":\"https://json-schema.org/draft/2019-09/schema\","
                + "\"$recursiveAnchor\":true,\"properties\":{\"x\":{\"$recursiveRef\":\"#\"}}}",
            "recursive"),
        Arguments.of(
            "a $ref to nothing",
            "{\"properties\":{\"a\":{\"$ref\":\"#/$defs/missing\"}}}",
            "not in the schema"),
        Arguments.of(
            "a $ref to an unknown anchor",
            "{\"properties\":{\"a\":{\"$ref\":\"#nowhere\"}}}",
            "not in the schema"),
        Arguments.of(
            "definitions that double 24 times", doubling(24), "expands to more than 10000"),
        Arguments.of(
            "a schema over 64 KiB",
            "{\"description\":\"" + "x".repeat(70_000) + "\"}",
            "the limit is 65536"),
        Arguments.of(
            "nested quantifiers",
            "{\"properties\":{\"name\":{\"pattern\":\"^(a+)+$\"}}}",
            "backtracks"),
        Arguments.of(
            "nested quantifiers over digits",
            "{\"properties\":{\"id\":{\"pattern\":\"^(\\\\d+)*$\"}}}",
            "backtracks"),
        Arguments.of(
            "words and optional spaces, repeated",
            "{\"patternProperties\":{\"^(\\\\w+\\\\s?)+$\":{\"type\":\"string\"}}}",
            "backtracks"),
        Arguments.of(
            "a repeated group with a huge bound",
            "{\"properties\":{\"a\":{\"pattern\":\"^(.*){1,32000}[bc]\"}}}",
            "backtracks"),
        Arguments.of(
            "a backreference",
            "{\"properties\":{\"a\":{\"pattern\":\"^(a+)\\\\1$\"}}}",
            "backreference"),
        Arguments.of(
            "the classic e-mail pattern",
            "{\"properties\":{\"email\":{\"pattern\":"
                + "\"^([a-zA-Z0-9])(([\\\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$\"}}}",
            "backtracks"),
        Arguments.of(
            "a pattern in propertyNames",
            "{\"propertyNames\":{\"pattern\":\"^([a-z]*)*$\"}}",
            "backtracks"),
        Arguments.of(
            "a pattern that does not compile",
            "{\"properties\":{\"a\":{\"pattern\":\"(unclosed\"}}}",
            "not a regular expression"),
        Arguments.of(
            "a pattern of 1001 characters",
            "{\"properties\":{\"a\":{\"pattern\":\"" + "a".repeat(1001) + "\"}}}",
            "longer than 1000"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("unboundedSchemas")
  void unboundedSchema_is400_quickly_andNothingIsSet(String name, String schema, String reason) {
    String before = fingerprint(server, "core");
    long started = System.nanoTime();

    JsonNode problem = assertProblem(putSchema(schema), ProblemType.INVALID_REQUEST);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(problem.get("detail").asText()).contains(reason);
    assertProblem(server.get(SCHEMA_PATH, crew.viewer()), ProblemType.ROUTE_NOT_FOUND);
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void referencesWithoutACycle_andLinearPatterns_areAccepted_andEnforced() {
    String schema =
        "{\"$defs\":{\"count\":{\"type\":\"integer\",\"minimum\":1}},\"properties\":{"
            + "\"maxUsers\":{\"$ref\":\"#/$defs/count\"},\"maxAdmins\":{\"$ref\":\"#/$defs/count\"},"
            + "\"host\":{\"pattern\":\"^[a-z][a-z0-9-]{0,62}(\\\\.[a-z][a-z0-9-]{0,62})*$\"}},"
            + "\"patternProperties\":{\"^x-[a-z]+$\":{\"type\":\"string\"}}}";
    HttpResponse<byte[]> set = putSchema(schema);
    assertThat(set.statusCode()).as(text(set)).isEqualTo(200);
    assertThat(putSchema(doubling(8)).statusCode())
        .as("256 uses of the last definition are within the bound")
        .isEqualTo(200);
    assertThat(putSchema(schema).statusCode()).isEqualTo(200);

    HttpResponse<byte[]> refused =
        server.sendJson(
            "POST",
            CHANGES,
            crew.editor(),
            body(
                "bad host",
                edit("core", "default", "{\"maxUsers\":5,\"host\":\"Not A Host\",\"x-team\":7}")));
    JsonNode problem = assertProblem(refused, ProblemType.SCHEMA_VIOLATION);
    assertThat(problem.get("detail").asText()).contains("/host").contains("/x-team");
  }

  /**
   * A pattern of an accepted shape that passes the probes ({@code (.*a){12}} is quick on runs of
   * one character) meets a value on which its work grows with the twelfth power of the length: the
   * publish is refused 422 within the validation budget, naming the pattern, instead of holding the
   * thread.
   */
  @Test
  void aPatternThatBacktracksOnAPublishedValue_is422WithinTheBudget_notAHang() {
    String schema = "{\"properties\":{\"code\":{\"pattern\":\"(.*a){12}\"}}}";
    HttpResponse<byte[]> set = putSchema(schema);
    assertThat(set.statusCode()).as(text(set)).isEqualTo(200);
    server.admin(
        "PUT",
        "/v1/admin/namespaces/core/layers/default",
        "{\"maxUsers\":5,\"code\":\"" + "a".repeat(12) + "\"}");
    assertThat(HttpTestSupport.publish(server, "core")).isPositive();
    server.admin(
        "PUT",
        "/v1/admin/namespaces/core/layers/default",
        "{\"maxUsers\":5,\"code\":\"" + "a".repeat(11) + "x".repeat(3000) + "\"}");
    String before = fingerprint(server, "core");

    long started = System.nanoTime();
    HttpResponse<byte[]> publish =
        server.sendJson(
            "POST",
            "/v1/admin/namespaces/core/publish",
            server.adminToken(),
            "{\"message\":\"slow value\"}");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    JsonNode problem = assertProblem(publish, ProblemType.SCHEMA_VIOLATION);
    assertThat(problem.get("detail").asText())
        .contains("(.*a){12}")
        .contains("cannot be shown to satisfy");
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  /**
   * A recursive schema stored before these bounds existed (written here straight into the SQLite
   * file) no longer crashes a publish: the publish is refused 422 saying the schema must be
   * replaced, and replacing it works.
   */
  @Test
  void aRecursiveSchemaStoredEarlier_makesAPublish422_notAStackOverflow() throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("holdfast.db"));
        PreparedStatement ps =
            c.prepareStatement("UPDATE namespaces SET json_schema = ? WHERE name = 'core'")) {
      ps.setString(1, "{\"$ref\":\"#\"}");
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    server.admin("PUT", "/v1/admin/namespaces/core/layers/default", "{\"maxUsers\":6}");

    HttpResponse<byte[]> publish =
        server.sendJson(
            "POST",
            "/v1/admin/namespaces/core/publish",
            server.adminToken(),
            "{\"message\":\"after an old schema\"}");

    JsonNode problem = assertProblem(publish, ProblemType.SCHEMA_VIOLATION);
    assertThat(problem.get("detail").asText()).contains("no longer accepted").contains("recursive");
    assertThat(putSchema("{\"type\":\"object\"}").statusCode()).isEqualTo(200);
    assertThat(HttpTestSupport.publish(server, "core")).isPositive();
  }
}
