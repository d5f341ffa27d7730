package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.RolloutTestSupport.act;
import static io.holdfast.server.http.RolloutTestSupport.audit;
import static io.holdfast.server.http.RolloutTestSupport.change;
import static io.holdfast.server.http.RolloutTestSupport.create;
import static io.holdfast.server.http.RolloutTestSupport.edit;
import static io.holdfast.server.http.RolloutTestSupport.history;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A change request's life over HTTP, with the engine driven by {@code tick()}: approved, started in
 * ring {@code test}, promoted ring by ring, then completed (everyone gets the new content) or
 * backed out (everyone gets the old content again, at a revision above the rollout's: fix forward).
 * Instances read their documents with their own credentials throughout; the audit log records every
 * step on the change's target.
 *
 * <p>Each test has its own replica, since a tick moves every change in the store.
 */
class ChangeLifecycleTest {

  private static final String OLD = "{\"maxUsers\":5,\"theme\":\"light\"}";
  private static final String NEW = "{\"maxUsers\":10,\"theme\":\"light\"}";

  @TempDir Path dataDir;

  private ServerFixture server;
  private RolloutTestSupport.Crew crew;
  private long published;

  /** One instance per ring, by ring name, and their credentials. */
  private final List<String> instances = new ArrayList<>();

  private final List<String> tokens = new ArrayList<>();

  @BeforeEach
  void start() {
    server = RolloutTestSupport.start(dataDir, 1);
    crew = RolloutTestSupport.Crew.create(server);
    server.createNamespace("core");
    for (String ring : RolloutTestSupport.RINGS) {
      instances.add("in-" + ring);
      tokens.add(server.createInstance("in-" + ring, ring));
    }
    published = server.publishLayer("core", "default", OLD);
    // These instances run no client and never report; the gate here judges bake times only.
    RolloutTestSupport.allowEmpty(server, RolloutTestSupport.RINGS);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** What the instance in {@code ring} is served. */
  private Envelope servedIn(String ring) {
    int i = RolloutTestSupport.RINGS.indexOf(ring);
    return served(server, instances.get(i), tokens.get(i), "core");
  }

  private long approvedChange() {
    long id = create(server, crew.editor(), edit("core", "default", NEW)).get("id").asLong();
    perform(server, crew.publisher(), id, "approve", null);
    return id;
  }

  // ------------------------------------------------------------------ rolling out

  @Test
  void approvedChange_isServedToNoOne_untilATickStartsItInRingTest() {
    long id = approvedChange();
    assertThat(servedIn("test").content()).isEqualTo(json(OLD));
    assertThat(servedIn("test").revision()).isEqualTo(published);

    List<String> actions = tick(server);

    assertThat(actions).singleElement().asString().contains("change " + id).contains("ring test");
    JsonNode change = change(server, id);
    assertThat(change.get("state").asText()).isEqualTo("rolling_out");
    assertThat(change.get("currentRing").asText()).isEqualTo("test");
    long release = change.get("releaseRevision").asLong();
    assertThat(release).isGreaterThan(published);
    JsonNode first = change.get("releases").get(0);
    assertThat(first.get("ring").asText()).isEqualTo("test");
    assertThat(first.get("revision").asLong()).isEqualTo(release);
    assertThat(first.get("mode").asText()).isEqualTo("gate");
    assertThat(first.get("actor").asText()).startsWith("rollout-engine@");

    Envelope canary = servedIn("test");
    assertThat(canary.content()).isEqualTo(json(NEW));
    assertThat(canary.revision()).as("served at the release revision").isEqualTo(release);
    for (String ring : List.of("dev", "beta", "live")) {
      Envelope other = servedIn(ring);
      assertThat(other.content()).as("ring %s", ring).isEqualTo(json(OLD));
      assertThat(other.revision()).as("ring %s", ring).isEqualTo(published);
    }
  }

  @Test
  void promote_releasesTheNextRingNow_atANewRevision_leavingLaterRingsAlone() {
    long id = approvedChange();
    tick(server);
    long testRelease = change(server, id).get("releaseRevision").asLong();

    JsonNode promoted = perform(server, crew.publisher(), id, "promote", null);

    assertThat(promoted.get("state").asText()).isEqualTo("rolling_out");
    assertThat(promoted.get("currentRing").asText()).isEqualTo("dev");
    long devRelease = promoted.get("releaseRevision").asLong();
    assertThat(devRelease).isGreaterThan(testRelease);
    JsonNode release = promoted.get("releases").get(1);
    assertThat(release.get("ring").asText()).isEqualTo("dev");
    assertThat(release.get("mode").asText()).isEqualTo("manual");
    assertThat(release.get("actor").asText()).isEqualTo(RolloutTestSupport.Crew.PUBLISHER);
    assertThat(servedIn("test").content()).isEqualTo(json(NEW));
    assertThat(servedIn("test").revision()).isEqualTo(testRelease);
    assertThat(servedIn("dev").content()).isEqualTo(json(NEW));
    assertThat(servedIn("dev").revision()).isEqualTo(devRelease);
    assertThat(servedIn("beta").content()).isEqualTo(json(OLD));
    assertThat(servedIn("live").content()).isEqualTo(json(OLD));
    assertThat(servedIn("live").revision()).isEqualTo(published);
  }

  @Test
  void promote_withTheVersionTheOperatorSaw_afterTheEngineMovedTheChange_is412_andSkipsNoRing() {
    long id = approvedChange();
    tick(server);
    String seen =
        HttpTestSupport.header(
            server.get(RolloutTestSupport.CHANGES + "/" + id, crew.viewer()), "ETag");
    assertThat(tick(server))
        .as("the gate of ring test passes: the engine promotes to dev")
        .hasSize(1);
    String before = RolloutTestSupport.fingerprint(server, "core");

    JsonNode problem =
        assertProblem(
            server.send(
                "POST",
                RolloutTestSupport.CHANGES + "/" + id + "/promote",
                crew.publisher(),
                null,
                "If-Match",
                seen),
            ProblemType.PRECONDITION_FAILED);

    assertThat(problem.get("detail").asText()).contains("dev");
    assertThat(RolloutTestSupport.fingerprint(server, "core")).isEqualTo(before);
    assertThat(change(server, id).get("currentRing").asText())
        .as("not promoted past dev by mistake")
        .isEqualTo("dev");
  }

  @Test
  void promote_withTheCurrentVersion_succeeds_andAnswersTheNewTag() {
    long id = approvedChange();
    tick(server);
    String current =
        HttpTestSupport.header(
            server.get(RolloutTestSupport.CHANGES + "/" + id, crew.viewer()), "ETag");

    HttpResponse<byte[]> response =
        server.send(
            "POST",
            RolloutTestSupport.CHANGES + "/" + id + "/promote",
            crew.publisher(),
            null,
            "If-Match",
            current);

    assertThat(response.statusCode()).as(HttpTestSupport.text(response)).isEqualTo(200);
    assertThat(HttpTestSupport.header(response, "ETag"))
        .isNotEqualTo(current)
        .isEqualTo("\"change-" + json(response).get("version").asLong() + "\"");
  }

  @Test
  void action_withAMalformedIfMatch_is400InvalidPrecondition_andChangesNothing() {
    long id = approvedChange();
    tick(server);
    String before = RolloutTestSupport.fingerprint(server, "core");

    for (String tag :
        new String[] {"change-3", "\"draft-3\"", "W/\"change-3\"", "\"change-x\"", "*"}) {
      assertProblem(
          server.send(
              "POST",
              RolloutTestSupport.CHANGES + "/" + id + "/promote",
              crew.publisher(),
              null,
              "If-Match",
              tag),
          ProblemType.INVALID_PRECONDITION);
    }

    assertThat(RolloutTestSupport.fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void backout_servesTheOldContentToEveryRing_atARevisionAboveAnyServedDuringTheRollout() {
    long id = approvedChange();
    tick(server);
    perform(server, crew.publisher(), id, "promote", null);
    long highestServed = 0;
    for (String ring : RolloutTestSupport.RINGS) {
      highestServed = Math.max(highestServed, servedIn(ring).revision());
    }

    JsonNode backedOut = perform(server, crew.publisher(), id, "backout", reason("errors in dev"));

    assertThat(backedOut.get("state").asText()).isEqualTo("backed_out");
    long fix = backedOut.get("finalRevision").asLong();
    assertThat(fix).isGreaterThan(highestServed);
    for (String ring : RolloutTestSupport.RINGS) {
      Envelope document = servedIn(ring);
      assertThat(document.content()).as("ring %s", ring).isEqualTo(json(OLD));
      assertThat(document.revision()).as("ring %s: fix forward, never back", ring).isEqualTo(fix);
    }
    assertThat(history(server, "core").get(0).get("revision").asLong()).isEqualTo(fix);
    assertThat(tick(server)).as("a backed-out change is left alone").isEmpty();
    assertThat(change(server, id).has("gate")).isFalse();
  }

  @Test
  void backout_ofAChangeThatAddedARingLayer_takesTheLayerAwayAgain() {
    long id =
        create(server, crew.editor(), edit("core", "ring:test", "{\"theme\":\"dark\"}"))
            .get("id")
            .asLong();
    perform(server, crew.publisher(), id, "approve", null);
    tick(server);
    assertThat(servedIn("test").content()).isEqualTo(json("{\"maxUsers\":5,\"theme\":\"dark\"}"));

    long fix =
        perform(server, crew.publisher(), id, "backout", reason("too dark"))
            .get("finalRevision")
            .asLong();

    assertThat(servedIn("test").content()).isEqualTo(json(OLD));
    assertThat(servedIn("test").revision()).isEqualTo(fix);
  }

  /**
   * The admin API's effective view is documented as "the effective content an instance receives":
   * during a rollout, for an instance in a ring the change reached, that is the change's content,
   * not the published layers'.
   */
  @Test
  void adminEffectiveView_duringARollout_showsWhatTheInstanceIsServed() {
    approvedChange();
    tick(server);
    Envelope canary = servedIn("test");
    assertThat(canary.content()).isEqualTo(json(NEW));

    JsonNode effective = server.admin("GET", "/v1/admin/namespaces/core/effective/in-test", null);

    assertThat(effective.get("content"))
        .as("what in-test is served at revision %s", canary.revision())
        .isEqualTo(canary.content());
  }

  @Test
  void backout_ofAnApprovedChangeThatReachedNoRing_is409_cancelItInstead() {
    long id = approvedChange();
    String before = RolloutTestSupport.fingerprint(server, "core");

    JsonNode problem =
        assertProblem(
            act(server, crew.publisher(), id, "backout", reason("never mind")),
            ProblemType.CHANGE_CONFLICT);

    assertThat(problem.get("detail").asText()).contains("cancel");
    assertThat(RolloutTestSupport.fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void promotingThroughEveryRing_completesTheChange_andEveryoneGetsTheNewContent() {
    long id = approvedChange();
    tick(server);
    for (String ring : List.of("dev", "beta", "live")) {
      JsonNode promoted = perform(server, crew.publisher(), id, "promote", null);
      assertThat(promoted.get("currentRing").asText()).isEqualTo(ring);
      assertThat(servedIn(ring).content()).as("ring %s", ring).isEqualTo(json(NEW));
      assertThat(servedIn(ring).revision()).isEqualTo(promoted.get("releaseRevision").asLong());
    }
    long lastRelease = change(server, id).get("releaseRevision").asLong();

    JsonNode completed = perform(server, crew.publisher(), id, "promote", null);

    assertThat(completed.get("state").asText()).isEqualTo("completed");
    assertThat(completed.get("releases"))
        .extracting(r -> r.get("ring").asText())
        .containsExactlyElementsOf(RolloutTestSupport.RINGS);
    long done = completed.get("finalRevision").asLong();
    assertThat(done).isGreaterThan(lastRelease);
    for (String ring : RolloutTestSupport.RINGS) {
      Envelope document = servedIn(ring);
      assertThat(document.content()).as("ring %s", ring).isEqualTo(json(NEW));
      assertThat(document.revision()).as("ring %s", ring).isEqualTo(done);
    }
    JsonNode history = history(server, "core");
    assertThat(history).extracting(h -> h.get("revision").asLong()).contains(done, published);
    assertThat(history.get(0).get("revision").asLong()).isEqualTo(done);
    // Every ring's release, newest first, with its ring, time and the layer it served that ring.
    JsonNode releases = completed.get("releases");
    for (int i = 0; i < 4; i++) {
      JsonNode entry = history.get(4 - i);
      JsonNode release = releases.get(i);
      assertThat(entry.get("revision").asLong()).isEqualTo(release.get("revision").asLong());
      assertThat(entry.get("kind").asText()).isEqualTo("release");
      assertThat(entry.get("rings")).isEqualTo(json("[\"" + release.get("ring").asText() + "\"]"));
      assertThat(entry.get("createdAt").asText()).isEqualTo(release.get("releasedAt").asText());
      assertThat(entry.get("scopes")).isEqualTo(json("[\"default\"]"));
    }
    assertThat(history.get(0).get("rings")).as("the completion releases no ring").isEmpty();
    JsonNode layer =
        server.admin("GET", "/v1/admin/namespaces/core/layers/default", null).get("published");
    assertThat(layer.get("revision").asLong()).isEqualTo(done);
    assertThat(layer.get("content")).isEqualTo(json(NEW));
    assertThat(change(server, id).has("gate")).isFalse();
    assertProblem(act(server, crew.publisher(), id, "promote", null), ProblemType.CHANGE_CONFLICT);
  }

  @Test
  void engine_completesAChangeThatReachedTheLastRing_onceItsGatePasses() {
    long id = approvedChange();
    tick(server);
    for (int i = 0; i < 3; i++) {
      perform(server, crew.publisher(), id, "promote", null);
    }
    assertThat(change(server, id).get("currentRing").asText()).isEqualTo("live");

    List<String> actions = tick(server);

    assertThat(actions).singleElement().asString().contains("completed");
    JsonNode completed = change(server, id);
    assertThat(completed.get("state").asText()).isEqualTo("completed");
    assertThat(servedIn("live").revision()).isEqualTo(completed.get("finalRevision").asLong());
    assertThat(history(server, "core").get(0).get("revision").asLong())
        .isEqualTo(completed.get("finalRevision").asLong());
  }

  @Test
  void gate_inRingDev_waitsForTheBakeTime_andSaysSo() {
    long id = approvedChange();
    tick(server);
    assertThat(tick(server))
        .as("test bakes for 0 s and may be empty: promoted to dev")
        .singleElement()
        .asString()
        .contains("ring dev");

    assertThat(tick(server)).as("dev bakes for a day").isEmpty();

    JsonNode change = change(server, id);
    assertThat(change.get("currentRing").asText()).isEqualTo("dev");
    JsonNode gate = change.get("gate");
    assertThat(gate.get("decision").asText()).isEqualTo("WAIT");
    assertThat(gate.get("reason").asText()).contains("baking");
    assertThat(gate.get("watched").asInt()).isZero();
  }

  @Test
  void pausedChange_isNotStartedByTheEngine_untilResumed() {
    long id = approvedChange();

    JsonNode paused = perform(server, crew.publisher(), id, "pause", null);
    assertThat(paused.get("paused").asBoolean()).isTrue();
    assertThat(tick(server)).isEmpty();
    assertThat(change(server, id).get("state").asText()).isEqualTo("approved");

    assertThat(perform(server, crew.publisher(), id, "resume", null).get("paused").asBoolean())
        .isFalse();
    assertThat(tick(server)).hasSize(1);
    assertThat(change(server, id).get("state").asText()).isEqualTo("rolling_out");
  }

  @Test
  void pausedRollout_staysInItsRing_whileTheGatePasses() {
    long id = approvedChange();
    tick(server);
    perform(server, crew.publisher(), id, "pause", null);

    assertThat(tick(server)).isEmpty();

    JsonNode change = change(server, id);
    assertThat(change.get("currentRing").asText()).isEqualTo("test");
    assertThat(change.get("gate").get("decision").asText()).isEqualTo("PASS");
  }

  @Test
  void cancel_ofAnApprovedChange_freesItsLayer_butARollingOutChangeCannotBeCancelled() {
    long cancelled = approvedChange();
    JsonNode view = perform(server, crew.editor(), cancelled, "cancel", reason("wrong ticket"));
    assertThat(view.get("state").asText()).isEqualTo("cancelled");
    assertThat(tick(server)).isEmpty();

    long rolling = approvedChange();
    tick(server);
    String before = RolloutTestSupport.fingerprint(server, "core");
    assertProblem(
        act(server, crew.editor(), rolling, "cancel", reason("too late")),
        ProblemType.CHANGE_CONFLICT);
    assertThat(RolloutTestSupport.fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void listChanges_filtersByState_newestFirst() {
    long first = approvedChange();
    tick(server);
    long second =
        create(server, crew.editor(), edit("core", "ring:live", "{\"theme\":\"dark\"}"))
            .get("id")
            .asLong();

    JsonNode all = server.admin("GET", RolloutTestSupport.CHANGES, null).get("changes");
    JsonNode drafts =
        server.admin("GET", RolloutTestSupport.CHANGES + "?state=draft", null).get("changes");
    JsonNode some =
        server
            .admin("GET", RolloutTestSupport.CHANGES + "?state=draft,rolling_out&limit=1", null)
            .get("changes");

    assertThat(all).extracting(c -> c.get("id").asLong()).containsExactly(second, first);
    assertThat(drafts).extracting(c -> c.get("id").asLong()).containsExactly(second);
    assertThat(some).extracting(c -> c.get("id").asLong()).containsExactly(second);
  }

  // ------------------------------------------------------------------ audit

  @Test
  void lifecycle_writesAnAuditTrailOnTheChange_andTheChainVerifies() {
    long id = create(server, crew.editor(), edit("core", "default", NEW)).get("id").asLong();
    perform(server, crew.publisher(), id, "approve", "{\"comment\":\"lgtm\"}");
    tick(server);
    perform(server, crew.publisher(), id, "pause", null);
    perform(server, crew.publisher(), id, "resume", null);
    perform(server, crew.publisher(), id, "promote", null);
    perform(server, crew.publisher(), id, "backout", reason("errors in dev"));

    JsonNode trail = audit(server, "change:" + id);

    assertThat(trail)
        .extracting(e -> e.get("action").asText())
        .containsExactly(
            "change.backout",
            "change.release",
            "change.resume",
            "change.pause",
            "change.release",
            "change.approved",
            "change.approve",
            "change.create");
    assertThat(trail).extracting(e -> e.get("target").asText()).containsOnly("change:" + id);
    JsonNode create = trail.get(7);
    assertThat(create.get("actor").asText()).isEqualTo(RolloutTestSupport.Crew.EDITOR);
    assertThat(create.get("after").get("edits").get(0).get("content")).isEqualTo(json(NEW));
    JsonNode approve = trail.get(6);
    assertThat(approve.get("actor").asText()).isEqualTo(RolloutTestSupport.Crew.PUBLISHER);
    assertThat(approve.get("after").get("comment").asText()).isEqualTo("lgtm");
    assertThat(trail.get(4).get("actor").asText()).startsWith("rollout-engine@");
    assertThat(trail.get(4).get("after").get("ring").asText()).isEqualTo("test");
    assertThat(trail.get(1).get("actor").asText()).isEqualTo(RolloutTestSupport.Crew.PUBLISHER);
    assertThat(trail.get(1).get("after").get("ring").asText()).isEqualTo("dev");
    assertThat(trail.get(0).get("after").get("state").asText()).isEqualTo("backed_out");
    JsonNode verification = server.admin("GET", "/v1/admin/audit/verify", null);
    assertThat(verification.get("intact").asBoolean()).isTrue();
  }

  @Test
  void completion_isAuditedAsChangeComplete() {
    long id = approvedChange();
    tick(server);
    for (int i = 0; i < 4; i++) {
      perform(server, crew.publisher(), id, "promote", null);
    }

    JsonNode trail = audit(server, "change:" + id);

    assertThat(trail.get(0).get("action").asText()).isEqualTo("change.complete");
    assertThat(trail.get(0).get("actor").asText()).isEqualTo(RolloutTestSupport.Crew.PUBLISHER);
    assertThat(trail.get(0).get("after").get("revision").asLong())
        .isEqualTo(change(server, id).get("finalRevision").asLong());
    assertThat(trail)
        .extracting(e -> e.get("action").asText())
        .filteredOn("change.release"::equals)
        .hasSize(4);
  }

  /**
   * Back-out, hot-fix and cancel take a reason: the operator who acted is the audit row's actor,
   * and the reason is the change's outcome, never the other way round.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
    "backout, change.backout, publisher",
    "hotfix,  change.hotfix,  admin",
    "cancel,  change.cancel,  editor",
  })
  void actionWithAReason_isAttributedToTheOperator_andRecordsTheReasonAsOutcome(
      String action, String auditAction, String role) {
    long id = approvedChange();
    if (action.equals("backout")) {
      tick(server);
    }
    String token =
        switch (role) {
          case "publisher" -> crew.publisher();
          case "admin" -> crew.admin();
          default -> crew.editor();
        };
    String actor = "admin:as-" + role;

    JsonNode ended = perform(server, token, id, action, reason("ticket 4711"));

    assertThat(ended.get("outcome").asText())
        .as("outcome of %s", action)
        .contains("ticket 4711")
        .doesNotContain(actor);
    JsonNode row = audit(server, "change:" + id).get(0);
    assertThat(row.get("action").asText()).isEqualTo(auditAction);
    assertThat(row.get("actor").asText()).as("actor of %s", auditAction).isEqualTo(actor);
  }
}
