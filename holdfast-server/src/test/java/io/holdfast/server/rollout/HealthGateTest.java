package io.holdfast.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's verdicts from heartbeats, one rule at a time. */
class HealthGateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant RELEASED = Instant.parse("2026-03-01T10:00:00Z");
  private static final long RELEASE_REVISION = 40;
  private static final RingPolicy DEV =
      new RingPolicy("dev", 1, Duration.ofHours(24), RingGate.DEFAULT);

  private final List<Instance> instances = new ArrayList<>();
  private final Map<String, Heartbeat> heartbeats = new HashMap<>();

  @Test
  void enoughConfirmations_butBakeNotOver_waits() {
    fleet(10, "FRESH", RELEASE_REVISION, "OK");
    GateVerdict verdict = evaluate(RELEASED.plus(Duration.ofHours(23)));
    assertThat(verdict.decision()).isEqualTo(GateVerdict.Decision.WAIT);
    assertThat(verdict.acknowledged()).isEqualTo(10);
    assertThat(verdict.reason()).contains("baking until");
  }

  @Test
  void enoughConfirmations_andBaked_passes() {
    fleet(10, "FRESH", RELEASE_REVISION + 3, "OK");
    assertThat(evaluate(RELEASED.plus(Duration.ofHours(24))).decision())
        .isEqualTo(GateVerdict.Decision.PASS);
  }

  @Test
  void oneStaleInstanceInTen_isMoreThanFivePercent_andFails() {
    fleet(9, "FRESH", RELEASE_REVISION, "OK");
    instance("dev-stale", "dev", "STALE", RELEASE_REVISION - 5, "OK", RELEASED.plusSeconds(5));
    GateVerdict verdict = evaluate(RELEASED.plusSeconds(10));
    assertThat(verdict.decision()).isEqualTo(GateVerdict.Decision.FAIL);
    assertThat(verdict.failing()).isEqualTo(1);
    assertThat(verdict.reason()).contains("dev-stale reports core STALE");
  }

  @Test
  void anApplicationReportingFailing_fails() {
    fleet(9, "FRESH", RELEASE_REVISION, "OK");
    instance("dev-crash", "dev", "FRESH", RELEASE_REVISION, "FAILING", RELEASED.plusSeconds(5));
    GateVerdict verdict = evaluate(RELEASED.plusSeconds(10));
    assertThat(verdict.decision()).isEqualTo(GateVerdict.Decision.FAIL);
    assertThat(verdict.erroring()).isEqualTo(1);
    assertThat(verdict.reason()).contains("application FAILING");
  }

  @Test
  void tooFewConfirmations_waitUntilTheDeadline_thenFail() {
    fleet(5, "FRESH", RELEASE_REVISION, "OK");
    fleet(5, "FRESH", RELEASE_REVISION - 1, "OK");
    assertThat(evaluate(RELEASED.plus(Duration.ofMinutes(14))).decision())
        .isEqualTo(GateVerdict.Decision.WAIT);
    GateVerdict late = evaluate(RELEASED.plus(Duration.ofMinutes(15)));
    assertThat(late.decision()).isEqualTo(GateVerdict.Decision.FAIL);
    assertThat(late.reason()).contains("only 5 of 10");
  }

  @Test
  void heartbeatsFromBeforeTheRelease_areNoEvidence_eitherWay() {
    instance("dev-old", "dev", "STALE", RELEASE_REVISION + 1, "FAILING", RELEASED.minusSeconds(1));
    GateVerdict verdict = evaluate(RELEASED.plusSeconds(10));
    assertThat(verdict.decision()).isEqualTo(GateVerdict.Decision.WAIT);
    assertThat(verdict.watched()).isEqualTo(1);
    assertThat(verdict.acknowledged()).isZero();
    assertThat(verdict.failing()).isZero();
  }

  @Test
  void instancesOfOtherRings_orNotReadingTheNamespace_areNotWatched() {
    instance("beta-1", "beta", "STALE", 1, "FAILING", RELEASED.plusSeconds(1));
    instances.add(new Instance("dev-other", "dev", Map.of(), "h", 1, RELEASED, RELEASED));
    heartbeats.put(
        "dev-other",
        new Heartbeat(
            "dev-other",
            RELEASED.plusSeconds(1),
            json("{\"namespaces\":{\"features\":{\"revision\":1,\"status\":\"STALE\"}}}")));
    GateVerdict verdict = evaluate(RELEASED.plus(Duration.ofHours(24)));
    assertThat(verdict.watched()).isZero();
    assertThat(verdict.decision()).isEqualTo(GateVerdict.Decision.PASS);
  }

  @Test
  void anInstanceLayerEdit_watchesOnlyThatInstance_soTheUnchangedRestNeedNotConfirm() {
    fleet(9, "FRESH", RELEASE_REVISION - 1, "OK");
    instance("dev-target", "dev", "FRESH", RELEASE_REVISION, "OK", RELEASED.plusSeconds(2));
    GateVerdict verdict =
        evaluate(RELEASED.plus(Duration.ofHours(24)), Scope.instance("dev-target"));
    assertThat(verdict.watched()).isEqualTo(1);
    assertThat(verdict.acknowledged()).isEqualTo(1);
    assertThat(verdict.decision()).isEqualTo(GateVerdict.Decision.PASS);
  }

  @Test
  void anotherRingsLayerEdit_watchesNobodyHere() {
    fleet(10, "STALE", RELEASE_REVISION - 1, "FAILING");
    GateVerdict verdict = evaluate(RELEASED.plus(Duration.ofHours(24)), Scope.ring("beta"));
    assertThat(verdict.watched()).isZero();
    assertThat(verdict.decision()).isEqualTo(GateVerdict.Decision.PASS);
  }

  @Test
  void affectedInstancesThatNeverReported_waitUntilTheDeadline_thenFail_namingTheWayOut() {
    for (int i = 1; i <= 3; i++) {
      instances.add(new Instance("dev-new-" + i, "dev", Map.of(), "h" + i, 1, RELEASED, RELEASED));
    }
    GateVerdict before = evaluate(RELEASED.plus(Duration.ofMinutes(14)));
    assertThat(before.decision()).isEqualTo(GateVerdict.Decision.WAIT);
    assertThat(before.reason())
        .contains(
            "none of the 3 instances in ring dev that the change affects has ever sent a heartbeat")
        .contains("fails it at 2026-03-01T10:15:00Z");

    GateVerdict late = evaluate(RELEASED.plus(Duration.ofMinutes(15)));
    assertThat(late.decision()).isEqualTo(GateVerdict.Decision.FAIL);
    assertThat(late.reason())
        .startsWith("no heartbeat from ring dev by its acknowledgement deadline")
        .contains("--allow-empty true");
  }

  @Test
  void aRingAllowedToBeEmpty_passesUnreported_onlyOnceBaked() {
    instances.add(new Instance("dev-new", "dev", Map.of(), "h", 1, RELEASED, RELEASED));
    RingPolicy mayBeEmpty =
        new RingPolicy(
            "dev",
            1,
            Duration.ofHours(24),
            new RingGate(0.9, Duration.ofMinutes(15), 0.05, 0.05, true));

    assertThat(evaluate(mayBeEmpty, RELEASED.plus(Duration.ofHours(1)), Scope.DEFAULT).decision())
        .isEqualTo(GateVerdict.Decision.WAIT);
    GateVerdict baked = evaluate(mayBeEmpty, RELEASED.plus(Duration.ofHours(24)), Scope.DEFAULT);
    assertThat(baked.decision()).isEqualTo(GateVerdict.Decision.PASS);
    assertThat(baked.reason()).contains("which the ring allows");
  }

  @Test
  void aRingHeardFrom_whoseReportsReadNoneOfTheChangedNamespaces_passesOnceBaked() {
    instances.add(new Instance("dev-new", "dev", Map.of(), "h", 1, RELEASED, RELEASED));
    instances.add(new Instance("dev-other", "dev", Map.of(), "h2", 1, RELEASED, RELEASED));
    heartbeats.put(
        "dev-other",
        new Heartbeat(
            "dev-other",
            RELEASED.plusSeconds(1),
            json("{\"namespaces\":{\"features\":{\"revision\":1,\"status\":\"FRESH\"}}}")));

    assertThat(evaluate(RELEASED.plus(Duration.ofHours(24))).decision())
        .as("the ring is heard from, and what it reads the change leaves alone")
        .isEqualTo(GateVerdict.Decision.PASS);
  }

  private GateVerdict evaluate(Instant now) {
    return evaluate(now, Scope.DEFAULT);
  }

  private GateVerdict evaluate(Instant now, Scope scope) {
    return evaluate(DEV, now, scope);
  }

  private GateVerdict evaluate(RingPolicy ring, Instant now, Scope scope) {
    ChangeRequest change =
        new ChangeRequest(
            1,
            "d",
            "alice",
            ChangeState.ROLLING_OUT,
            0,
            false,
            "dev",
            RELEASED,
            RELEASE_REVISION,
            "",
            null,
            3,
            RELEASED,
            RELEASED,
            List.of(new ChangeEdit("core", scope, json("{}"), 1L)),
            List.of(),
            List.of(),
            List.of());
    return HealthGate.evaluate(ring, change, instances, heartbeats, now);
  }

  private void fleet(int count, String status, long revision, String application) {
    for (int i = 0; i < count; i++) {
      instance(
          "dev-" + status.toLowerCase() + "-" + revision + "-" + i + "-" + instances.size(),
          "dev",
          status,
          revision,
          application,
          RELEASED.plusSeconds(2));
    }
  }

  private void instance(
      String id,
      String ring,
      String status,
      long revision,
      String application,
      Instant receivedAt) {
    instances.add(new Instance(id, ring, Map.of(), "hash-" + id, 1, RELEASED, RELEASED));
    heartbeats.put(
        id,
        new Heartbeat(
            id,
            receivedAt,
            json(
                "{\"namespaces\":{\"core\":{\"revision\":"
                    + revision
                    + ",\"status\":\""
                    + status
                    + "\",\"reason\":\"because\"}},\"application\":{\"status\":\""
                    + application
                    + "\"}}")));
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
