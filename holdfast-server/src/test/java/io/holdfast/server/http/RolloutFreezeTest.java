package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.RolloutTestSupport.FREEZE;
import static io.holdfast.server.http.RolloutTestSupport.ROLLOUTS;
import static io.holdfast.server.http.RolloutTestSupport.act;
import static io.holdfast.server.http.RolloutTestSupport.audit;
import static io.holdfast.server.http.RolloutTestSupport.change;
import static io.holdfast.server.http.RolloutTestSupport.create;
import static io.holdfast.server.http.RolloutTestSupport.edit;
import static io.holdfast.server.http.RolloutTestSupport.fingerprint;
import static io.holdfast.server.http.RolloutTestSupport.perform;
import static io.holdfast.server.http.RolloutTestSupport.reason;
import static io.holdfast.server.http.RolloutTestSupport.served;
import static io.holdfast.server.http.RolloutTestSupport.tick;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The global rollout freeze: while frozen, nothing moves forward (no promote, no start by the
 * engine, no gate promotion), but backing out still works, since it is what a freeze waits for, and
 * an admin may hot-fix with a reason. Lifting the freeze takes an admin; the engine then starts
 * approved changes again.
 *
 * <p>Two namespaces, so that two changes can be in flight at once: {@code core} (rolling out in
 * ring {@code test} when frozen) and {@code extra} (approved, not yet started).
 */
class RolloutFreezeTest {

  @TempDir Path dataDir;

  private ServerFixture server;
  private RolloutTestSupport.Crew crew;
  private String liveToken;
  private long rolling;
  private long approved;

