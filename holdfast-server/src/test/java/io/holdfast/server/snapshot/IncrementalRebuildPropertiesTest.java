package io.holdfast.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.model.Role;
import io.holdfast.server.model.Scope;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.JdbcRolloutStore;
import io.holdfast.server.rollout.ReleaseMode;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.server.store.StoreChanges;
import io.holdfast.server.store.StoreState;
import io.holdfast.server.subscription.NewSubscription;
import io.holdfast.server.subscription.SeatModel;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionChange;
import io.holdfast.server.subscription.SubscriptionFilter;
import io.holdfast.server.window.ChangeDeliveries;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.JdbcWindowStore;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An incremental rebuild equals a full one, byte for byte: over seeded random sequences of edits
 * (layer puts and removals at every scope, namespace creations, instance creations, ring moves,
 * relabels and credential rotations, subscription creations and changes, admin credential creations
 * and rotations, and rolling-out changes released, backed out, completed or hot-fixed), each
 * followed by a publish, the snapshot {@link SnapshotBuilder#rebuild} makes from the delta the
 * store reads ({@link JdbcConfigStore#changesSince}) is compared with:
 *
 * <ul>
 *   <li>a full {@link SnapshotBuilder#build} of a full load from the same previous snapshot: every
 *       instance's every document and checksums identical, signatures included (the batch is signed
 *       in digest order, so the same new documents get the same signatures);
 *   <li>a build from scratch (no previous snapshot): the same bodies, ETags, digests, revisions and
 *       times (signatures differ by design there: every document is in one new batch).
 * </ul>
 *
 * <p>The state the delta gives is also compared with the full load. On a real SQLite file; {@code
 * PostgresIncrementalRebuildPropertiesTest} runs it on the real PostgreSQL.
 */
class IncrementalRebuildPropertiesTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  /** The builder's clock: one statement period for the whole run, as in one rebuild. */
  private static final Clock BUILD_CLOCK = Clock.fixed(START, ZoneOffset.UTC);

  private static final List<String> NAMESPACES = List.of("core", "billing", "ui", "flags");
  private static final List<String> RINGS = List.of("test", "dev", "beta", "live");
  private static final List<String> APPLICATIONS = List.of("crm", "wiki", "mail");
  private static final int INSTANCES = 14;
  private static final int STEPS = 40;

  /** A window open one minute a week, at an hour the run never reaches. */
  private static final ChangeWindow CLOSED = ChangeWindow.parse("Wed 03:00-03:01 in UTC");

  @TempDir Path directory;

  /** A new, empty database: here a SQLite file. */
  Database openDatabase(long seed) {
    return Database.open(
        "jdbc:sqlite:" + directory.resolve("holdfast-" + seed + ".db"), Duration.ofSeconds(5));
  }

  /** The seeds this run tries. */
  long[] seeds() {
    return new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  }

  @Test
  void anIncrementalRebuildEqualsAFullRebuild_overRandomEditSequences() throws Exception {
    int kept = 0;
    int rollingOut = 0;
    int held = 0;
    for (long seed : seeds()) {
      Exercised exercised = run(seed);
      kept += exercised.keptViews();
      rollingOut += exercised.stepsRollingOut();
      held += exercised.stepsWithHeldInstances();
    }
    // The sequences exercised what they are meant to: views kept as they were, and rollouts.
    assertThat(kept).as("instance views kept").isPositive();
    assertThat(rollingOut).as("steps with a change rolling out").isPositive();
    assertThat(held)
        .as("steps with a change held back from an instance by its window")
        .isPositive();
  }

  /** How much of what the property is about a run exercised. */
  private record Exercised(int keptViews, int stepsRollingOut, int stepsWithHeldInstances) {}

  private Exercised run(long seed) throws Exception {
    ManualTime time = new ManualTime(START);
    Database database = openDatabase(seed);
    try (JdbcConfigStore store = new JdbcConfigStore(database, time.clock())) {
      JdbcRolloutStore rollouts = new JdbcRolloutStore(database, time.clock());
      SnapshotBuilder builder =
          new SnapshotBuilder(
              new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()),
              BUILD_CLOCK);
      Editor editor =
          new Editor(
              new Random(seed), store, rollouts, new JdbcWindowStore(database, time.clock()));
      editor.setUp();
      StoreState state = store.loadState();
      EffectiveSnapshot snapshot = builder.build(state, null);
      int kept = 0;
      int rollingOut = 0;
      int held = 0;
      for (int step = 0; step < STEPS; step++) {
        String where = "seed " + seed + ", step " + step;
        int edits = 1 + editor.random.nextInt(3);
        for (int i = 0; i < edits; i++) {
          editor.edit();
          time.advance(Duration.ofMillis(1 + editor.random.nextInt(3000)));
        }
        StoreChanges changes = store.changesSince(state.revision()).orElseThrow();
        StoreState after = state.with(changes);
        EffectiveSnapshot incremental = builder.rebuild(state, changes, after, snapshot);

        StoreState loaded = store.loadState();
        assertSameState(after, loaded, where);
        assertSame(incremental, builder.build(loaded, snapshot), true, where + " (full rebuild)");
        assertSame(incremental, builder.build(loaded, null), false, where + " (from scratch)");
        for (InstanceView view : incremental.instances().values()) {
          kept += view == snapshot.instance(view.id()) ? 1 : 0;
        }
        rollingOut += after.ringLayers().isEmpty() ? 0 : 1;
        held += after.deliveries().isEmpty() ? 0 : 1;
        state = after;
        snapshot = incremental;
      }
      assertThat(editor.applied).as("seed %d: edits that took effect", seed).isGreaterThan(STEPS);
      return new Exercised(kept, rollingOut, held);
    }
  }

  private static void assertSameState(StoreState delta, StoreState full, String where) {
    assertThat(delta.revision()).as(where).isEqualTo(full.revision());
    assertThat(delta.rings()).as(where).containsExactlyInAnyOrderElementsOf(full.rings());
    assertThat(delta.instances()).as(where).containsExactlyInAnyOrderElementsOf(full.instances());
    assertThat(delta.namespaces()).as(where).containsExactlyInAnyOrderElementsOf(full.namespaces());
    assertThat(delta.latestLayers())
        .as(where)
        .containsExactlyInAnyOrderElementsOf(full.latestLayers());
    assertThat(delta.adminCredentials())
        .as(where)
        .containsExactlyInAnyOrderElementsOf(full.adminCredentials());
    assertThat(delta.subscriptions())
        .as(where)
        .containsExactlyInAnyOrderElementsOf(full.subscriptions());
    assertThat(delta.ringLayers()).as(where).containsExactlyInAnyOrderElementsOf(full.ringLayers());
    assertThat(delta.ringSubscriptions())
        .as(where)
        .containsExactlyInAnyOrderElementsOf(full.ringSubscriptions());
    assertThat(delta.deliveries()).as(where).containsExactlyInAnyOrderElementsOf(full.deliveries());
    assertThat(delta.revisionTimes()).as(where).containsAllEntriesOf(full.revisionTimes());
  }

  /** Every instance's every document and checksums, and the credential maps, are the same. */
  static void assertSame(
      EffectiveSnapshot actual, EffectiveSnapshot expected, boolean signatures, String where) {
    assertThat(actual.revision()).as(where).isEqualTo(expected.revision());
    assertThat(actual.instances().keySet()).as(where).isEqualTo(expected.instances().keySet());
    assertThat(actual.instancesByCredential())
        .as(where)
        .isEqualTo(expected.instancesByCredential());
    assertThat(actual.adminsByCredential()).as(where).isEqualTo(expected.adminsByCredential());
    for (InstanceView view : actual.instances().values()) {
      InstanceView other = expected.instance(view.id());
      String of = where + ", instance " + view.id();
      assertThat(view.ring()).as(of).isEqualTo(other.ring());
      assertThat(view.credentialHash()).as(of).isEqualTo(other.credentialHash());
      assertThat(view.documents().keySet()).as(of).isEqualTo(other.documents().keySet());
      for (String namespace : view.documents().keySet()) {
        assertSame(
            view.document(namespace), other.document(namespace), signatures, of + "/" + namespace);
      }
      assertSame(view.checksums(), other.checksums(), signatures, of + "/checksums");
    }
  }

  private static void assertSame(
      ServedDocument actual, ServedDocument expected, boolean signatures, String where) {
    assertThat(new String(actual.body(), java.nio.charset.StandardCharsets.UTF_8))
        .as(where)
        .isEqualTo(new String(expected.body(), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(actual.body()).as(where).isEqualTo(expected.body());
    assertThat(actual.etagHeaderValue()).as(where).isEqualTo(expected.etagHeaderValue());
    assertThat(actual.reprDigest()).as(where).isEqualTo(expected.reprDigest());
    assertThat(actual.revision()).as(where).isEqualTo(expected.revision());
    assertThat(actual.issuedAt()).as(where).isEqualTo(expected.issuedAt());
    if (signatures) {
      assertThat(actual.signature()).as(where).isEqualTo(expected.signature());
    }
  }

  /** Makes random edits through the stores' own write paths; refused ones are skipped. */
  private static final class Editor {

    final Random random;
    private final JdbcConfigStore store;
    private final JdbcRolloutStore rollouts;
    private final JdbcWindowStore windows;
    private final List<String> instances = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final Set<String> subscribed = new HashSet<>();
    private final List<String> admins = new ArrayList<>();
    private Long openChange;
    private int serial;
    int applied;

    Editor(
        Random random, JdbcConfigStore store, JdbcRolloutStore rollouts, JdbcWindowStore windows) {
      this.random = random;
      this.store = store;
      this.rollouts = rollouts;
      this.windows = windows;
    }

    void setUp() {
      namespaces.add("core");
      store.createNamespace("core", "", "alice");
      for (int i = 0; i < INSTANCES / 2; i++) {
        createInstance();
      }
      for (String application : APPLICATIONS) {
        store.createApplication(application, application, "alice");
      }
    }

    void edit() {
      try {
        switch (random.nextInt(12)) {
          case 0, 1, 2 -> publishLayer();
          case 3 -> createNamespace();
          case 4 -> createInstance();
          case 5 -> store.updateInstance(pick(instances), pick(RINGS), null, "alice");
          case 6 -> store.updateInstance(pick(instances), null, Map.of("n", next()), "alice");
          case 7 -> store.replaceInstanceCredential(pick(instances), "hash-" + next(), "alice");
          case 8 -> subscription();
          case 9 -> adminCredential();
          default -> rollout();
        }
        applied++;
      } catch (ProblemException refused) {
        // A layer held by a change, a draft equal to what is published, a ring already reached:
        // the store said no, and nothing changed.
      }
    }

    private void publishLayer() {
      String namespace = pick(namespaces);
      Scope scope = scope();
      store.putDraft(namespace, scope, random.nextInt(5) == 0 ? null : content(), "alice");
      store.publish(namespace, Set.of(scope), "edit", "bob");
    }

    private Scope scope() {
      return switch (random.nextInt(3)) {
        case 0 -> Scope.DEFAULT;
        case 1 -> Scope.ring(pick(RINGS));
        default -> Scope.instance(pick(instances));
      };
    }

    private JsonNode content() {
      ObjectNode content = JsonNodeFactory.instance.objectNode();
      content.put("k" + random.nextInt(4), random.nextInt(3));
      if (random.nextBoolean()) {
        content.putObject("nested").put("v" + random.nextInt(3), "x" + random.nextInt(3));
      }
      return content;
    }

    private void createNamespace() {
      String name = pick(NAMESPACES);
      store.createNamespace(name, "", "alice");
      namespaces.add(name);
    }

    private void createInstance() {
      if (instances.size() >= INSTANCES) {
        throw new ProblemException(
            io.holdfast.protocol.problem.ProblemType.ALREADY_EXISTS, "enough");
      }
      String id = "in-" + instances.size();
      store.createInstance(id, pick(RINGS), Map.of(), "hash-" + next(), "alice");
      instances.add(id);
      if (random.nextInt(3) == 0) {
        // Closed whenever the run's clock reads: a release holds the instance back.
        windows.setInstanceTiming(id, Optional.empty(), Optional.of(CLOSED), "alice");
      }
    }

    private void subscription() {
      String instance = pick(instances);
      String application = pick(APPLICATIONS);
      if (subscribed.add(instance + "/" + application)) {
        store.createSubscription(
            new NewSubscription(
                instance, application, 5, 0, SeatModel.NAMED, START, null, "basic", ""),
            "alice");
        return;
      }
      Subscription existing =
          store.listSubscriptions(new SubscriptionFilter(instance, application, null)).getFirst();
      store.changeSubscription(
          existing.id(),
          new SubscriptionChange(
              (long) (1 + random.nextInt(20)), null, null, false, null, null, null, null),
          "alice");
    }

    private void adminCredential() {
      if (admins.isEmpty() || random.nextBoolean()) {
        String name = "admin-" + next();
        store.createAdminCredential(name, Role.EDITOR, "token-" + next(), null, "alice");
        admins.add(name);
      } else {
        store.rotateAdminCredential(pick(admins), "token-" + next(), "alice");
      }
    }

    private void rollout() {
      if (openChange == null) {
        ChangeRequest change =
            rollouts.createChange(
                "change",
                List.of(new ChangeEdit(pick(namespaces), scope(), content(), null)),
                List.of(),
                0,
                "alice");
        openChange = change.id();
        return;
      }
      ChangeRequest change = rollouts.findChange(openChange).orElseThrow();
      List<String> waiting =
          rollouts.waitingDeliveries().stream()
              .filter(w -> w.change() == change.id())
              .map(ChangeDeliveries.Waiting::instance)
              .toList();
      if (!waiting.isEmpty() && random.nextBoolean()) {
        // Some of them, as their windows open.
        rollouts.deliver(
            change.id(), waiting.subList(0, 1 + random.nextInt(waiting.size())), "alice", null);
        return;
      }
      switch (random.nextInt(5)) {
        case 0 -> {
          openChange = null;
          rollouts.backOut(change.id(), change.version(), "bad", "alice", null);
        }
        case 1 -> {
          openChange = null;
          rollouts.hotfix(change.id(), change.version(), "urgent", "alice");
        }
        default -> {
          if (RINGS.getLast().equals(change.currentRing())) {
            openChange = null;
            rollouts.complete(change.id(), change.version(), "done", "alice", null);
          } else {
            rollouts.releaseNext(change.id(), change.version(), ReleaseMode.MANUAL, "alice", null);
          }
        }
      }
    }

    private <T> T pick(List<T> from) {
      return from.get(random.nextInt(from.size()));
    }

    private String next() {
      return Integer.toString(++serial);
    }
  }
}
