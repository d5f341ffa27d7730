package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static io.holdfast.server.http.RolloutTestSupport.CHANGES;
import static io.holdfast.server.http.RolloutTestSupport.act;
import static io.holdfast.server.http.RolloutTestSupport.audit;
import static io.holdfast.server.http.RolloutTestSupport.body;
import static io.holdfast.server.http.RolloutTestSupport.change;
import static io.holdfast.server.http.RolloutTestSupport.create;
import static io.holdfast.server.http.RolloutTestSupport.edit;
import static io.holdfast.server.http.RolloutTestSupport.fingerprint;
import static io.holdfast.server.http.RolloutTestSupport.perform;
import static io.holdfast.server.http.RolloutTestSupport.served;
import static io.holdfast.server.http.RolloutTestSupport.tick;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A namespace's JSON Schema: set by an admin only if what is served already satisfies it, never
 * referring outside itself; then every change and every direct publish must keep every ring's and
 * every layered instance's document valid, or it is refused 422 naming where, and nothing is
 * stored.
 */
class NamespaceSchemaApiTest {

  private static final String SCHEMA_PATH = "/v1/admin/namespaces/core/schema";

  /** {@code maxUsers} is required and a whole number of at least one. */
  private static final String SCHEMA =
      "{\"type\":\"object\",\"required\":[\"maxUsers\"],"
          + "\"properties\":{\"maxUsers\":{\"type\":\"integer\",\"minimum\":1}}}";

  @TempDir Path dataDir;

  private ServerFixture server;
  private RolloutTestSupport.Crew crew;
  private String testToken;

