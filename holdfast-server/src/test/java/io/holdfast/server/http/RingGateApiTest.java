package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static io.holdfast.server.http.RolloutTestSupport.ROLLOUTS;
import static io.holdfast.server.http.RolloutTestSupport.audit;
import static io.holdfast.server.http.RolloutTestSupport.change;
import static io.holdfast.server.http.RolloutTestSupport.create;
import static io.holdfast.server.http.RolloutTestSupport.edit;
import static io.holdfast.server.http.RolloutTestSupport.fingerprint;
import static io.holdfast.server.http.RolloutTestSupport.perform;
import static io.holdfast.server.http.RolloutTestSupport.served;
import static io.holdfast.server.http.RolloutTestSupport.tick;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.document.Envelope;
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
 * Rings' bake times and health gates through {@code PATCH /v1/admin/rings/{name}}: what an admin
 * sets shows in the ring list and the rollout overview and is audited; a bad value is refused and
 * changes nothing; and the engine judges changes by the values in force, from the heartbeats the
 * ring's instances send over HTTP.
 */
class RingGateApiTest {

  private static final String DEFAULT_GATE =
      "{\"minAckRatio\":0.9,\"ackDeadline\":\"PT15M\",\"maxFailingRatio\":0.05,\"maxErrorRatio\":0.05,"
          + "\"allowEmpty\":false}";

  @TempDir Path dataDir;

  private ServerFixture server;
  private RolloutTestSupport.Crew crew;
  private String canaryToken;

