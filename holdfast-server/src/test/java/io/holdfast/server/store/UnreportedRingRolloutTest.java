package io.holdfast.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.model.Scope;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.ChangeState;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.rollout.GateVerdict;
import io.holdfast.server.rollout.JdbcRolloutStore;
import io.holdfast.server.rollout.RingGate;
import io.holdfast.server.rollout.RingRelease;
import io.holdfast.server.rollout.RolloutEngine;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout engine on a real SQLite file (and, through {@code PostgresUnreportedRingRolloutTest},
 * on the real PostgreSQL), with a driven clock, when no instance of a ring reports: silence is no
 * evidence, so the change waits in the ring until its acknowledgement deadline and is then backed
 * out like any change whose gate fails, unless the ring is allowed to be empty.
 */
class UnreportedRingRolloutTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration DEADLINE = RingGate.DEFAULT.ackDeadline();

  @TempDir Path directory;

  private final ManualTime time = new ManualTime(START);
  private final List<String> backOuts = new ArrayList<>();
  private JdbcConfigStore store;
  private JdbcRolloutStore rollouts;
  private Changes changes;
  private RolloutEngine engine;

  /** A new, empty database: here a SQLite file; the PostgreSQL variant overrides it. */
  Database openDatabase() {
    return Database.open("jdbc:sqlite:" + directory.resolve("holdfast.db"), Duration.ofSeconds(5));
  }

  @BeforeEach
  void open() {
    Database database = openDatabase();
    store = new JdbcConfigStore(database, time.clock());
    rollouts = new JdbcRolloutStore(database, time.clock());
    changes = new Changes(store, rollouts, 0, time.clock(), trigger -> {});
    engine =
        new RolloutEngine(
            rollouts,
            store,
            time.clock(),
            "replica-a",
            Duration.ofHours(1),
            () -> {},
            backOuts::add);
    JdbcRolloutStoreTest.seed(store);
  }

  @AfterEach
  void close() {
    engine.close();
    store.close();
  }

  @Test
  void aReleaseToARingWhoseInstancesNeverReported_waits_thenFailsAtTheAckDeadline_andIsBackedOut() {
    long id = started(Scope.DEFAULT);

    GateVerdict waiting = gate(id);
    assertThat(waiting.decision()).isEqualTo(GateVerdict.Decision.WAIT);
    assertThat(waiting.reason())
        .contains("waiting for a first heartbeat")
        .contains(
            "the one instance in ring test that the change affects has never sent a heartbeat")
        .contains("fails it at " + START.plus(DEADLINE));
    time.advance(DEADLINE.minusSeconds(1));
    assertThat(engine.tick()).as("still before the deadline").isEmpty();
    assertThat(change(id).state()).isEqualTo(ChangeState.ROLLING_OUT);

    time.advance(Duration.ofSeconds(1));
    assertThat(gate(id).decision()).isEqualTo(GateVerdict.Decision.FAIL);
    assertThat(engine.tick()).singleElement().asString().contains("backed out");

    ChangeRequest ended = change(id);
    assertThat(ended.state()).isEqualTo(ChangeState.BACKED_OUT);
    assertThat(ended.outcome())
        .startsWith("automatic back-out in ring test: no heartbeat from ring test")
        .contains("holdfast ring update test --allow-empty true");
    assertThat(ended.releases()).extracting(RingRelease::ring).containsExactly("test");
    assertThat(backOuts).containsExactly("gate");
    assertThat(store.latestLayers("core"))
        .singleElement()
        .satisfies(
            layer -> {
              assertThat(layer.content()).isEqualTo(json("{\"maxUsers\":10}"));
              assertThat(layer.revision()).isEqualTo(ended.finalRevision());
            });
  }

  @Test
  void aRingAllowedToBeEmpty_passesOnceBaked_thoughNoInstanceEverReported() {
    allowEmpty("test", Duration.ofMinutes(30));
    long id = started(Scope.DEFAULT);

    time.advance(DEADLINE);
    assertThat(engine.tick()).as("past the deadline, but the ring may be silent").isEmpty();
    assertThat(gate(id).reason()).contains("baking until").contains("which the ring allows");

    time.advance(Duration.ofMinutes(30).minus(DEADLINE));
    assertThat(engine.tick()).singleElement().asString().contains("promoted to ring dev");
    assertThat(change(id).currentRing()).isEqualTo("dev");
    assertThat(backOuts).isEmpty();
  }

  @Test
  void aRingWithNoInstancesAtAll_failsAtItsDeadlineToo_unlessAllowedToBeEmpty() {
    allowEmpty("test", Duration.ZERO);
    long id = started(Scope.DEFAULT);
    assertThat(engine.tick()).singleElement().asString().contains("promoted to ring dev");
    assertThat(gate(id).reason()).contains("ring dev has no instances");

    time.advance(DEADLINE);
    assertThat(engine.tick()).singleElement().asString().contains("backed out");

    assertThat(change(id).outcome())
        .startsWith("automatic back-out in ring dev: no heartbeat from ring dev")
        .contains("ring dev has no instances")
        .contains("--allow-empty true");
    assertThat(change(id).releases()).extracting(RingRelease::ring).containsExactly("test", "dev");
  }

  @Test
  void aFirstHeartbeatBeforeTheDeadline_letsTheGateJudgeTheRingAsUsual() {
    long id = started(Scope.DEFAULT);
    long release = change(id).releaseRevision();
    time.advance(Duration.ofMinutes(2));

    store.recordHeartbeat(
        "in-test",
        json("{\"namespaces\":{\"core\":{\"revision\":" + release + ",\"status\":\"FRESH\"}}}"),
        time.clock().instant());

    assertThat(gate(id).acknowledged()).isEqualTo(1);
    assertThat(engine.tick()).singleElement().asString().contains("promoted to ring dev");
  }

  @Test
  void aChangeThatAltersNothingInARing_passesThereOnceBaked_withoutReports() {
    long id = started(Scope.instance("in-live"));

    GateVerdict verdict = gate(id);
    assertThat(verdict.decision()).isEqualTo(GateVerdict.Decision.PASS);
    assertThat(verdict.watched()).isZero();
    assertThat(engine.tick()).singleElement().asString().contains("promoted to ring dev");
  }

  /** Creates a change setting {@code scope} of core, approved at once, and starts it in test. */
  private long started(Scope scope) {
    ChangeRequest change =
        rollouts.createChange(
            "raise the limit",
            List.of(new ChangeEdit("core", scope, json("{\"maxUsers\":20}"), null)),
            List.of(),
            0,
            "alice");
    assertThat(engine.tick()).singleElement().asString().contains("started in ring test");
    assertThat(change(change.id()).releasedAt()).isEqualTo(START);
    return change.id();
  }

  private void allowEmpty(String ring, Duration bake) {
    rollouts.updateRing(ring, bake, RingGate.DEFAULT.withAllowEmpty(true), "admin");
  }

  private ChangeRequest change(long id) {
    return rollouts.findChange(id).orElseThrow();
  }

  private GateVerdict gate(long id) {
    return changes.gate(change(id)).orElseThrow();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