  @BeforeEach
  void start() {
    server = RolloutTestSupport.start(dataDir, 1);
    crew = RolloutTestSupport.Crew.create(server);
    server.createNamespace("core");
    testToken = server.createInstance("in-test", "test");
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

  private void setSchema() {
    HttpResponse<byte[]> response = putSchema(SCHEMA);
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
  }

  // ------------------------------------------------------------------ setting and reading

  @Test
  void schema_isSetByAnAdmin_readByAViewer_andAudited() {
    assertProblem(server.get(SCHEMA_PATH, crew.viewer()), ProblemType.ROUTE_NOT_FOUND);

    HttpResponse<byte[]> set = putSchema(SCHEMA);

    assertThat(set.statusCode()).as(text(set)).isEqualTo(200);
    assertThat(json(set)).isEqualTo(json(SCHEMA));
    HttpResponse<byte[]> read = server.get(SCHEMA_PATH, crew.viewer());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read)).isEqualTo(json(SCHEMA));
    JsonNode row = audit(server, "namespace:core").get(0);
    assertThat(row.get("action").asText()).isEqualTo("namespace.schema.set");
    assertThat(row.get("actor").asText()).isEqualTo(RolloutTestSupport.Crew.ADMIN);
    assertThat(row.get("after")).isEqualTo(json(SCHEMA));
  }

  @Test
  void schema_removed_isGoneAndNoLongerChecked() {
    setSchema();

    assertThat(server.send("DELETE", SCHEMA_PATH, crew.admin(), null).statusCode()).isEqualTo(204);

    assertProblem(server.get(SCHEMA_PATH, crew.viewer()), ProblemType.ROUTE_NOT_FOUND);
    assertThat(audit(server, "namespace:core").get(0).get("action").asText())
        .isEqualTo("namespace.schema.remove");
    create(server, crew.editor(), edit("core", "default", "{\"maxUsers\":\"ten\"}"));
  }

  @Test
  void schema_ofAnUnknownNamespace_is404() {
    assertProblem(
        server.sendJson("PUT", "/v1/admin/namespaces/nowhere/schema", crew.admin(), SCHEMA),
        ProblemType.NAMESPACE_NOT_FOUND);
    assertProblem(
        server.get("/v1/admin/namespaces/nowhere/schema", crew.viewer()),
        ProblemType.NAMESPACE_NOT_FOUND);
  }

  static Stream<Arguments> unusableSchemas() {
    return Stream.of(
        Arguments.of("a $ref to http", "{\"$ref\":\"http://example.com/schema.json\"}"),
        Arguments.of(
            "a nested $ref to https",
            "{\"type\":\"object\",\"properties\":{\"maxUsers\":"
                + "{\"$ref\":\"https://example.com/defs.json#/int\"}}}"),
        Arguments.of(
            "a $ref to a relative file", "{\"properties\":{\"a\":{\"$ref\":\"defs.json\"}}}"),
        Arguments.of(
            "a $ref in $defs to a file URL",
            "{\"$defs\":{\"x\":{\"$ref\":\"file:///etc/passwd\"}}}"),
        Arguments.of("a $dynamicRef to http", "{\"$dynamicRef\":\"http://example.com/s#meta\"}"),
        Arguments.of("a nested $id", "{\"properties\":{\"a\":{\"$id\":\"http://example.com/a\"}}}"),
        Arguments.of("an unknown dialect", "{\"$schema\":\"http://example.com/my-dialect\"}"),
        Arguments.of("a type that is a number", "{\"type\":12}"),
        Arguments.of(
            "minimum as a string", "{\"properties\":{\"maxUsers\":{\"minimum\":\"one\"}}}"),
        Arguments.of("an array", "[{\"type\":\"object\"}]"),
        Arguments.of("a string", "\"object\""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("unusableSchemas")
  void unusableSchema_is400_andTheSchemaInForceStays(String name, String schema) {
    setSchema();
    String before = fingerprint(server, "core");

    assertProblem(putSchema(schema), ProblemType.INVALID_REQUEST);

    assertThat(json(server.get(SCHEMA_PATH, crew.viewer()))).isEqualTo(json(SCHEMA));
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void schemaThatWhatIsServedNowBreaks_is422_namingTheRing_andIsNotSet() {
    String before = fingerprint(server, "core");

    JsonNode problem =
        assertProblem(
            putSchema("{\"properties\":{\"maxUsers\":{\"type\":\"string\"}}}"),
            ProblemType.SCHEMA_VIOLATION);

    assertThat(problem.get("detail").asText()).contains("maxUsers").contains("ring live");
    assertProblem(server.get(SCHEMA_PATH, crew.viewer()), ProblemType.ROUTE_NOT_FOUND);
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void schemaThatAnInstanceLayerBreaks_is422_namingTheInstance() {
    server.publishLayer("core", "instance:in-live", "{\"maxUsers\":0}");

    JsonNode problem = assertProblem(putSchema(SCHEMA), ProblemType.SCHEMA_VIOLATION);

    assertThat(problem.get("detail").asText()).contains("instance in-live");
  }

  // ------------------------------------------------------------------ changes and publishes

  @Test
  void change_settingMaxUsersToText_is422SchemaViolation_withThePath_andStoresNothing() {
    setSchema();
    String before = fingerprint(server, "core");

    JsonNode problem =
        assertProblem(
            server.sendJson(
                "POST",
                CHANGES,
                crew.editor(),
                body("text seats", edit("core", "default", "{\"maxUsers\":\"ten\"}"))),
            ProblemType.SCHEMA_VIOLATION);

    assertThat(problem.get("detail").asText()).contains("maxUsers").contains("core");
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void change_belowTheMinimum_orRemovingARequiredMember_is422() {
    setSchema();
    String before = fingerprint(server, "core");

    assertProblem(
        server.sendJson(
            "POST",
            CHANGES,
            crew.editor(),
            body("no seats", edit("core", "default", "{\"maxUsers\":0}"))),
        ProblemType.SCHEMA_VIOLATION);
    assertProblem(
        server.sendJson(
            "POST",
            CHANGES,
            crew.editor(),
            body("drop seats", edit("core", "default", "{\"theme\":\"dark\"}"))),
        ProblemType.SCHEMA_VIOLATION);
    assertProblem(
        server.sendJson(
            "POST",
            CHANGES,
            crew.editor(),
            body("ring seats", edit("core", "ring:beta", "{\"maxUsers\":-3}"))),
        ProblemType.SCHEMA_VIOLATION);

    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void dryRun_listsTheViolations_withoutRefusingOrStoring() {
    setSchema();
    String before = fingerprint(server, "core");

    HttpResponse<byte[]> response =
        server.sendJson(
            "POST",
            CHANGES + "?dryRun=true",
            crew.editor(),
            body("text seats", edit("core", "ring:beta", "{\"maxUsers\":\"ten\"}")));

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    JsonNode violations = json(response).get("violations");
    assertThat(violations).singleElement().asString().contains("ring beta").contains("maxUsers");
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void validChange_underTheSchema_isAccepted() {
    setSchema();

    JsonNode created = create(server, crew.editor(), edit("core", "default", "{\"maxUsers\":10}"));

    assertThat(created.get("state").asText()).isEqualTo("draft");
  }

  @Test
  void approve_checksASchemaSetAfterTheChangeWasWritten_422_andTheChangeStaysADraft() {
    long id =
        create(server, crew.editor(), edit("core", "default", "{\"maxUsers\":\"ten\"}"))
            .get("id")
            .asLong();
    setSchema();
    String before = fingerprint(server, "core");

    JsonNode problem =
        assertProblem(
            act(server, crew.publisher(), id, "approve", null), ProblemType.SCHEMA_VIOLATION);

    assertThat(problem.get("detail").asText()).contains("maxUsers");
    assertThat(fingerprint(server, "core")).isEqualTo(before);
    assertThat(change(server, id).get("state").asText()).isEqualTo("draft");
  }

  @Test
  void directPublish_thatWouldBreakTheSchema_is422_andPublishesNothing() {
    setSchema();
    HttpTestSupport.stage(server, "core", "default", "{\"maxUsers\":\"ten\"}");
    String before = fingerprint(server, "core");

    JsonNode problem =
        assertProblem(
            server.sendJson(
                "POST",
                "/v1/admin/namespaces/core/publish",
                crew.publisher(),
                "{\"message\":\"text seats\"}"),
            ProblemType.SCHEMA_VIOLATION);

    assertThat(problem.get("detail").asText()).contains("maxUsers");
    assertThat(fingerprint(server, "core"))
        .as("nothing published; the draft stays staged")
        .isEqualTo(before);
  }

  @Test
  void directPublish_removingTheDefaultLayer_thatHoldsARequiredMember_is422() {
    setSchema();
    server.admin("DELETE", "/v1/admin/namespaces/core/layers/default", null);
    String before = fingerprint(server, "core");

    assertProblem(
        server.sendJson(
            "POST",
            "/v1/admin/namespaces/core/publish",
            crew.publisher(),
            "{\"message\":\"drop everything\"}"),
        ProblemType.SCHEMA_VIOLATION);

    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  /**
   * What ring {@code test} is served during a rollout is served now: a schema it breaks must be
   * refused like one the published layers break, or the change completes and publishes a document
   * its namespace's schema forbids.
   */
  @Test
  void schemaThatARollingOutChangeBreaks_is422_likeOneThePublishedLayersBreak() {
    long id =
        create(server, crew.editor(), edit("core", "default", "{\"maxUsers\":\"ten\"}"))
            .get("id")
            .asLong();
    perform(server, crew.publisher(), id, "approve", null);
    tick(server);
    assertThat(served(server, "in-test", testToken, "core").content())
        .isEqualTo(json("{\"maxUsers\":\"ten\"}"));

    JsonNode problem = assertProblem(putSchema(SCHEMA), ProblemType.SCHEMA_VIOLATION);

    assertThat(problem.get("detail").asText()).contains("ring test");
  }
}