  @BeforeEach
  void start() {
    server = RolloutTestSupport.start(dataDir, 1);
    crew = RolloutTestSupport.Crew.create(server);
    server.createNamespace("core");
    canaryToken = server.createInstance("canary", "test");
    server.publishLayer("core", "default", "{\"maxUsers\":5}");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<byte[]> patch(String ring, String body) {
    return server.sendJson("PATCH", "/v1/admin/rings/" + ring, crew.admin(), body);
  }

  private static JsonNode ring(JsonNode rings, String name) {
    for (JsonNode ring : rings) {
      if (ring.get("name").asText().equals(name)) {
        return ring;
      }
    }
    throw new AssertionError("no ring " + name + " in " + rings);
  }

  // ------------------------------------------------------------------ reading and changing

  @Test
  void rings_listTheirBakeTimesAndDefaultGates_inRolloutOrder() {
    JsonNode rings = server.admin("GET", "/v1/admin/rings", null).get("rings");

    assertThat(rings)
        .extracting(r -> r.get("name").asText())
        .containsExactlyElementsOf(RolloutTestSupport.RINGS);
    assertThat(rings)
        .extracting(r -> r.get("bakeTime").asText())
        .containsExactly("PT0S", "PT24H", "PT48H", "PT0S");
    for (JsonNode ring : rings) {
      assertThat(ring.get("gate")).isEqualTo(json(DEFAULT_GATE));
    }
    assertThat(server.admin("GET", ROLLOUTS, null).get("rings")).isEqualTo(rings);
  }

  @Test
  void patch_changesBakeTimeAndSomeGateThresholds_andShowsInRingsAndRollouts() {
    HttpResponse<byte[]> response =
        patch(
            "dev", "{\"bakeTime\":\"2h\",\"gate\":{\"minAckRatio\":0.5,\"ackDeadline\":\"30m\"}}");

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    JsonNode updated = json(response);
    assertThat(updated.get("name").asText()).isEqualTo("dev");
    assertThat(updated.get("bakeTime").asText()).isEqualTo("PT2H");
    assertThat(updated.get("gate"))
        .isEqualTo(
            json(
                "{\"minAckRatio\":0.5,\"ackDeadline\":\"PT30M\",\"maxFailingRatio\":0.05,\"maxErrorRatio\":0.05,"
                    + "\"allowEmpty\":false}"));
    assertThat(ring(server.admin("GET", "/v1/admin/rings", null).get("rings"), "dev"))
        .isEqualTo(updated);
    JsonNode overview = server.admin("GET", ROLLOUTS, null).get("rings");
    assertThat(ring(overview, "dev")).isEqualTo(updated);
    assertThat(ring(overview, "beta").get("bakeTime").asText())
        .as("other rings untouched")
        .isEqualTo("PT48H");
    assertThat(ring(overview, "beta").get("gate")).isEqualTo(json(DEFAULT_GATE));
  }

  @Test
  void patch_ofTheGateAlone_keepsTheBakeTime_andIsAudited() {
    HttpResponse<byte[]> response =
        patch("beta", "{\"gate\":{\"maxFailingRatio\":0,\"maxErrorRatio\":1}}");

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(json(response).get("bakeTime").asText()).isEqualTo("PT48H");
    assertThat(json(response).get("gate").get("maxFailingRatio").asDouble()).isZero();
    assertThat(json(response).get("gate").get("maxErrorRatio").asDouble()).isEqualTo(1.0);
    JsonNode row = audit(server, "ring:beta").get(0);
    assertThat(row.get("action").asText()).isEqualTo("ring.update");
    assertThat(row.get("actor").asText()).isEqualTo(RolloutTestSupport.Crew.ADMIN);
    assertThat(row.get("before").get("maxFailingRatio").asDouble()).isEqualTo(0.05);
    assertThat(row.get("after").get("maxFailingRatio").asDouble()).isZero();
  }

  @Test
  void patch_allowingARingToBeEmpty_keepsTheRestOfItsGate_showsEverywhere_andIsAudited() {
    HttpResponse<byte[]> response = patch("live", "{\"gate\":{\"allowEmpty\":true}}");

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    JsonNode updated = json(response);
    assertThat(updated.get("gate").get("allowEmpty").asBoolean()).isTrue();
    assertThat(updated.get("gate").get("minAckRatio").asDouble()).isEqualTo(0.9);
    assertThat(updated.get("bakeTime").asText()).isEqualTo("PT0S");
    assertThat(ring(server.admin("GET", "/v1/admin/rings", null).get("rings"), "live"))
        .isEqualTo(updated);
    assertThat(ring(server.admin("GET", ROLLOUTS, null).get("rings"), "live")).isEqualTo(updated);
    assertThat(
            ring(server.admin("GET", "/v1/admin/rings", null).get("rings"), "beta")
                .get("gate")
                .get("allowEmpty")
                .asBoolean())
        .as("other rings untouched")
        .isFalse();
    JsonNode row = audit(server, "ring:live").get(0);
    assertThat(row.get("action").asText()).isEqualTo("ring.update");
    assertThat(row.get("before").get("allowEmpty").asBoolean()).isFalse();
    assertThat(row.get("after").get("allowEmpty").asBoolean()).isTrue();

    JsonNode back = json(patch("live", "{\"gate\":{\"allowEmpty\":false}}"));
    assertThat(back.get("gate")).isEqualTo(json(DEFAULT_GATE));
  }

  static Stream<Arguments> badPatches() {
    ProblemType invalid = ProblemType.INVALID_REQUEST;
    return Stream.of(
        Arguments.of("minAckRatio 1.5", "dev", "{\"gate\":{\"minAckRatio\":1.5}}", invalid),
        Arguments.of(
            "maxFailingRatio negative", "dev", "{\"gate\":{\"maxFailingRatio\":-0.1}}", invalid),
        Arguments.of(
            "maxErrorRatio as a string", "dev", "{\"gate\":{\"maxErrorRatio\":\"0.5\"}}", invalid),
        Arguments.of(
            "ratio 1.5 next to a good bake time",
            "dev",
            "{\"bakeTime\":\"1h\",\"gate\":{\"minAckRatio\":1.5}}",
            invalid),
        Arguments.of("ackDeadline zero", "dev", "{\"gate\":{\"ackDeadline\":\"0s\"}}", invalid),
        Arguments.of(
            "ackDeadline in milliseconds",
            "dev",
            "{\"gate\":{\"ackDeadline\":\"1500ms\"}}",
            invalid),
        Arguments.of("bakeTime without a unit", "dev", "{\"bakeTime\":\"2\"}", invalid),
        Arguments.of("bakeTime in words", "dev", "{\"bakeTime\":\"two hours\"}", invalid),
        Arguments.of("bakeTime negative", "dev", "{\"bakeTime\":\"-1h\"}", invalid),
        Arguments.of("bakeTime a number", "dev", "{\"bakeTime\":7200}", invalid),
        Arguments.of("bakeTime fractional seconds", "dev", "{\"bakeTime\":\"1500ms\"}", invalid),
        Arguments.of("gate not an object", "dev", "{\"gate\":0.5}", invalid),
        Arguments.of("allowEmpty as a word", "dev", "{\"gate\":{\"allowEmpty\":\"yes\"}}", invalid),
        Arguments.of(
            "allowEmpty as a string", "dev", "{\"gate\":{\"allowEmpty\":\"true\"}}", invalid),
        Arguments.of("allowEmpty as a number", "dev", "{\"gate\":{\"allowEmpty\":1}}", invalid),
        Arguments.of("allowEmpty as an array", "dev", "{\"gate\":{\"allowEmpty\":[]}}", invalid),
        Arguments.of(
            "bad allowEmpty next to a good bake time and ratio",
            "dev",
            "{\"bakeTime\":\"1h\",\"gate\":{\"minAckRatio\":0.5,\"allowEmpty\":0}}",
            invalid),
        Arguments.of(
            "allowEmpty outside the gate",
            "dev",
            "{\"allowEmpty\":true}",
            ProblemType.UNKNOWN_FIELD),
        Arguments.of("body an array", "dev", "[]", invalid),
        Arguments.of("unknown member", "dev", "{\"position\":9}", ProblemType.UNKNOWN_FIELD),
        Arguments.of(
            "unknown gate member", "dev", "{\"gate\":{\"minAcks\":3}}", ProblemType.UNKNOWN_FIELD),
        Arguments.of(
            "unknown ring", "nosuchring", "{\"bakeTime\":\"1h\"}", ProblemType.RING_NOT_FOUND),
        Arguments.of(
            "unknown ring with a gate",
            "nosuchring",
            "{\"gate\":{\"minAckRatio\":0.5}}",
            ProblemType.RING_NOT_FOUND));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badPatches")
  void badPatch_getsItsProblemType_andChangesNothing(
      String name, String ring, String body, ProblemType expected) {
    String before = fingerprint(server, "core");

    assertProblem(patch(ring, body), expected);

    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  /**
   * As for instances ({@code GET /v1/admin/instances/Acme}), a malformed name in the path is 400,
   * not 404.
   */
  @Test
  void patch_ofAMalformedRingName_is400InvalidName() {
    String before = fingerprint(server, "core");

    assertProblem(patch("Live", "{\"bakeTime\":\"1h\"}"), ProblemType.INVALID_NAME);

    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  /**
   * As for instances and applications, a PATCH that changes nothing is a mistake, not an audited
   * update.
   */
  @Test
  void emptyPatch_is400_andWritesNoAuditRow() {
    String before = fingerprint(server, "core");

    assertProblem(patch("dev", "{}"), ProblemType.INVALID_REQUEST);

    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  // ------------------------------------------------------------------ the engine uses them

  @Test
  void bakeTimesOfZero_letTheEnginePromoteRingByRing_andComplete() {
    // The canary confirms in test; dev, beta and live have no instances and may be empty.
    patch("dev", "{\"bakeTime\":\"0s\",\"gate\":{\"allowEmpty\":true}}");
    patch("beta", "{\"bakeTime\":\"0s\",\"gate\":{\"allowEmpty\":true}}");
    patch("live", "{\"gate\":{\"allowEmpty\":true}}");
    long id = startedInTest();
    beat(namespaceReport("FRESH", change(server, id).get("releaseRevision").asLong(), null));

    for (String ring : RolloutTestSupport.RINGS.subList(1, 4)) {
      assertThat(tick(server)).singleElement().asString().contains("ring " + ring);
      assertThat(change(server, id).get("currentRing").asText()).isEqualTo(ring);
    }
    assertThat(tick(server)).singleElement().asString().contains("completed");

    JsonNode completed = change(server, id);
    assertThat(completed.get("state").asText()).isEqualTo("completed");
    assertThat(completed.get("releases"))
        .extracting(r -> r.get("mode").asText())
        .containsOnly("gate");
    assertThat(served(server, "canary", canaryToken, "core").revision())
        .isEqualTo(completed.get("finalRevision").asLong());
  }

  @Test
  void aCanaryThatNeverReported_holdsTheChangeInTest_untilTheRingIsAllowedToBeEmpty() {
    long id = startedInTest();

    JsonNode gate = change(server, id).get("gate");
    assertThat(gate.get("decision").asText()).isEqualTo("WAIT");
    assertThat(gate.get("reason").asText())
        .contains("waiting for a first heartbeat")
        .contains("the one instance in ring test that the change affects has never sent");
    assertThat(tick(server)).as("test bakes for 0 s, but nobody there has reported").isEmpty();

    patch("test", "{\"gate\":{\"allowEmpty\":true}}");

    assertThat(change(server, id).get("gate").get("decision").asText()).isEqualTo("PASS");
    assertThat(tick(server)).singleElement().asString().contains("ring dev");
  }

  @Test
  void canaryReportingTheNamespaceStale_failsTheGate_andTheEngineBacksTheChangeOut() {
    long id = startedInTest();

    beat(namespaceReport("STALE", 0, "signature rejected"));
    JsonNode gate = change(server, id).get("gate");
    assertThat(gate.get("decision").asText()).isEqualTo("FAIL");
    assertThat(gate.get("watched").asInt()).isEqualTo(1);
    assertThat(gate.get("failing").asInt()).isEqualTo(1);

    assertThat(tick(server)).singleElement().asString().contains("backed out");

    JsonNode backedOut = change(server, id);
    assertThat(backedOut.get("state").asText()).isEqualTo("backed_out");
    assertThat(backedOut.get("outcome").asText()).contains("canary").contains("STALE");
    Envelope document = served(server, "canary", canaryToken, "core");
    assertThat(document.content()).isEqualTo(json("{\"maxUsers\":5}"));
    assertThat(document.revision()).isEqualTo(backedOut.get("finalRevision").asLong());
    JsonNode row = audit(server, "change:" + id).get(0);
    assertThat(row.get("action").asText()).isEqualTo("change.backout");
    assertThat(row.get("actor").asText()).startsWith("rollout-engine@");
  }

  @Test
  void canaryReportingItsApplicationFailing_failsTheGate() {
    long id = startedInTest();
    long release = change(server, id).get("releaseRevision").asLong();

    beat(report("FRESH", release, null, "FAILING"));

    JsonNode gate = change(server, id).get("gate");
    assertThat(gate.get("decision").asText()).isEqualTo("FAIL");
    assertThat(gate.get("erroring").asInt()).isEqualTo(1);
  }

  @Test
  void looserGate_letsTheSameStaleReportPass_andTheEnginePromotes() {
    long id = startedInTest();
    beat(namespaceReport("STALE", 0, "signature rejected"));

    patch("test", "{\"gate\":{\"maxFailingRatio\":1,\"minAckRatio\":0}}");

    assertThat(change(server, id).get("gate").get("decision").asText()).isEqualTo("PASS");
    assertThat(tick(server)).singleElement().asString().contains("ring dev");
    assertThat(change(server, id).get("currentRing").asText()).isEqualTo("dev");
  }

  @Test
  void canaryConfirmingTheReleaseRevision_isCountedAsAcknowledged() {
    patch("test", "{\"bakeTime\":\"1h\"}");
    long id = startedInTest();
    long release = change(server, id).get("releaseRevision").asLong();
    assertThat(change(server, id).get("gate").get("watched").asInt())
        .as("no report yet: not watched")
        .isZero();

    beat(namespaceReport("FRESH", release, null));

    JsonNode gate = change(server, id).get("gate");
    assertThat(gate.get("watched").asInt()).isEqualTo(1);
    assertThat(gate.get("acknowledged").asInt()).isEqualTo(1);
    assertThat(gate.get("decision").asText())
        .as("acknowledged, but baking for an hour")
        .isEqualTo("WAIT");
    assertThat(tick(server)).isEmpty();
  }

  private long startedInTest() {
    long id =
        create(server, crew.editor(), edit("core", "default", "{\"maxUsers\":10}"))
            .get("id")
            .asLong();
    perform(server, crew.publisher(), id, "approve", null);
    tick(server);
    assertThat(change(server, id).get("currentRing").asText()).isEqualTo("test");
    return id;
  }

  /** Sends the canary's heartbeat; 204 means it is stored, so the gate sees it at once. */
  private void beat(String body) {
    HttpResponse<byte[]> response =
        server.sendJson("POST", "/v1/instances/canary/heartbeat", canaryToken, body);
    assertThat(response.statusCode()).as(text(response)).isEqualTo(204);
  }

  private static String namespaceReport(String status, long revision, String reason) {
    return report(status, revision, reason, null);
  }

  /**
   * A complete heartbeat of the canary: namespace {@code core} in {@code status} at {@code
   * revision}, and its application's health if {@code application} is not null.
   */
  private static String report(String status, long revision, String reason, String application) {
    // The gate judges a report by when the replica received it, not by these client times.
    String now = "2026-11-25T18:19:15.516Z";
    return "{\"sdkVersion\":\"1.0.0\",\"sentAt\":\""
        + now
        + "\",\"lastSuccessAt\":\""
        + now
        + "\",\"lastError\":null,"
        + "\"namespaces\":{\"core\":{\"revision\":"
        + revision
        + ",\"etag\":null,\"status\":\""
        + status
        + "\","
        + "\"since\":\""
        + now
        + "\",\"reason\":"
        + (reason == null ? "null" : "\"" + reason + "\"")
        + "}},"
        + "\"seatsInUse\":{}"
        + (application == null
            ? ""
            : ",\"application\":{\"status\":\"" + application + "\",\"since\":\"" + now + "\"}")
        + "}";
  }
}
