package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.RolloutTestSupport.CHANGES;
import static io.holdfast.server.http.RolloutTestSupport.act;
import static io.holdfast.server.http.RolloutTestSupport.change;
import static io.holdfast.server.http.RolloutTestSupport.create;
import static io.holdfast.server.http.RolloutTestSupport.edit;
import static io.holdfast.server.http.RolloutTestSupport.fingerprint;
import static io.holdfast.server.http.RolloutTestSupport.perform;
import static io.holdfast.server.http.RolloutTestSupport.tick;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may approve a change and how many must: never its author, never the same approver twice, as
 * many distinct approvers as {@code rollout-approvals} says, and with zero the change is approved
 * as it is created. A refused approval changes nothing.
 */
class ChangeApprovalTest {

  private static final String EDIT = edit("core", "default", "{\"maxUsers\":10}");

  @TempDir Path dataDir;

  private ServerFixture server;
  private RolloutTestSupport.Crew crew;

  private void start(int approvals) {
    server = RolloutTestSupport.start(dataDir, approvals);
    crew = RolloutTestSupport.Crew.create(server);
    server.createNamespace("core");
    server.publishLayer("core", "default", "{\"maxUsers\":5}");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void author_cannotApproveTheirOwnChange_403Forbidden_andNothingChanges() {
    start(1);
    long id = create(server, crew.publisher(), EDIT).get("id").asLong();
    String before = fingerprint(server, "core");

    JsonNode problem =
        assertProblem(act(server, crew.publisher(), id, "approve", null), ProblemType.FORBIDDEN);

    assertThat(problem.get("detail").asText()).contains(RolloutTestSupport.Crew.PUBLISHER);
    assertThat(fingerprint(server, "core")).isEqualTo(before);
    assertThat(change(server, id).get("approvals")).isEmpty();
  }

  @Test
  void author_whoIsAnAdmin_stillCannotApprove() {
    start(1);
    long id = create(server, crew.admin(), EDIT).get("id").asLong();
    String before = fingerprint(server, "core");

    assertProblem(
        act(server, crew.admin(), id, "approve", "{\"comment\":\"looks fine to me\"}"),
        ProblemType.FORBIDDEN);

    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void oneApprovalRequired_aPublisherWhoIsNotTheAuthorApproves() {
    start(1);
    JsonNode created = create(server, crew.editor(), EDIT);
    assertThat(created.get("state").asText()).isEqualTo("draft");
    assertThat(created.get("requiredApprovals").asInt()).isEqualTo(1);

    JsonNode approved =
        perform(
            server,
            crew.publisher(),
            created.get("id").asLong(),
            "approve",
            "{\"comment\":\"checked the diff\"}");

    assertThat(approved.get("state").asText()).isEqualTo("approved");
    assertThat(approved.get("approvals")).hasSize(1);
    assertThat(approved.get("approvals").get(0).get("approver").asText())
        .isEqualTo(RolloutTestSupport.Crew.PUBLISHER);
    assertThat(approved.get("approvals").get(0).get("comment").asText())
        .isEqualTo("checked the diff");
    assertThat(approved.get("version").asLong()).isGreaterThan(created.get("version").asLong());
  }

  @Test
  void approvingAnApprovedChangeAgain_is409ChangeConflict_andChangesNothing() {
    start(1);
    long id = create(server, crew.editor(), EDIT).get("id").asLong();
    perform(server, crew.publisher(), id, "approve", null);
    String before = fingerprint(server, "core");

    assertProblem(
        act(server, crew.secondPublisher(), id, "approve", null), ProblemType.CHANGE_CONFLICT);

    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void twoApprovalsRequired_theSameApproverTwice_is409ChangeConflict_andTheChangeStaysADraft() {
    start(2);
    long id = create(server, crew.editor(), EDIT).get("id").asLong();
    JsonNode first = perform(server, crew.publisher(), id, "approve", null);
    assertThat(first.get("state").asText()).isEqualTo("draft");
    assertThat(first.get("approvals")).hasSize(1);
    String before = fingerprint(server, "core");

    JsonNode problem =
        assertProblem(
            act(server, crew.publisher(), id, "approve", null), ProblemType.CHANGE_CONFLICT);

    assertThat(problem.get("detail").asText()).contains("already approved");
    assertThat(fingerprint(server, "core")).isEqualTo(before);
    assertThat(change(server, id).get("approvals")).hasSize(1);
    assertThat(tick(server)).as("a draft is not started").isEmpty();
    assertThat(RolloutTestSupport.state(server, id)).isEqualTo("draft");
  }

  @Test
  void twoApprovalsRequired_twoDistinctApprovers_approve_andTheEngineStartsIt() {
    start(2);
    JsonNode created = create(server, crew.editor(), EDIT);
    long id = created.get("id").asLong();
    assertThat(created.get("requiredApprovals").asInt()).isEqualTo(2);
    assertThat(
            server.admin("GET", RolloutTestSupport.ROLLOUTS, null).get("requiredApprovals").asInt())
        .isEqualTo(2);

    assertThat(perform(server, crew.publisher(), id, "approve", null).get("state").asText())
        .isEqualTo("draft");
    JsonNode approved = perform(server, crew.secondPublisher(), id, "approve", null);

    assertThat(approved.get("state").asText()).isEqualTo("approved");
    assertThat(approved.get("approvals"))
        .extracting(a -> a.get("approver").asText())
        .containsExactlyInAnyOrder(
            RolloutTestSupport.Crew.PUBLISHER, RolloutTestSupport.Crew.SECOND_PUBLISHER);
    assertThat(tick(server)).hasSize(1);
    assertThat(RolloutTestSupport.state(server, id)).isEqualTo("rolling_out");
  }

  @Test
  void twoApprovalsRequired_theAuthorDoesNotCountAsOne() {
    start(2);
    long id = create(server, crew.publisher(), EDIT).get("id").asLong();
    perform(server, crew.secondPublisher(), id, "approve", null);

    assertProblem(act(server, crew.publisher(), id, "approve", null), ProblemType.FORBIDDEN);

    assertThat(RolloutTestSupport.state(server, id)).isEqualTo("draft");
  }

  @Test
  void noApprovalsRequired_theChangeIsApprovedAsItIsCreated() {
    start(0);
    JsonNode created = create(server, crew.editor(), EDIT);
    long id = created.get("id").asLong();

    assertThat(created.get("state").asText()).isEqualTo("approved");
    assertThat(created.get("requiredApprovals").asInt()).isZero();
    assertThat(created.get("approvals")).isEmpty();
    assertThat(
            server.admin("GET", RolloutTestSupport.ROLLOUTS, null).get("requiredApprovals").asInt())
        .isZero();
    assertThat(RolloutTestSupport.audit(server, "change:" + id))
        .extracting(e -> e.get("action").asText())
        .containsExactly("change.approved", "change.create");
    assertThat(tick(server)).hasSize(1);
    assertThat(RolloutTestSupport.state(server, id)).isEqualTo("rolling_out");
  }

  @Test
  void noApprovalsRequired_aSecondChangeOfAHeldLayer_is409LayerHeld_andIsNotStored() {
    start(0);
    long first = create(server, crew.editor(), EDIT).get("id").asLong();
    String before = fingerprint(server, "core");

    JsonNode problem =
        assertProblem(
            server.sendJson(
                "POST",
                CHANGES,
                crew.editor(),
                RolloutTestSupport.body("second", edit("core", "default", "{\"maxUsers\":20}"))),
            ProblemType.LAYER_HELD);

    assertThat(problem.get("detail").asText()).contains("change " + first);
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }
}