  @BeforeEach
  void start() {
    server = RolloutTestSupport.start(dataDir, 1);
    crew = RolloutTestSupport.Crew.create(server);
    server.createNamespace("core");
    server.createNamespace("extra");
    liveToken = server.createInstance("in-live", "live");
    server.publishLayer("core", "default", "{\"maxUsers\":5}");
    server.publishLayer("extra", "default", "{\"colour\":\"red\"}");
    // Ring test has no instances here: a change passes it once baked only if it may be empty.
    RolloutTestSupport.allowEmpty(server, List.of("test"));
    rolling =
        create(server, crew.editor(), edit("core", "default", "{\"maxUsers\":10}"))
            .get("id")
            .asLong();
    perform(server, crew.publisher(), rolling, "approve", null);
    tick(server);
    approved =
        create(server, crew.editor(), edit("extra", "default", "{\"colour\":\"blue\"}"))
            .get("id")
            .asLong();
    perform(server, crew.publisher(), approved, "approve", null);
    assertThat(change(server, rolling).get("state").asText()).isEqualTo("rolling_out");
    assertThat(change(server, approved).get("state").asText()).isEqualTo("approved");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private JsonNode freeze() {
    HttpResponse<byte[]> response =
        server.sendJson("PUT", FREEZE, crew.publisher(), reason("incident 42"));
    assertThat(response.statusCode()).isEqualTo(200);
    return json(response);
  }

  @Test
  void freeze_isShownWithReasonActorAndSince() {
    JsonNode frozen = freeze();

    assertThat(frozen.get("frozen").asBoolean()).isTrue();
    assertThat(frozen.get("reason").asText()).isEqualTo("incident 42");
    assertThat(frozen.get("actor").asText()).isEqualTo(RolloutTestSupport.Crew.PUBLISHER);
    assertThat(frozen.get("since").asText()).isNotBlank();
    JsonNode overview = server.admin("GET", ROLLOUTS, null);
    assertThat(overview.get("freeze")).isEqualTo(frozen);
    JsonNode row = audit(server, "rollouts").get(0);
    assertThat(row.get("action").asText()).isEqualTo("rollouts.freeze");
    assertThat(row.get("actor").asText()).isEqualTo(RolloutTestSupport.Crew.PUBLISHER);
  }

  @Test
  void whileFrozen_promote_is409RolloutsFrozen_andNothingMoves() {
    freeze();
    String before = fingerprint(server, "core");

    assertProblem(
        act(server, crew.publisher(), rolling, "promote", null), ProblemType.ROLLOUTS_FROZEN);
    assertProblem(
        act(server, crew.admin(), approved, "promote", null), ProblemType.ROLLOUTS_FROZEN);

    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void whileFrozen_theEngine_neitherStartsApprovedChanges_norPromotesOnesWhoseGatePasses() {
    freeze();
    JsonNode rollingBefore = change(server, rolling);
    assertThat(rollingBefore.get("gate").get("decision").asText())
        .as("the test ring's gate passes")
        .isEqualTo("PASS");

    assertThat(tick(server)).isEmpty();

    assertThat(change(server, approved).get("state").asText()).isEqualTo("approved");
    JsonNode rollingAfter = change(server, rolling);
    assertThat(rollingAfter.get("currentRing").asText()).isEqualTo("test");
    assertThat(rollingAfter.get("version")).isEqualTo(rollingBefore.get("version"));
  }

  @Test
  void whileFrozen_backout_stillWorks() {
    freeze();

    JsonNode backedOut =
        perform(server, crew.publisher(), rolling, "backout", reason("incident 42"));

    assertThat(backedOut.get("state").asText()).isEqualTo("backed_out");
    Envelope document = served(server, "in-live", liveToken, "core");
    assertThat(document.content()).isEqualTo(json("{\"maxUsers\":5}"));
    assertThat(document.revision()).isEqualTo(backedOut.get("finalRevision").asLong());
  }

  @Test
  void whileFrozen_hotfix_byAnAdminWithAReason_releasesEveryRingAndCompletes() {
    freeze();
    assertProblem(
        act(server, crew.publisher(), approved, "hotfix", reason("customers down")),
        ProblemType.FORBIDDEN);
    assertProblem(act(server, crew.admin(), approved, "hotfix", null), ProblemType.INVALID_REQUEST);
    assertProblem(
        act(server, crew.admin(), approved, "hotfix", reason("  ")), ProblemType.INVALID_REQUEST);
    assertThat(change(server, approved).get("state").asText()).isEqualTo("approved");

    JsonNode fixed = perform(server, crew.admin(), approved, "hotfix", reason("customers down"));

    assertThat(fixed.get("state").asText()).isEqualTo("completed");
    assertThat(fixed.get("outcome").asText()).contains("customers down");
    assertThat(fixed.get("releases"))
        .extracting(r -> r.get("ring").asText())
        .containsExactlyElementsOf(RolloutTestSupport.RINGS);
    assertThat(fixed.get("releases"))
        .extracting(r -> r.get("mode").asText())
        .containsOnly("hotfix");
    long done = fixed.get("finalRevision").asLong();
    Envelope document = served(server, "in-live", liveToken, "extra");
    assertThat(document.content()).isEqualTo(json("{\"colour\":\"blue\"}"));
    assertThat(document.revision()).isEqualTo(done);
    assertThat(audit(server, "change:" + approved).get(0).get("action").asText())
        .isEqualTo("change.hotfix");
    assertThat(server.admin("GET", ROLLOUTS, null).get("freeze").get("frozen").asBoolean())
        .isTrue();
  }

  @Test
  void hotfix_ofARollingOutChange_releasesOnlyTheRingsItHasNotReached() {
    freeze();

    JsonNode fixed = perform(server, crew.admin(), rolling, "hotfix", reason("customers down"));

    assertThat(fixed.get("releases"))
        .extracting(r -> r.get("mode").asText())
        .containsExactly("gate", "hotfix", "hotfix", "hotfix");
    assertThat(served(server, "in-live", liveToken, "core").content())
        .isEqualTo(json("{\"maxUsers\":10}"));
  }

  @Test
  void liftingTheFreeze_takesAnAdmin_andThenTheEngineStartsAgain() {
    freeze();
    assertThat(tick(server)).isEmpty();

    assertProblem(server.send("DELETE", FREEZE, crew.publisher(), null), ProblemType.FORBIDDEN);
    assertThat(tick(server)).isEmpty();
    HttpResponse<byte[]> lifted = server.send("DELETE", FREEZE, crew.admin(), null);

    assertThat(lifted.statusCode()).isEqualTo(204);
    assertThat(lifted.body()).isEmpty();
    assertThat(server.admin("GET", ROLLOUTS, null).get("freeze"))
        .isEqualTo(json("{\"frozen\":false}"));
    assertThat(tick(server)).hasSize(2);
    assertThat(change(server, approved).get("currentRing").asText()).isEqualTo("test");
    assertThat(change(server, rolling).get("currentRing").asText()).isEqualTo("dev");
    JsonNode row = audit(server, "rollouts").get(0);
    assertThat(row.get("action").asText()).isEqualTo("rollouts.unfreeze");
    assertThat(row.get("actor").asText()).isEqualTo(RolloutTestSupport.Crew.ADMIN);
  }

  static Stream<Arguments> unusableFreezes() {
    return Stream.of(
        Arguments.of("{}", ProblemType.INVALID_REQUEST),
        Arguments.of("{\"reason\":\"\"}", ProblemType.INVALID_REQUEST),
        Arguments.of("{\"reason\":\"   \"}", ProblemType.INVALID_REQUEST),
        Arguments.of("{\"reason\":7}", ProblemType.INVALID_REQUEST),
        Arguments.of("{\"reason\":\"" + "r".repeat(1001) + "\"}", ProblemType.INVALID_REQUEST),
        Arguments.of("[]", ProblemType.INVALID_REQUEST),
        Arguments.of("{\"reason\":\"r\",\"until\":\"tomorrow\"}", ProblemType.UNKNOWN_FIELD));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("unusableFreezes")
  void freeze_withoutAUsableReason_is400_andChangesNothing(String body, ProblemType expected) {
    String before = fingerprint(server, "core");

    assertProblem(server.sendJson("PUT", FREEZE, crew.publisher(), body), expected);

    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }
}
