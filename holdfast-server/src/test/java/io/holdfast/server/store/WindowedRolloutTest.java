package io.holdfast.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.model.Scope;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.ChangeState;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.rollout.GateVerdict;
import io.holdfast.server.rollout.JdbcRolloutStore;
import io.holdfast.server.rollout.ReleaseMode;
import io.holdfast.server.rollout.RingGate;
import io.holdfast.server.rollout.RolloutEngine;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.ServedDocument;
import io.holdfast.server.snapshot.SnapshotBuilder;
import io.holdfast.server.window.Blackout;
import io.holdfast.server.window.BlackoutLevel;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.IanaZone;
import io.holdfast.server.window.JdbcWindowStore;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rollout engine honouring change windows (issue 22) on a real SQLite file (and, through {@code
 * PostgresWindowedRolloutTest}, the real PostgreSQL), with a driven clock. Ring test's window is
 * weekday evenings and nights; its two instances are customers in London and New York, so the
 * ring's pattern opens at 19:00 in each one's own zone. A change released at midday on a Monday
 * reaches each at its own evening, and until then each is served what it had.
 */
class WindowedRolloutTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Monday 8 March 2027, 13:35 in London (GMT) and 08:35 in New York (EST): working hours. */
  private static final Instant MONDAY_MIDDAY = Instant.parse("2027-03-08T13:35:00Z");

  /** 19:00 in London that Monday. */
  private static final Instant LONDON_EVENING = Instant.parse("2027-03-08T19:00:00Z");

  /** 19:00 in New York that Monday. */
  private static final Instant NEW_YORK_EVENING = Instant.parse("2027-03-09T00:00:00Z");

  private static final ChangeWindow EVENINGS =
      ChangeWindow.parse("Mon-Thu 19:00-07:00, Fri 19:00-Mon 07:00 in Europe/London");

  @TempDir Path directory;

  private final ManualTime time = new ManualTime(MONDAY_MIDDAY);
  private JdbcConfigStore store;
  private JdbcRolloutStore rollouts;
  private JdbcWindowStore windows;
  private Changes changes;
  private RolloutEngine engine;
  private SnapshotBuilder builder;

  /** A new, empty database: here a SQLite file; the PostgreSQL variant overrides it. */
  Database openDatabase() {
    return Database.open("jdbc:sqlite:" + directory.resolve("holdfast.db"), Duration.ofSeconds(5));
  }

  @BeforeEach
  void open() throws Exception {
    Database database = openDatabase();
    store = new JdbcConfigStore(database, time.clock());
    rollouts = new JdbcRolloutStore(database, time.clock());
    windows = new JdbcWindowStore(database, time.clock());
    changes = new Changes(store, rollouts, 0, time.clock(), trigger -> {});
    engine =
        new RolloutEngine(
            rollouts, store, time.clock(), "replica-a", Duration.ofDays(400), () -> {}, t -> {});
    builder =
        new SnapshotBuilder(
            new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()),
            time.clock());
    store.createNamespace("core", "core settings", "alice");
    store.createInstance("ldn", "test", Map.of(), "hash-ldn", "alice");
    store.createInstance("nyc", "test", Map.of(), "hash-nyc", "alice");
    store.putDraft("core", Scope.DEFAULT, json("{\"maxUsers\":10}"), "alice");
    store.publish("core", Set.of(), "first", "alice");
    windows.setRingWindow("test", Optional.of(EVENINGS), "admin");
    windows.setInstanceTiming(
        "ldn", Optional.of(IanaZone.parse("Europe/London")), Optional.empty(), "admin");
    windows.setInstanceTiming(
        "nyc", Optional.of(IanaZone.parse("America/New_York")), Optional.empty(), "admin");
    // Both report as they always do, before any change: the gate watches them.
    long published = store.latestLayers("core").get(0).revision();
    heartbeat("ldn", published);
    heartbeat("nyc", published);
  }

  @AfterEach
  void close() {
    engine.close();
    store.close();
  }

  @Test
  void aMiddayRelease_reachesEachInstanceAtItsOwnEvening_andTheGateJudgesOnlyThoseThatHaveIt() {
    ServedDocument before = document("ldn");
    EffectiveSnapshot beforeSnapshot = builder.build(store.loadState(), null);
    long id = started();
    long release = change(id).releaseRevision();
    EffectiveSnapshot held = builder.build(store.loadState(), null);
    assertThat(document("ldn").etagHeaderValue())
        .as("held back: served exactly what it had")
        .isEqualTo(before.etagHeaderValue());
    assertThat(held.instance("ldn").checksums().etagHeaderValue())
        .as("its checksums too")
        .isEqualTo(beforeSnapshot.instance("ldn").checksums().etagHeaderValue());
    assertThat(maxUsers("ldn")).as("London's working day: what it had").isEqualTo(10);
    assertThat(maxUsers("nyc")).isEqualTo(10);
    assertThat(engine.tick()).as("nothing to do before the first window opens").isEmpty();
    assertThat(changes.windows(change(id)))
        .singleElement()
        .satisfies(
            ring -> {
              assertThat(ring.instances()).isEqualTo(2);
              assertThat(ring.received()).isZero();
              assertThat(ring.waiting()).isEqualTo(2);
              assertThat(ring.nextOpening()).hasValue(LONDON_EVENING);
              assertThat(ring.nextInstance()).hasValue("ldn");
              assertThat(ring.nextZone()).hasValue(IanaZone.parse("Europe/London"));
            });
    assertThat(engine.waitingForWindows()).isEqualTo(2);
    assertThat(gate(id).decision()).isEqualTo(GateVerdict.Decision.WAIT);
    assertThat(gate(id).reason())
        .contains("all 2 instances in ring test wait for their change window")
        .contains("the next opens at " + LONDON_EVENING);

    at(LONDON_EVENING.minusSeconds(1));
    assertThat(engine.tick()).isEmpty();
    at(LONDON_EVENING);
    assertThat(engine.tick())
        .singleElement()
        .asString()
        .contains("reached 1 instances as their windows opened");
    assertThat(maxUsers("ldn")).as("London's evening").isEqualTo(20);
    assertThat(maxUsers("nyc")).as("New York's afternoon").isEqualTo(10);
    assertThat(document("ldn").revision())
        .as("a revision of its own delivery, after the ring's release")
        .isGreaterThan(release);
    assertThat(engine.waitingForWindows()).isEqualTo(1);
    assertThat(changes.windows(change(id)))
        .singleElement()
        .satisfies(
            ring -> {
              assertThat(ring.received()).isEqualTo(1);
              assertThat(ring.waiting()).isEqualTo(1);
              assertThat(ring.nextOpening()).hasValue(NEW_YORK_EVENING);
              assertThat(ring.nextZone()).hasValue(IanaZone.parse("America/New_York"));
            });

    heartbeat("ldn", document("ldn").revision());
    GateVerdict halfway = gate(id);
    assertThat(halfway.decision()).isEqualTo(GateVerdict.Decision.WAIT);
    assertThat(halfway.watched()).as("only the instance that has the change").isEqualTo(1);
    assertThat(halfway.acknowledged()).isEqualTo(1);
    assertThat(halfway.reason())
        .contains("1 more instances in ring test wait for their change window")
        .contains("the next opens at " + NEW_YORK_EVENING);

    at(NEW_YORK_EVENING);
    assertThat(engine.tick()).singleElement().asString().contains("reached 1 instances");
    assertThat(maxUsers("nyc")).as("New York's evening").isEqualTo(20);
    assertThat(gate(id).reason())
        .as("New York has the change but has not confirmed it")
        .contains("waiting for acknowledgements: 1 of 2");
    time.advance(Duration.ofMinutes(1));
    heartbeat("nyc", document("nyc").revision());
    assertThat(engine.tick()).singleElement().asString().contains("promoted to ring dev");
    assertThat(engine.waitingForWindows()).isZero();
    assertThat(store.history("core", 10))
        .as("the release, then each instance's own delivery, then the next ring")
        .extracting(h -> h.revision().kind(), h -> h.rings(), h -> h.revision().createdAt())
        .startsWith(
            tuple("release", List.of("dev"), NEW_YORK_EVENING.plusSeconds(60)),
            tuple("deliver", List.of("test"), NEW_YORK_EVENING),
            tuple("deliver", List.of("test"), LONDON_EVENING),
            tuple("release", List.of("test"), MONDAY_MIDDAY));
  }

  @Test
  void anInstanceThatDoesNotConfirm_failsTheGate_whenItsOwnDeadlineAfterItsDeliveryPasses() {
    long id = started();
    at(LONDON_EVENING);
    engine.tick();
    Duration deadline = RingGate.DEFAULT.ackDeadline();

    at(LONDON_EVENING.plus(deadline).minusSeconds(1));
    assertThat(engine.tick()).as("hours after the ring's release, but not after its own").isEmpty();
    at(LONDON_EVENING.plus(deadline));
    assertThat(engine.tick()).singleElement().asString().contains("backed out");

    assertThat(change(id).outcome())
        .contains("only 0 of 1 instances in ring test confirmed revision")
        .contains("within " + deadline + " of receiving it");
  }

  @Test
  void theEngineDoesNotComplete_whileAnInstanceOfAnEarlierRingStillWaitsForItsWindow() {
    long id = started();
    for (String ring : List.of("dev", "beta", "live")) {
      ChangeRequest change = change(id);
      rollouts.releaseNext(id, change.version(), ReleaseMode.MANUAL, "oncall", null);
      assertThat(change(id).currentRing()).isEqualTo(ring);
    }
    allowEmpty("live");

    assertThat(engine.tick()).as("live passes, but London and New York wait in test").isEmpty();
    assertThat(engine.waitingForWindows())
        .as("test's, though the change bakes in live")
        .isEqualTo(2);
    assertThat(change(id).state()).isEqualTo(ChangeState.ROLLING_OUT);
    assertThat(maxUsers("ldn")).isEqualTo(10);

    at(NEW_YORK_EVENING);
    assertThat(engine.tick())
        .containsExactly(
            "change " + id + " reached 2 instances as their windows opened",
            "change "
                + id
                + " completed: baked; ring live has no instances, which the ring"
                + " allows (it may be empty)");
    assertThat(change(id).state()).isEqualTo(ChangeState.COMPLETED);
  }

  /**
   * London's own window opens at 01:30 on Sundays. On 28 March 2027 the clocks go from 01:00 GMT to
   * 02:00 BST, so 01:30 never happens: it opens at the jump. On 31 October 2027 they go back from
   * 02:00 BST to 01:00 GMT, so 01:30 happens twice: it opens at the first, in summer time.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "spring: at the jump, 2027-03-27T12:00:00Z, 2027-03-28T01:00:00Z",
    "autumn: at the first 01:30, 2027-10-30T12:00:00Z, 2027-10-31T00:30:00Z"
  })
  void aWindowOpeningAtAnHourTheClockSkipsOrRepeats_opensAsAPersonWouldExpect(
      String clockChange, Instant released, Instant opens) {
    windows.setInstanceTiming(
        "ldn",
        Optional.of(IanaZone.parse("Europe/London")),
        Optional.of(ChangeWindow.parse("Sun 01:30-03:00 in Europe/London")),
        "admin");
    windows.setInstanceTiming(
        "nyc",
        Optional.of(IanaZone.parse("America/New_York")),
        Optional.of(ChangeWindow.parse("Wed 12:00-12:01 in America/New_York")),
        "admin");
    at(released);
    started();

    at(opens.minusSeconds(60));
    assertThat(engine.tick()).isEmpty();
    at(opens);
    assertThat(engine.tick())
        .as(clockChange)
        .singleElement()
        .asString()
        .contains("reached 1 instances");
    assertThat(maxUsers("ldn")).isEqualTo(20);
    assertThat(maxUsers("nyc")).isEqualTo(10);
  }

  @Test
  void aBackOutInBusinessHours_isNotHeldByWindows_andTakesTheChangeFromEveryInstanceAtOnce() {
    long id = started();
    at(LONDON_EVENING);
    engine.tick();
    assertThat(maxUsers("ldn")).isEqualTo(20);

    at(Instant.parse("2027-03-09T10:00:00Z")); // Tuesday morning in London
    ChangeRequest change = change(id);
    rollouts.backOut(id, change.version(), "customers report errors", "oncall", null);

    assertThat(change(id).state()).isEqualTo(ChangeState.BACKED_OUT);
    assertThat(maxUsers("ldn")).isEqualTo(10);
    assertThat(maxUsers("nyc")).isEqualTo(10);
    assertThat(engine.tick()).isEmpty();
    assertThat(engine.waitingForWindows()).isZero();
  }

  @Test
  void aHotfix_overridesWindows_andReachesEveryInstanceAtOnce() {
    long id = started();

    rollouts.hotfix(id, change(id).version(), "the limit locks customers out", "admin");

    assertThat(change(id).state()).isEqualTo(ChangeState.COMPLETED);
    assertThat(maxUsers("ldn")).isEqualTo(20);
    assertThat(maxUsers("nyc")).isEqualTo(20);
  }

  @Test
  void aFreeze_stopsDeliveries_untilItIsLifted() {
    long id = started();
    rollouts.setFreeze("incident 42", "oncall");

    at(LONDON_EVENING);
    assertThat(engine.tick()).as("frozen: nothing moves").isEmpty();
    assertThat(maxUsers("ldn")).isEqualTo(10);

    rollouts.lift("admin");
    assertThat(engine.tick()).singleElement().asString().contains("reached 1 instances");
    assertThat(maxUsers("ldn")).isEqualTo(20);
    assertThat(change(id).state()).isEqualTo(ChangeState.ROLLING_OUT);
  }

  @Test
  void aBlackout_keepsAnInstanceFromItsWindow_untilItEnds_inTheInstancesOwnZone() {
    windows.addBlackout(
        BlackoutLevel.RING,
        "test",
        new Blackout(
            LocalDate.parse("2027-03-08"), LocalDate.parse("2027-03-09"), Optional.empty(), "q1"),
        "admin");
    long id = started();

    at(LONDON_EVENING);
    assertThat(engine.tick()).isEmpty();
    at(NEW_YORK_EVENING);
    assertThat(engine.tick()).isEmpty();
    // The blackout's last day ends at midnight in each customer's own zone, inside its window.
    Instant londonMidnight = Instant.parse("2027-03-10T00:00:00Z");
    Instant newYorkMidnight = Instant.parse("2027-03-10T05:00:00Z");
    assertThat(gate(id).reason()).contains("the next opens at " + londonMidnight);

    at(londonMidnight);
    assertThat(engine.tick()).singleElement().asString().contains("reached 1 instances");
    assertThat(maxUsers("ldn")).isEqualTo(20);
    assertThat(maxUsers("nyc")).isEqualTo(10);
    heartbeat("ldn", document("ldn").revision()); // else its 15 minutes to confirm run out
    at(newYorkMidnight);
    assertThat(engine.tick()).singleElement().asString().contains("reached 1 instances");
    assertThat(maxUsers("nyc")).isEqualTo(20);
  }

  @Test
  void aWindowThatDoesNotOpenWithinTheBound_failsTheGateLoudly_andTheChangeIsBackedOut() {
    windows.addBlackout(
        BlackoutLevel.INSTANCE,
        "nyc",
        new Blackout(
            LocalDate.parse("2027-03-01"),
            LocalDate.parse("2027-05-31"),
            Optional.empty(),
            "migration freeze"),
        "admin");
    long id = started();

    List<String> actions = engine.tick();

    assertThat(actions).singleElement().asString().contains("backed out");
    assertThat(change(id).outcome())
        .contains("the change window of instance nyc does not open within 31 days")
        .contains("cannot reach every instance of ring test");
    assertThat(maxUsers("nyc")).isEqualTo(10);
  }

  @Test
  void anInstancesOwnWindow_overridesItsRings() {
    windows.setInstanceTiming(
        "nyc",
        Optional.of(IanaZone.parse("America/New_York")),
        Optional.of(ChangeWindow.parse("Sat-Sun all day in America/New_York")),
        "admin");
    started();

    at(NEW_YORK_EVENING);
    engine.tick();
    assertThat(maxUsers("ldn")).isEqualTo(20);
    assertThat(maxUsers("nyc")).as("its own window: the weekend only").isEqualTo(10);
    heartbeat("ldn", document("ldn").revision());

    at(Instant.parse("2027-03-13T05:00:00Z")); // Saturday 00:00 in New York
    assertThat(engine.tick()).singleElement().asString().contains("reached 1 instances");
    assertThat(maxUsers("nyc")).isEqualTo(20);
  }

  private void allowEmpty(String ring) {
    rollouts.updateRing(ring, Duration.ZERO, RingGate.DEFAULT.withAllowEmpty(true), "admin");
  }

  /** Drives the clock forward to {@code instant}. */
  private void at(Instant instant) {
    time.advance(Duration.between(time.clock().instant(), instant));
  }

  private ChangeRequest create() {
    return rollouts.createChange(
        "raise the limit",
        List.of(new ChangeEdit("core", Scope.DEFAULT, json("{\"maxUsers\":20}"), null)),
        List.of(),
        0,
        "alice");
  }

  /** Creates a change raising core's limit for everyone, approved at once, and starts it. */
  private long started() {
    ChangeRequest change = create();
    assertThat(engine.tick()).singleElement().asString().contains("started in ring test");
    return change.id();
  }

  private ServedDocument document(String instance) {
    EffectiveSnapshot snapshot = builder.build(store.loadState(), null);
    return snapshot.instance(instance).document("core");
  }

  private int maxUsers(String instance) {
    try {
      return JSON.readTree(document(instance).body()).path("content").path("maxUsers").asInt();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private void heartbeat(String instance, long revision) {
    store.recordHeartbeat(
        instance,
        json("{\"namespaces\":{\"core\":{\"revision\":" + revision + ",\"status\":\"FRESH\"}}}"),
        time.clock().instant());
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
