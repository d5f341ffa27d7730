package io.holdfast.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.audit.AuditQuery;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.ChangeState;
import io.holdfast.server.rollout.JdbcRolloutStore;
import io.holdfast.server.rollout.Lease;
import io.holdfast.server.rollout.LeaseLostException;
import io.holdfast.server.rollout.ReleaseMode;
import io.holdfast.server.rollout.RingGate;
import io.holdfast.server.rollout.RingPolicy;
import io.holdfast.server.rollout.RingRelease;
import io.holdfast.server.subscription.NewSubscription;
import io.holdfast.server.subscription.SeatModel;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionChange;
import io.holdfast.server.subscription.SubscriptionEdit;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout store on a real SQLite file (and, through {@code PostgresRolloutStoreTest}, on the
 * real PostgreSQL): change lifecycle, what each ring is served, fix-forward back-outs, layer holds,
 * compare-and-set transitions and lease fencing.
 */
class JdbcRolloutStoreTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path directory;

  private final ManualTime time = new ManualTime(START);
  private Database database;
  private JdbcConfigStore store;
  private JdbcRolloutStore rollouts;

  /** A new, empty database: here a SQLite file; {@code PostgresRolloutStoreTest} overrides it. */
  Database openDatabase() {
    return Database.open("jdbc:sqlite:" + directory.resolve("holdfast.db"), Duration.ofSeconds(5));
  }

  @BeforeEach
  void open() {
    database = openDatabase();
    store = new JdbcConfigStore(database, time.clock());
    rollouts = new JdbcRolloutStore(database, time.clock());
    seed(store);
  }

  /**
   * What the rollout tests start from: namespace {@code core} published as {@code {"maxUsers":10}},
   * and instances {@code in-test} in ring test and {@code in-live} in ring live.
   */
  static void seed(JdbcConfigStore store) {
    store.createNamespace("core", "core settings", "alice");
    store.createInstance("in-test", "test", Map.of(), "hash-test", "alice");
    store.createInstance("in-live", "live", Map.of(), "hash-live", "alice");
    store.putDraft("core", Scope.DEFAULT, json("{\"maxUsers\":10}"), "alice");
    store.publish("core", Set.of(), "first", "alice");
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void defaultRings_haveTheIncidentPipelineBakeTimesAndDefaultGates() {
    assertThat(rollouts.ringPolicies())
        .extracting(RingPolicy::ring, RingPolicy::bakeTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("test", Duration.ZERO),
            org.assertj.core.groups.Tuple.tuple("dev", Duration.ofHours(24)),
            org.assertj.core.groups.Tuple.tuple("beta", Duration.ofHours(48)),
            org.assertj.core.groups.Tuple.tuple("live", Duration.ZERO));
    assertThat(rollouts.ringPolicies())
        .allSatisfy(r -> assertThat(r.gate()).isEqualTo(RingGate.DEFAULT));
  }

  @Test
  void aChangeNeedingApproval_startsAsDraft_andItsEditIsPinnedToThePublishedRevision() {
    long published = store.latestLayers("core").get(0).revision();
    ChangeRequest change = create(1, "{\"maxUsers\":20}");
    assertThat(change.state()).isEqualTo(ChangeState.DRAFT);
    assertThat(change.edits())
        .singleElement()
        .extracting(ChangeEdit::baseRevision)
        .isEqualTo(published);
    assertThat(change.author()).isEqualTo("alice");
  }

  @Test
  void theAuthorCannotApprove_andNeitherCanTheSameApproverTwice() {
    ChangeRequest change = create(2, "{\"maxUsers\":20}");
    assertProblem(() -> rollouts.approve(change.id(), "alice", ""), ProblemType.FORBIDDEN);
    ChangeRequest once = rollouts.approve(change.id(), "bob", "looks fine");
    assertThat(once.state()).isEqualTo(ChangeState.DRAFT);
    assertProblem(() -> rollouts.approve(change.id(), "bob", ""), ProblemType.CHANGE_CONFLICT);
    ChangeRequest twice = rollouts.approve(change.id(), "carol", "");
    assertThat(twice.state()).isEqualTo(ChangeState.APPROVED);
    assertThat(twice.approvals()).extracting(a -> a.approver()).containsExactly("bob", "carol");
  }

  @Test
  void releasesFollowTheRingOrder_oneRevisionEach_andServeOnlyTheRingsReached() {
    ChangeRequest change = create(0, "{\"maxUsers\":20}");
    long before = store.currentRevision();
    ChangeRequest inTest =
        rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine", null);
    assertThat(inTest.state()).isEqualTo(ChangeState.ROLLING_OUT);
    assertThat(inTest.currentRing()).isEqualTo("test");
    assertThat(inTest.releaseRevision()).isEqualTo(before + 1);
    StoreState state = store.loadState();
    assertThat(state.ringLayers())
        .singleElement()
        .satisfies(
            layer -> {
              assertThat(layer.ring()).isEqualTo("test");
              assertThat(layer.layer().revision()).isEqualTo(before + 1);
              assertThat(layer.layer().content()).isEqualTo(json("{\"maxUsers\":20}"));
            });
    assertThat(state.latestLayers())
        .singleElement()
        .extracting(LayerVersion::content)
        .isEqualTo(json("{\"maxUsers\":10}"));

    ChangeRequest inDev =
        rollouts.releaseNext(change.id(), inTest.version(), ReleaseMode.MANUAL, "bob", null);
    assertThat(inDev.releases())
        .extracting(RingRelease::ring, RingRelease::mode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("test", ReleaseMode.GATE),
            org.assertj.core.groups.Tuple.tuple("dev", ReleaseMode.MANUAL));
    assertThat(store.loadState().ringLayers())
        .extracting(RingLayer::ring)
        .containsExactlyInAnyOrder("test", "dev");
  }

  @Test
  void aTransitionFromAStaleVersion_isRefused_soNoRingIsReleasedTwice() {
    ChangeRequest change = create(0, "{\"maxUsers\":20}");
    rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine", null);
    long revision = store.currentRevision();
    assertProblem(
        () ->
            rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine-2", null),
        ProblemType.CHANGE_CONFLICT);
    assertThat(store.currentRevision()).isEqualTo(revision);
    assertThat(rollouts.findChange(change.id()).orElseThrow().releases()).hasSize(1);
  }

  @Test
  void twoReplicasReleasingTheSameVersionAtOnce_releaseTheRingExactlyOnce() throws Exception {
    ChangeRequest change = create(0, "{\"maxUsers\":20}");
    JdbcRolloutStore other = new JdbcRolloutStore(database, time.clock());
    Callable<Boolean> first = () -> tryRelease(rollouts, change);
    Callable<Boolean> second = () -> tryRelease(other, change);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Boolean>> results = pool.invokeAll(List.of(first, second));
      assertThat(results.get(0).get() ^ results.get(1).get()).isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(rollouts.findChange(change.id()).orElseThrow().releases())
        .singleElement()
        .extracting(RingRelease::ring)
        .isEqualTo("test");
  }

  @Test
  void completion_publishesTheEditsForEveryRing_aboveEveryReleaseRevision() {
    ChangeRequest change = releaseEveryRing(create(0, "{\"maxUsers\":20}"));
    long lastRelease = change.releaseRevision();
    assertProblem(
        () -> rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine", null),
        ProblemType.CHANGE_CONFLICT);
    ChangeRequest done =
        rollouts.complete(change.id(), change.version(), "healthy", "engine", null);
    assertThat(done.state()).isEqualTo(ChangeState.COMPLETED);
    assertThat(done.finalRevision()).isGreaterThan(lastRelease);
    StoreState state = store.loadState();
    assertThat(state.ringLayers()).isEmpty();
    assertThat(state.latestLayers())
        .singleElement()
        .satisfies(
            layer -> {
              assertThat(layer.content()).isEqualTo(json("{\"maxUsers\":20}"));
              assertThat(layer.revision()).isEqualTo(done.finalRevision());
            });
    assertThat(store.history("core", 10))
        .extracting(h -> h.revision().revision())
        .contains(done.finalRevision());
  }

  @Test
  void everyRingRelease_isInTheNamespacesHistory_withItsRingAndTime_andAHotfixNamesTheRestOfThem() {
    ChangeRequest change = create(0, "{\"maxUsers\":20}");
    ChangeRequest inTest =
        rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine", null);
    time.advance(Duration.ofMinutes(3));
    ChangeRequest inDev =
        rollouts.releaseNext(change.id(), inTest.version(), ReleaseMode.MANUAL, "bob", null);
    time.advance(Duration.ofMinutes(4));
    ChangeRequest fixed = rollouts.hotfix(change.id(), inDev.version(), "incident 42", "admin");
    // Another namespace's change releases too, and must not show in core's history.
    store.createNamespace("features", "flags", "alice");
    ChangeRequest flags =
        rollouts.createChange(
            "flags",
            List.of(new ChangeEdit("features", Scope.DEFAULT, json("{\"x\":1}"), null)),
            List.of(),
            0,
            "alice");
    rollouts.releaseNext(flags.id(), flags.version(), ReleaseMode.GATE, "engine", null);

    List<HistoryEntry> history = store.history("core", 10);

    assertThat(history)
        .extracting(h -> h.revision().revision(), h -> h.revision().kind(), HistoryEntry::rings)
        .startsWith(
            org.assertj.core.groups.Tuple.tuple(
                fixed.finalRevision(), "hotfix", List.of("beta", "live")),
            org.assertj.core.groups.Tuple.tuple(inDev.releaseRevision(), "release", List.of("dev")),
            org.assertj.core.groups.Tuple.tuple(
                inTest.releaseRevision(), "release", List.of("test")));
    HistoryEntry devRelease = history.get(1);
    assertThat(devRelease.revision().createdAt()).isEqualTo(START.plus(Duration.ofMinutes(3)));
    assertThat(devRelease.revision().actor()).isEqualTo("bob");
    assertThat(devRelease.revision().message()).contains("reaches ring dev");
    assertThat(devRelease.scopes()).containsExactly(Scope.DEFAULT);
    assertThat(history.get(0).scopes()).containsExactly(Scope.DEFAULT);
    assertThat(history.subList(3, history.size()))
        .as("the first publish and the namespace's creation release no ring")
        .extracting(HistoryEntry::rings)
        .containsOnly(List.of());
    assertThat(store.history("features", 10).get(0).rings()).containsExactly("test");
  }

  @Test
  void backOut_fixesForward_withThePreviousContentAtARevisionAboveEveryRelease() {
    ChangeRequest change = create(0, "{\"maxUsers\":20}");
    ChangeRequest rolling =
        rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine", null);
    rolling =
        rollouts.releaseNext(change.id(), rolling.version(), ReleaseMode.GATE, "engine", null);
    ChangeRequest backedOut =
        rollouts.backOut(change.id(), rolling.version(), "clients reject it", "engine", null);
    assertThat(backedOut.state()).isEqualTo(ChangeState.BACKED_OUT);
    assertThat(backedOut.outcome()).isEqualTo("clients reject it");
    assertThat(backedOut.finalRevision()).isGreaterThan(rolling.releaseRevision());
    StoreState state = store.loadState();
    assertThat(state.ringLayers()).isEmpty();
    assertThat(state.latestLayers())
        .singleElement()
        .satisfies(
            layer -> {
              assertThat(layer.content()).isEqualTo(json("{\"maxUsers\":10}"));
              assertThat(layer.revision()).isEqualTo(backedOut.finalRevision());
            });
  }

  @Test
  void backingOutANewLayer_recordsItsRemoval_soTheRevisionStillRises() {
    ChangeRequest change =
        rollouts.createChange(
            "ring layer",
            List.of(new ChangeEdit("core", Scope.ring("test"), json("{\"beta\":true}"), null)),
            List.of(),
            0,
            "alice");
    ChangeRequest rolling =
        rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine", null);
    ChangeRequest backedOut = rollouts.backOut(change.id(), rolling.version(), "no", "bob", null);
    assertThat(store.latestLayers("core"))
        .filteredOn(l -> l.scope().equals(Scope.ring("test")))
        .singleElement()
        .satisfies(
            layer -> {
              assertThat(layer.removed()).isTrue();
              assertThat(layer.revision()).isEqualTo(backedOut.finalRevision());
            });
  }

  @Test
  void anApprovedChangeHoldsItsLayers_againstDirectPublishesAndOtherChanges() {
    ChangeRequest held = create(0, "{\"maxUsers\":20}");
    store.putDraft("core", Scope.DEFAULT, json("{\"maxUsers\":99}"), "dave");
    long revision = store.currentRevision();
    assertProblem(
        () -> store.publish("core", Set.of(), "around it", "dave"), ProblemType.LAYER_HELD);
    assertThat(store.currentRevision()).isEqualTo(revision);
    assertProblem(() -> create(0, "{\"maxUsers\":30}"), ProblemType.LAYER_HELD);
    rollouts.cancel(held.id(), "not now", "alice");
    store.publish("core", Set.of(), "now it may", "dave");
    assertThat(store.latestLayers("core").get(0).content()).isEqualTo(json("{\"maxUsers\":99}"));
  }

  @Test
  void aChangeWrittenAgainstAnOlderLayer_cannotBeApproved() {
    ChangeRequest stale = create(1, "{\"maxUsers\":20}");
    store.putDraft("core", Scope.DEFAULT, json("{\"maxUsers\":11}"), "dave");
    store.publish("core", Set.of(), "meanwhile", "dave");
    assertProblem(() -> rollouts.approve(stale.id(), "bob", ""), ProblemType.CHANGE_CONFLICT);
    assertThat(rollouts.findChange(stale.id()).orElseThrow().state()).isEqualTo(ChangeState.DRAFT);
  }

  @Test
  void aFreezeStopsReleases_butNotHotfixesOrBackOuts() {
    ChangeRequest change = create(0, "{\"maxUsers\":20}");
    ChangeRequest rolling =
        rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine", null);
    rollouts.setFreeze("incident 42", "carol");
    assertProblem(
        () -> rollouts.releaseNext(change.id(), rolling.version(), ReleaseMode.MANUAL, "bob", null),
        ProblemType.ROLLOUTS_FROZEN);
    ChangeRequest fixed =
        rollouts.hotfix(change.id(), rolling.version(), "the fix for incident 42", "admin");
    assertThat(fixed.state()).isEqualTo(ChangeState.COMPLETED);
    assertThat(fixed.releases())
        .extracting(RingRelease::ring)
        .containsExactly("test", "dev", "beta", "live");
    assertThat(fixed.releases().subList(1, 4))
        .allSatisfy(
            r -> {
              assertThat(r.mode()).isEqualTo(ReleaseMode.HOTFIX);
              assertThat(r.revision()).isEqualTo(fixed.finalRevision());
            });
    rollouts.lift("admin");
    assertThat(rollouts.freeze()).isEmpty();
  }

  @Test
  void theLease_isHeldByOneHolderUntilItExpires_andItsTokenFencesTheOldHolder() {
    Lease first = rollouts.acquireLease("rollouts", "a", Duration.ofSeconds(30)).orElseThrow();
    assertThat(rollouts.acquireLease("rollouts", "b", Duration.ofSeconds(30))).isEmpty();
    time.advance(Duration.ofSeconds(20));
    Lease renewed = rollouts.acquireLease("rollouts", "a", Duration.ofSeconds(30)).orElseThrow();
    assertThat(renewed.token()).isEqualTo(first.token());
    time.advance(Duration.ofSeconds(31));
    Lease taken = rollouts.acquireLease("rollouts", "b", Duration.ofSeconds(30)).orElseThrow();
    assertThat(taken.token()).isGreaterThan(first.token());

    ChangeRequest change = create(0, "{\"maxUsers\":20}");
    long revision = store.currentRevision();
    assertThatThrownBy(
            () ->
                rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "a", renewed))
        .isInstanceOf(LeaseLostException.class);
    assertThat(store.currentRevision()).isEqualTo(revision);
    assertThat(
            rollouts
                .releaseNext(change.id(), change.version(), ReleaseMode.GATE, "b", taken)
                .currentRing())
        .isEqualTo("test");
  }

  @Test
  void givingTheLeaseUp_letsAnotherHolderTakeItAtOnce() {
    rollouts.acquireLease("rollouts", "a", Duration.ofSeconds(30)).orElseThrow();
    rollouts.releaseLease("rollouts", "a");
    assertThat(rollouts.acquireLease("rollouts", "b", Duration.ofSeconds(30))).isPresent();
  }

  @Test
  void everyTransitionIsAudited_andTheChainStillVerifies() {
    ChangeRequest change = create(1, "{\"maxUsers\":20}");
    change = rollouts.approve(change.id(), "bob", "ok");
    change = rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine", null);
    rollouts.backOut(change.id(), change.version(), "bad", "bob", null);
    assertThat(store.auditLog(new AuditQuery(null, "change:" + change.id(), null, null, 100)))
        .extracting(e -> e.action())
        .containsExactly(
            "change.backout",
            "change.release",
            "change.approved",
            "change.approve",
            "change.create");
    assertThat(store.verifyAuditLog().intact()).isTrue();
  }

  @Test
  void ringGatesAndBakeTimes_canBeChanged() {
    RingGate strict = new RingGate(1.0, Duration.ofMinutes(5), 0.0, 0.0, true);
    rollouts.updateRing("dev", Duration.ofHours(2), strict, "admin");
    assertThat(rollouts.ringPolicies())
        .filteredOn(r -> r.ring().equals("dev"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.bakeTime()).isEqualTo(Duration.ofHours(2));
              assertThat(r.gate()).isEqualTo(strict);
            });
    assertProblem(
        () -> rollouts.updateRing("nope", null, null, "admin"), ProblemType.RING_NOT_FOUND);
  }

  @Test
  void aSubscriptionEdit_isServedToItsInstanceOnceItsRingIsReached_andStoredOnCompletion() {
    Subscription test = subscription("in-test", 100);
    Subscription live = subscription("in-live", 100);
    ChangeRequest change =
        rollouts.createChange(
            "more seats",
            List.of(),
            List.of(
                SubscriptionEdit.changing(test.id(), quantity(150)),
                SubscriptionEdit.changing(live.id(), quantity(150))),
            0,
            "alice");
    assertThat(change.subscriptionEdits())
        .extracting(SubscriptionEdit::instance)
        .containsExactly("in-test", "in-live");
    assertThat(change.namespaces()).containsExactly("subscriptions");

    ChangeRequest inTest =
        rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine", null);
    assertThat(store.loadState().ringSubscriptions())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.id()).isEqualTo(test.id());
              assertThat(s.quantity()).isEqualTo(150);
              assertThat(s.revision()).isEqualTo(inTest.releaseRevision());
            });
    assertThat(store.findSubscription(test.id()).orElseThrow().quantity()).isEqualTo(100);

    ChangeRequest last = inTest;
    for (int i = 0; i < 3; i++) {
      last = rollouts.releaseNext(change.id(), last.version(), ReleaseMode.GATE, "engine", null);
    }
    assertThat(store.loadState().ringSubscriptions()).hasSize(2);
    ChangeRequest done = rollouts.complete(change.id(), last.version(), "healthy", "engine", null);
    assertThat(store.loadState().ringSubscriptions()).isEmpty();
    assertThat(store.findSubscription(live.id()).orElseThrow())
        .satisfies(
            s -> {
              assertThat(s.quantity()).isEqualTo(150);
              assertThat(s.revision()).isEqualTo(done.finalRevision());
            });
  }

  @Test
  void backingOutASubscriptionEdit_leavesTheCountAsItWas_atARisenRevision() {
    Subscription test = subscription("in-test", 100);
    ChangeRequest change =
        rollouts.createChange(
            "fewer seats",
            List.of(),
            List.of(SubscriptionEdit.changing(test.id(), quantity(60))),
            0,
            "alice");
    ChangeRequest rolling =
        rollouts.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine", null);
    ChangeRequest backedOut =
        rollouts.backOut(change.id(), rolling.version(), "locked users out", "bob", null);
    assertThat(store.findSubscription(test.id()).orElseThrow().quantity()).isEqualTo(100);
    assertThat(store.findInstance("in-test").orElseThrow().assignmentRevision())
        .isEqualTo(backedOut.finalRevision());
    assertThat(store.loadState().ringSubscriptions()).isEmpty();
  }

  @Test
  void subscriptionsAChangeHolds_cannotBeChangedDirectly_andOverlapsAreRefusedUpFront() {
    Subscription test = subscription("in-test", 100);
    rollouts.createChange(
        "more seats",
        List.of(),
        List.of(SubscriptionEdit.changing(test.id(), quantity(150))),
        0,
        "alice");
    long revision = store.currentRevision();
    assertProblem(
        () -> store.changeSubscription(test.id(), quantity(1), "dave"), ProblemType.LAYER_HELD);
    assertProblem(
        () ->
            store.createSubscription(
                new NewSubscription(
                    "in-test",
                    "crm",
                    1,
                    0,
                    SeatModel.NAMED,
                    START.plus(Duration.ofDays(400)),
                    null,
                    "std",
                    ""),
                "dave"),
        ProblemType.LAYER_HELD);
    assertThat(store.currentRevision()).isEqualTo(revision);
    assertThat(store.findSubscription(test.id()).orElseThrow().quantity()).isEqualTo(100);

    assertProblem(
        () ->
            rollouts.createChange(
                "overlapping",
                List.of(),
                List.of(
                    SubscriptionEdit.creating(
                        new NewSubscription(
                            "in-test", "crm", 10, 0, SeatModel.NAMED, START, null, "std", ""))),
                1,
                "alice"),
        ProblemType.SUBSCRIPTION_OVERLAP);
  }

  @Test
  void approval_rechecksSubscriptionOverlaps_writtenSinceTheDraft() {
    subscription("in-live", 100);
    Subscription ending =
        store.createSubscription(
            new NewSubscription(
                "in-test",
                "crm",
                10,
                0,
                SeatModel.NAMED,
                START.minus(Duration.ofDays(30)),
                START.plus(Duration.ofDays(30)),
                "std",
                ""),
            "alice");
    ChangeRequest draft =
        rollouts.createChange(
            "successor",
            List.of(),
            List.of(
                SubscriptionEdit.creating(
                    new NewSubscription(
                        "in-test",
                        "crm",
                        20,
                        0,
                        SeatModel.NAMED,
                        START.plus(Duration.ofDays(30)),
                        null,
                        "std",
                        ""))),
            1,
            "alice");
    // Nothing holds a draft's subscriptions: someone extends the old one over the successor's
    // period.
    store.changeSubscription(
        ending.id(), new SubscriptionChange(null, null, null, true, null, null, null), "dave");
    assertProblem(() -> rollouts.approve(draft.id(), "bob", ""), ProblemType.SUBSCRIPTION_OVERLAP);
    assertThat(rollouts.findChange(draft.id()).orElseThrow().state()).isEqualTo(ChangeState.DRAFT);
  }

  private Subscription subscription(String instance, long quantity) {
    if (store.findApplication("crm").isEmpty()) {
      store.createApplication("crm", "CRM", "alice");
    }
    return store.createSubscription(
        new NewSubscription(
            instance,
            "crm",
            quantity,
            0,
            SeatModel.NAMED,
            START.minus(Duration.ofDays(30)),
            null,
            "std",
            ""),
        "alice");
  }

  private static SubscriptionChange quantity(long quantity) {
    return new SubscriptionChange(quantity, null, null, false, null, null, null);
  }

  private ChangeRequest create(int approvals, String content) {
    return rollouts.createChange(
        "raise the limit",
        List.of(new ChangeEdit("core", Scope.DEFAULT, json(content), null)),
        List.of(),
        approvals,
        "alice");
  }

  private ChangeRequest releaseEveryRing(ChangeRequest change) {
    ChangeRequest current = change;
    for (int i = 0; i < 4; i++) {
      current =
          rollouts.releaseNext(change.id(), current.version(), ReleaseMode.GATE, "engine", null);
    }
    return current;
  }

  private static boolean tryRelease(JdbcRolloutStore store, ChangeRequest change) {
    try {
      store.releaseNext(change.id(), change.version(), ReleaseMode.GATE, "engine", null);
      return true;
    } catch (ProblemException e) {
      return false;
    }
  }

  private static void assertProblem(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ProblemType type) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(type));
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
