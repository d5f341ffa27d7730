package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static io.holdfast.server.http.RolloutTestSupport.act;
import static io.holdfast.server.http.RolloutTestSupport.change;
import static io.holdfast.server.http.RolloutTestSupport.create;
import static io.holdfast.server.http.RolloutTestSupport.edit;
import static io.holdfast.server.http.RolloutTestSupport.fingerprint;
import static io.holdfast.server.http.RolloutTestSupport.perform;
import static io.holdfast.server.http.RolloutTestSupport.reason;
import static io.holdfast.server.http.RolloutTestSupport.tick;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change that is approved or rolling out holds the layers it edits until it ends: nobody may
 * publish them directly, and no second change of them may be approved. A change written against a
 * layer that has been published since cannot be approved either; it would silently undo that
 * publish. Every refusal leaves the store as it was.
 */
class HeldLayerTest {

  private static final String PUBLISH = "/v1/admin/namespaces/core/publish";

  @TempDir Path dataDir;

  private ServerFixture server;
  private RolloutTestSupport.Crew crew;
  private long published;

  @BeforeEach
  void start() {
    server = RolloutTestSupport.start(dataDir, 1);
    crew = RolloutTestSupport.Crew.create(server);
    server.createNamespace("core");
    server.createInstance("in-live", "live");
    published = server.publishLayer("core", "default", "{\"maxUsers\":5}");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private long approvedChange(String content) {
    long id = create(server, crew.editor(), edit("core", "default", content)).get("id").asLong();
    perform(server, crew.publisher(), id, "approve", null);
    return id;
  }

  private HttpResponse<byte[]> publishDirectly(String json) {
    return server.sendJson("POST", PUBLISH, crew.publisher(), json);
  }

  @Test
  void directPublish_ofALayerHeldByAnApprovedChange_is409LayerHeld_andPublishesNothing() {
    long holder = approvedChange("{\"maxUsers\":10}");
    HttpTestSupport.stage(server, "core", "default", "{\"maxUsers\":99}");
    HttpTestSupport.stage(server, "core", "ring:live", "{\"theme\":\"dark\"}");
    String before = fingerprint(server, "core");

    JsonNode problem =
        assertProblem(
            publishDirectly("{\"message\":\"around the change\"}"), ProblemType.LAYER_HELD);

    assertThat(problem.get("detail").asText()).contains("change " + holder).contains("default");
    assertThat(fingerprint(server, "core"))
        .as("not even the unheld ring:live draft is published")
        .isEqualTo(before);
  }

  @Test
  void directPublish_ofALayerHeldByARollingOutChange_is409LayerHeld_andPublishesNothing() {
    long holder = approvedChange("{\"maxUsers\":10}");
    tick(server);
    assertThat(change(server, holder).get("state").asText()).isEqualTo("rolling_out");
    HttpTestSupport.stage(server, "core", "default", "{\"maxUsers\":99}");
    String before = fingerprint(server, "core");

    assertProblem(
        publishDirectly("{\"message\":\"around the change\",\"scopes\":[\"default\"]}"),
        ProblemType.LAYER_HELD);

    assertThat(fingerprint(server, "core")).isEqualTo(before);
    assertThat(
            server
                .admin("GET", "/v1/admin/namespaces/core/layers/default", null)
                .get("published")
                .get("revision")
                .asLong())
        .isEqualTo(published);
  }

  @Test
  void directPublish_ofAnotherLayerOfTheNamespace_isNotHeld() {
    approvedChange("{\"maxUsers\":10}");
    HttpTestSupport.stage(server, "core", "ring:live", "{\"theme\":\"dark\"}");

    HttpResponse<byte[]> response =
        publishDirectly("{\"message\":\"ring only\",\"scopes\":[\"ring:live\"]}");

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(json(response).get("scopes").get(0).asText()).isEqualTo("ring:live");
  }

  @Test
  void draftChange_holdsNothing_directPublishGoesThrough() {
    create(server, crew.editor(), edit("core", "default", "{\"maxUsers\":10}"));
    HttpTestSupport.stage(server, "core", "default", "{\"maxUsers\":99}");

    HttpResponse<byte[]> response =
        publishDirectly("{\"message\":\"the draft change holds nothing\"}");

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
  }

  @Test
  void secondChangeOfAHeldLayer_canBeWritten_butNotApproved_409LayerHeld() {
    long holder = approvedChange("{\"maxUsers\":10}");
    long second =
        create(server, crew.editor(), edit("core", "default", "{\"maxUsers\":20}"))
            .get("id")
            .asLong();
    String before = fingerprint(server, "core");

    JsonNode problem =
        assertProblem(
            act(server, crew.publisher(), second, "approve", null), ProblemType.LAYER_HELD);

    assertThat(problem.get("detail").asText()).contains("change " + holder);
    assertThat(fingerprint(server, "core"))
        .as("the refused approval is not recorded")
        .isEqualTo(before);
    assertThat(change(server, second).get("approvals")).isEmpty();
  }

  @Test
  void layerIsReleased_whenItsChangeIsBackedOut_butAChangeWrittenBeforeThat_conflicts() {
    long holder = approvedChange("{\"maxUsers\":10}");
    long second =
        create(server, crew.editor(), edit("core", "default", "{\"maxUsers\":20}"))
            .get("id")
            .asLong();
    tick(server);
    perform(server, crew.publisher(), holder, "backout", reason("bad idea"));

    // The back-out published the old content again at a new revision: the second change was
    // written against the one before, so approving it now would skip that publish.
    assertProblem(
        act(server, crew.publisher(), second, "approve", null), ProblemType.CHANGE_CONFLICT);

    HttpTestSupport.stage(server, "core", "default", "{\"maxUsers\":99}");
    HttpResponse<byte[]> response = publishDirectly("{\"message\":\"the layer is free again\"}");
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
  }

  @Test
  void changeWrittenAgainstAnOlderRevision_cannotBeApproved_409ChangeConflict_andNothingChanges() {
    JsonNode written = create(server, crew.editor(), edit("core", "default", "{\"maxUsers\":10}"));
    long id = written.get("id").asLong();
    assertThat(written.get("edits").get(0).get("baseRevision").asLong()).isEqualTo(published);
    HttpTestSupport.stage(server, "core", "default", "{\"maxUsers\":7}");
    long inBetween = HttpTestSupport.publish(server, "core");
    String before = fingerprint(server, "core");

    JsonNode problem =
        assertProblem(
            act(server, crew.publisher(), id, "approve", null), ProblemType.CHANGE_CONFLICT);

    assertThat(problem.get("detail").asText())
        .contains(Long.toString(inBetween))
        .contains(Long.toString(published));
    assertThat(fingerprint(server, "core")).isEqualTo(before);
    assertThat(change(server, id).get("state").asText()).isEqualTo("draft");
  }

  @Test
  void changeWithAnExplicitStaleBaseRevision_cannotBeApproved() {
    long id =
        create(
                server,
                crew.editor(),
                "{\"namespace\":\"core\",\"scope\":\"default\",\"content\":{\"maxUsers\":10},"
                    + "\"baseRevision\":"
                    + (published - 1)
                    + "}")
            .get("id")
            .asLong();

    assertProblem(act(server, crew.publisher(), id, "approve", null), ProblemType.CHANGE_CONFLICT);

    assertThat(change(server, id).get("state").asText()).isEqualTo("draft");
  }

  @Test
  void completedChange_releasesItsLayer_forTheNextDirectPublish() {
    long holder = approvedChange("{\"maxUsers\":10}");
    perform(server, crew.admin(), holder, "hotfix", reason("urgent"));
    HttpTestSupport.stage(server, "core", "default", "{\"maxUsers\":11}");

    HttpResponse<byte[]> response = publishDirectly("{\"message\":\"after the change\"}");

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
  }
}
