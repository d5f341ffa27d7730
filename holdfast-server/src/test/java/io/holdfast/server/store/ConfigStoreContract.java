package io.holdfast.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.audit.AuditEntry;
import io.holdfast.server.audit.AuditHash;
import io.holdfast.server.audit.AuditQuery;
import io.holdfast.server.audit.AuditVerification;
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.Role;
import io.holdfast.server.model.Scope;
import io.holdfast.server.namespace.Draft;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.subscription.Application;
import io.holdfast.server.subscription.NewSubscription;
import io.holdfast.server.subscription.SeatModel;
import io.holdfast.server.subscription.Subscription;
import io.holdfast.server.subscription.SubscriptionChange;
import io.holdfast.server.subscription.SubscriptionFilter;
import io.holdfast.server.subscription.SubscriptionStatus;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ConfigStore} must have, whatever database is behind it. An
 * implementation proves itself by extending this class (as {@code SqliteConfigStoreTest} does) and
 * providing {@link #newStore()} and {@link #reopen()}.
 *
 * <p>The suite only uses the {@link ConfigStore} interface. It expects a fresh store to hold the
 * default rings {@code test, dev, beta, live} and nothing else, and each test to get its own fresh
 * store. Revision numbers are only assumed to increase: an implementation may leave gaps (a
 * PostgreSQL sequence does after a rollback), so "exactly one revision" is checked by counting the
 * entries {@link ConfigStore#findRevision} knows.
 */
public abstract class ConfigStoreContract {

  protected static final ObjectMapper JSON = new ObjectMapper();

  /** The store under test; replaced by {@link #restart()}. */
  protected ConfigStore store;

  /** A new store with only the default rings, shared with no other test. */
  protected abstract ConfigStore newStore();

  /**
   * A store over the same durable data as the one {@link #newStore()} returned last, which the
   * suite has closed before calling this: what a restarted replica sees.
   */
  protected abstract ConfigStore reopen();

  /**
   * Runs one SQL statement on the store's database behind its back, as someone with access to the
   * database would: for the tampering tests.
   */
  protected abstract void executeSql(String sql) throws java.sql.SQLException;

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** Closes the store and opens it again over the same data. */
  protected final void restart() {
    ConfigStore old = store;
    store = null;
    old.close();
    store = reopen();
  }

  // ------------------------------------------------------------------ helpers

  protected static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  protected final Namespace namespace(String name) {
    return store.createNamespace(name, "the " + name + " namespace", "alice");
  }

  protected final Instance instance(String id, String ring) {
    return store.createInstance(id, ring, Map.of("team", "payments"), "hash-" + id, "alice");
  }

  /** Stages one layer and publishes it alone. */
  protected final PublishResult publishLayer(String namespace, Scope scope, String content) {
    store.putDraft(namespace, scope, content == null ? null : json(content), "alice");
    return store.publish(namespace, Set.of(scope), "set " + scope, "bob");
  }

  /** Asserts that the call fails with a problem of this type, and returns it. */
  protected static ProblemException problem(ProblemType type, ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown)
        .as("the call should fail with %s", type)
        .isInstanceOf(ProblemException.class);
    ProblemException problem = (ProblemException) thrown;
    assertThat(problem.type()).as("problem type of: %s", problem.getMessage()).isEqualTo(type);
    return problem;
  }

  /** Everything observable about the store's data, for before/after comparisons. */
  protected final List<Object> everything() {
    StoreState state = store.loadState();
    Map<String, List<Draft>> drafts = new TreeMap<>();
    Map<String, List<HistoryEntry>> history = new TreeMap<>();
    for (Namespace namespace : state.namespaces()) {
      drafts.put(namespace.name(), store.listDrafts(namespace.name()));
      history.put(namespace.name(), store.history(namespace.name(), 1000));
    }
    return List.of(
        store.currentRevision(),
        state,
        store.listRings(),
        store.listInstances(),
        store.listNamespaces(),
        store.listAdminCredentials(),
        drafts,
        history,
        store.listApplications(),
        store.listSubscriptions(SubscriptionFilter.ALL),
        store.auditLog(AuditQuery.latest(10_000)),
        store.verifyAuditLog());
  }

  /** Asserts that the call fails with {@code type} and leaves no trace: no revision, no change. */
  protected final ProblemException assertRejectedAndUnchanged(
      ProblemType type, ThrowingCallable call) {
    List<Object> before = everything();
    long revision = store.currentRevision();
    ProblemException problem = problem(type, call);
    assertThat(store.currentRevision()).as("revision after a rejected write").isEqualTo(revision);
    assertThat(store.findRevision(revision + 1)).as("log entry after a rejected write").isEmpty();
    assertThat(everything()).as("state after a rejected write").isEqualTo(before);
    return problem;
  }

  /** How many revision-log entries exist in {@code (after, upTo]}. */
  protected final long revisionsAppended(long after, long upTo) {
    return LongStream.rangeClosed(after + 1, upTo)
        .filter(r -> store.findRevision(r).isPresent())
        .count();
  }

  private static Optional<LayerVersion> layer(List<LayerVersion> layers, Scope scope) {
    return layers.stream().filter(l -> l.scope().equals(scope)).findFirst();
  }

  // ------------------------------------------------------------------ suites

  @Nested
  class Revisions {

    @Test
    void freshStore_hasARevisionAndTheDefaultRingsInOrder() {
      assertThat(store.currentRevision()).isPositive();
      assertThat(store.listRings())
          .extracting(Ring::name)
          .containsExactly("test", "dev", "beta", "live");
      assertThat(store.listRings())
          .extracting(Ring::bakeTime)
          .containsExactly(
              Duration.ZERO, Duration.ofHours(24), Duration.ofHours(48), Duration.ZERO);
      assertThat(store.listInstances()).isEmpty();
      assertThat(store.listNamespaces()).isEmpty();
      assertThat(store.listAdminCredentials()).isEmpty();
    }

    @Test
    void freshStore_hasAnEmptyIntactAuditChain() {
      AuditVerification verification = store.verifyAuditLog();

      assertThat(verification.intact()).isTrue();
      assertThat(verification.checked()).isZero();
      assertThat(verification.lastHash()).isEqualTo(AuditHash.GENESIS);
      assertThat(store.auditLog(AuditQuery.latest(10))).isEmpty();
    }

    private record Write(String what, String actor, LongSupplier run) {}

    @Test
    void everyKindOfWrite_appendsExactlyOneRevisionAndReportsIt() {
      namespace("core");
      instance("acme-prod", "live");
      List<Write> writes =
          List.of(
              new Write(
                  "create ring",
                  "alice",
                  () -> store.createRing("canary", 10, Duration.ofHours(1), "alice").revision()),
              new Write(
                  "create namespace",
                  "alice",
                  () -> store.createNamespace("features", "", "alice").revision()),
              new Write(
                  "create instance",
                  "alice",
                  () ->
                      store
                          .createInstance("beta-co", "beta", Map.of(), "hash-beta-co", "alice")
                          .assignmentRevision()),
              new Write(
                  "move instance",
                  "alice",
                  () ->
                      store.updateInstance("acme-prod", "dev", null, "alice").assignmentRevision()),
              new Write(
                  "relabel instance",
                  "alice",
                  () -> {
                    store.updateInstance("acme-prod", null, Map.of("tier", "gold"), "alice");
                    return -1;
                  }),
              new Write(
                  "rotate instance credential",
                  "alice",
                  () -> {
                    store.replaceInstanceCredential("acme-prod", "hash-rotated", "alice");
                    return -1;
                  }),
              new Write(
                  "publish",
                  "bob",
                  () -> {
                    store.putDraft("core", Scope.DEFAULT, json("{\"a\":1}"), "alice");
                    return store.publish("core", Set.of(), "first", "bob").revision();
                  }),
              new Write(
                  "create admin credential",
                  "alice",
                  () -> {
                    store.createAdminCredential("ops", Role.EDITOR, "hash-ops", "alice");
                    return -1;
                  }),
              new Write(
                  "bootstrap admin credential",
                  null,
                  () -> {
                    store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-bootstrap");
                    return -1;
                  }));
      List<Long> revisions = new ArrayList<>();
      for (Write write : writes) {
        long before = store.currentRevision();
        long reported = write.run().getAsLong();
        long after = store.currentRevision();
        assertThat(after).as("revision after %s", write.what()).isGreaterThan(before);
        assertThat(revisionsAppended(before, after))
            .as("log entries appended by %s", write.what())
            .isEqualTo(1);
        if (reported >= 0) {
          assertThat(reported).as("revision reported by %s", write.what()).isEqualTo(after);
        }
        RevisionEntry entry = store.findRevision(after).orElseThrow();
        assertThat(entry.revision()).isEqualTo(after);
        if (write.actor() != null) {
          assertThat(entry.actor()).as("actor of %s", write.what()).isEqualTo(write.actor());
        }
        revisions.add(after);
      }
      assertThat(revisions).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void reads_doNotAdvanceTheRevision() {
      namespace("core");
      instance("acme-prod", "live");
      publishLayer("core", Scope.DEFAULT, "{\"a\":1}");
      store.putDraft("core", Scope.ring("live"), json("{\"b\":2}"), "alice");
      long revision = store.currentRevision();

      store.loadState();
      store.listRings();
      store.listInstances();
      store.findInstance("acme-prod");
      store.findInstance("nobody");
      store.listNamespaces();
      store.findNamespace("core");
      store.listDrafts("core");
      store.latestLayers("core");
      store.layerAt("core", Scope.DEFAULT, revision);
      store.history("core", 10);
      store.findRevision(revision);
      store.listAdminCredentials();

      assertThat(store.currentRevision()).isEqualTo(revision);
      assertThat(store.findRevision(revision + 1)).isEmpty();
    }

    @Test
    void stagingADraft_doesNotAdvanceTheRevision_becauseReplicasDoNotServeDrafts() {
      namespace("core");
      long revision = store.currentRevision();

      store.putDraft("core", Scope.DEFAULT, json("{\"a\":1}"), "alice");
      store.putDraft("core", Scope.DEFAULT, null, "alice");

      assertThat(store.currentRevision()).isEqualTo(revision);
      assertThat(store.loadState().revision()).isEqualTo(revision);
    }

    @Test
    void findRevision_describesWhoChangedWhatAndWhy() {
      namespace("core");
      store.putDraft("core", Scope.DEFAULT, json("{\"limit\":5}"), "alice");
      PublishResult result = store.publish("core", Set.of(), "raise the limit", "bob");

      RevisionEntry entry = store.findRevision(result.revision()).orElseThrow();

      assertThat(entry.subject()).isEqualTo("core");
      assertThat(entry.actor()).isEqualTo("bob");
      assertThat(entry.message()).isEqualTo("raise the limit");
      assertThat(entry.createdAt()).isNotNull();
      assertThat(store.findRevision(result.revision() + 1000)).isEmpty();
    }
  }

  @Nested
  class Rings {

    @Test
    void createdRing_isListedInPositionOrder() {
      Ring ring = store.createRing("canary", -1, Duration.ofHours(6), "alice");

      assertThat(ring.name()).isEqualTo("canary");
      assertThat(ring.bakeTime()).isEqualTo(Duration.ofHours(6));
      assertThat(store.listRings())
          .extracting(Ring::name)
          .containsExactly("canary", "test", "dev", "beta", "live");
      assertThat(store.listRings().get(0)).isEqualTo(ring);
    }

    @Test
    void duplicateRingName_isAlreadyExistsAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.ALREADY_EXISTS, () -> store.createRing("live", 99, Duration.ZERO, "alice"));
    }

    @Test
    void takenRingPosition_isAlreadyExistsAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.ALREADY_EXISTS, () -> store.createRing("canary", 0, Duration.ZERO, "alice"));
    }
  }

  @Nested
  class Instances {

    @Test
    void createdInstance_isFoundWithItsRingLabelsAndCredentialHash() {
      Instance created =
          store.createInstance(
              "acme-prod",
              "live",
              Map.of("team", "payments", "region", "eu"),
              "hash-acme",
              "alice");

      assertThat(created.id()).isEqualTo("acme-prod");
      assertThat(created.ring()).isEqualTo("live");
      assertThat(created.labels()).isEqualTo(Map.of("team", "payments", "region", "eu"));
      assertThat(created.credentialHash()).isEqualTo("hash-acme");
      assertThat(created.assignmentRevision()).isEqualTo(store.currentRevision());
      assertThat(store.findInstance("acme-prod")).contains(created);
      assertThat(store.listInstances()).containsExactly(created);
    }

    @Test
    void unknownInstance_isNotFound() {
      instance("acme-prod", "live");

      assertThat(store.findInstance("acme-test")).isEmpty();
    }

    @Test
    void listInstances_listsEveryInstance() {
      instance("acme-prod", "live");
      instance("beta-co", "beta");
      instance("zeta", "test");

      assertThat(store.listInstances())
          .extracting(Instance::id)
          .containsExactlyInAnyOrder("acme-prod", "beta-co", "zeta");
    }

    @Test
    void createInstance_inUnknownRing_isRingNotFoundAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.RING_NOT_FOUND,
          () -> store.createInstance("acme-prod", "canary", Map.of(), "hash-acme", "alice"));

      assertThat(store.findInstance("acme-prod")).isEmpty();
    }

    @Test
    void createInstance_withDuplicateId_isAlreadyExistsAndKeepsTheOriginal() {
      Instance original = instance("acme-prod", "live");

      assertRejectedAndUnchanged(
          ProblemType.ALREADY_EXISTS,
          () -> store.createInstance("acme-prod", "beta", Map.of(), "hash-other", "mallory"));

      assertThat(store.findInstance("acme-prod")).contains(original);
    }

    @Test
    void createInstance_withACredentialHashInUse_isAlreadyExistsAndWritesNothing() {
      instance("acme-prod", "live");

      assertRejectedAndUnchanged(
          ProblemType.ALREADY_EXISTS,
          () -> store.createInstance("beta-co", "beta", Map.of(), "hash-acme-prod", "alice"));

      assertThat(store.findInstance("beta-co")).isEmpty();
    }

    @Test
    void ringMove_raisesTheAssignmentRevisionToTheNewRevision() {
      Instance before = instance("acme-prod", "beta");
      namespace("core");

      Instance moved = store.updateInstance("acme-prod", "live", null, "alice");

      assertThat(moved.ring()).isEqualTo("live");
      assertThat(moved.assignmentRevision())
          .isGreaterThan(before.assignmentRevision())
          .isEqualTo(store.currentRevision());
      assertThat(moved.labels()).isEqualTo(before.labels());
      assertThat(store.findInstance("acme-prod")).contains(moved);
    }

    @Test
    void labelsOnlyUpdate_replacesLabelsButKeepsTheAssignmentRevision() {
      Instance before = instance("acme-prod", "live");
      namespace("core");
      long revision = store.currentRevision();

      Instance updated = store.updateInstance("acme-prod", null, Map.of("tier", "gold"), "alice");

      assertThat(updated.labels()).isEqualTo(Map.of("tier", "gold"));
      assertThat(updated.ring()).isEqualTo("live");
      assertThat(updated.assignmentRevision()).isEqualTo(before.assignmentRevision());
      assertThat(store.currentRevision()).isGreaterThan(revision);
      assertThat(store.findInstance("acme-prod")).contains(updated);
    }

    @Test
    void updateNamingTheCurrentRing_isNotAMove() {
      Instance before = instance("acme-prod", "live");
      namespace("core");

      Instance updated = store.updateInstance("acme-prod", "live", Map.of("tier", "gold"), "alice");

      assertThat(updated.assignmentRevision()).isEqualTo(before.assignmentRevision());
    }

    @Test
    void updateInstance_toUnknownRing_isRingNotFoundAndWritesNothing() {
      instance("acme-prod", "live");

      assertRejectedAndUnchanged(
          ProblemType.RING_NOT_FOUND,
          () -> store.updateInstance("acme-prod", "canary", Map.of("x", "y"), "alice"));
    }

    @Test
    void updateInstance_ofUnknownInstance_isInstanceNotFoundAndWritesNothing() {
      instance("acme-prod", "live");

      assertRejectedAndUnchanged(
          ProblemType.INSTANCE_NOT_FOUND,
          () -> store.updateInstance("acme-test", "beta", null, "alice"));
    }

    @Test
    void replaceInstanceCredential_replacesOnlyTheHash() {
      Instance before = instance("acme-prod", "live");

      store.replaceInstanceCredential("acme-prod", "hash-rotated", "alice");

      Instance after = store.findInstance("acme-prod").orElseThrow();
      assertThat(after.credentialHash()).isEqualTo("hash-rotated");
      assertThat(after.ring()).isEqualTo(before.ring());
      assertThat(after.labels()).isEqualTo(before.labels());
      assertThat(after.assignmentRevision()).isEqualTo(before.assignmentRevision());
    }

    @Test
    void replaceInstanceCredential_ofUnknownInstance_isInstanceNotFoundAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.INSTANCE_NOT_FOUND,
          () -> store.replaceInstanceCredential("acme-prod", "hash-rotated", "alice"));
    }

    @Test
    void replaceInstanceCredential_withAnotherInstancesHash_isAlreadyExistsAndWritesNothing() {
      instance("acme-prod", "live");
      instance("beta-co", "beta");

      assertRejectedAndUnchanged(
          ProblemType.ALREADY_EXISTS,
          () -> store.replaceInstanceCredential("acme-prod", "hash-beta-co", "alice"));
    }
  }

  @Nested
  class Namespaces {

    @Test
    void createdNamespace_isFoundAndListed() {
      Namespace created = store.createNamespace("core", "core settings", "alice");

      assertThat(created.name()).isEqualTo("core");
      assertThat(created.description()).isEqualTo("core settings");
      assertThat(created.revision()).isEqualTo(store.currentRevision());
      assertThat(store.findNamespace("core")).contains(created);
      assertThat(store.listNamespaces()).containsExactly(created);
    }

    @Test
    void newNamespace_hasNoLayersAndNoDrafts() {
      namespace("core");

      assertThat(store.latestLayers("core")).isEmpty();
      assertThat(store.listDrafts("core")).isEmpty();
      assertThat(store.layerAt("core", Scope.DEFAULT, store.currentRevision())).isEmpty();
    }

    @Test
    void duplicateNamespace_isAlreadyExistsAndKeepsTheOriginal() {
      Namespace original = namespace("core");

      assertRejectedAndUnchanged(
          ProblemType.ALREADY_EXISTS, () -> store.createNamespace("core", "other", "mallory"));

      assertThat(store.findNamespace("core")).contains(original);
    }

    @Test
    void unknownNamespace_isNotFoundByEveryCallThatNamesIt() {
      namespace("core");

      assertThat(store.findNamespace("features")).isEmpty();
      problem(ProblemType.NAMESPACE_NOT_FOUND, () -> store.latestLayers("features"));
      problem(ProblemType.NAMESPACE_NOT_FOUND, () -> store.listDrafts("features"));
      problem(ProblemType.NAMESPACE_NOT_FOUND, () -> store.history("features", 10));
      assertRejectedAndUnchanged(
          ProblemType.NAMESPACE_NOT_FOUND,
          () -> store.putDraft("features", Scope.DEFAULT, json("{}"), "alice"));
      assertRejectedAndUnchanged(
          ProblemType.NAMESPACE_NOT_FOUND,
          () -> store.publish("features", Set.of(), "nothing", "bob"));
    }
  }

  @Nested
  class Layers {

    @BeforeEach
    void namespaceAndInstance() {
      namespace("core");
      instance("acme-prod", "live");
    }

    @Test
    void putDraft_stagesContentWithoutPublishingIt() {
      Draft draft = store.putDraft("core", Scope.DEFAULT, json("{\"limit\":5}"), "alice");

      assertThat(draft.namespace()).isEqualTo("core");
      assertThat(draft.scope()).isEqualTo(Scope.DEFAULT);
      assertThat(draft.content()).isEqualTo(json("{\"limit\":5}"));
      assertThat(draft.version()).isEqualTo(1);
      assertThat(draft.updatedBy()).isEqualTo("alice");
      assertThat(store.listDrafts("core")).containsExactly(draft);
      assertThat(store.latestLayers("core")).isEmpty();
      assertThat(store.loadState().latestLayers()).isEmpty();
    }

    @Test
    void
        putDraft_withTheVersionItWasReadAt_succeeds_andAStaleVersion_isPreconditionFailedAndChangesNothing() {
      Draft first = store.putDraft("core", Scope.DEFAULT, json("{\"limit\":5}"), "alice", 0L);
      assertThat(first.version()).isEqualTo(1);

      // Bob read version 0 too, before Alice staged: his edit must not silently replace hers.
      ProblemException refused =
          assertRejectedAndUnchanged(
              ProblemType.PRECONDITION_FAILED,
              () -> store.putDraft("core", Scope.DEFAULT, json("{\"limit\":9}"), "bob", 0L));

      assertThat(refused.getMessage()).contains("version 1, not 0");
      assertThat(store.listDrafts("core")).containsExactly(first);
      Draft second = store.putDraft("core", Scope.DEFAULT, json("{\"limit\":9}"), "bob", 1L);
      assertThat(second.version()).isEqualTo(2);
    }

    @Test
    void putDraftAgain_replacesTheContentAndCountsTheEdit() {
      store.putDraft("core", Scope.DEFAULT, json("{\"limit\":5}"), "alice");

      Draft second = store.putDraft("core", Scope.DEFAULT, json("{\"limit\":6}"), "carol");

      assertThat(second.version()).isEqualTo(2);
      assertThat(store.listDrafts("core"))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.content()).isEqualTo(json("{\"limit\":6}"));
                assertThat(d.version()).isEqualTo(2);
                assertThat(d.updatedBy()).isEqualTo("carol");
              });
    }

    @Test
    void putDraft_keepsItsOwnCopyOfTheContent() {
      ObjectNode content = (ObjectNode) json("{\"limit\":5}");
      store.putDraft("core", Scope.DEFAULT, content, "alice");

      content.put("limit", 500);

      assertThat(store.listDrafts("core").get(0).content()).isEqualTo(json("{\"limit\":5}"));
    }

    @Test
    void putDraft_forUnknownRing_isRingNotFoundAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.RING_NOT_FOUND,
          () -> store.putDraft("core", Scope.ring("canary"), json("{\"a\":1}"), "alice"));
    }

    @Test
    void putDraft_forUnknownInstance_isInstanceNotFoundAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.INSTANCE_NOT_FOUND,
          () -> store.putDraft("core", Scope.instance("acme-test"), json("{\"a\":1}"), "alice"));
    }

    @Test
    void publish_turnsDraftsIntoVersionsAtOneNewRevisionAndDiscardsThem() {
      store.putDraft("core", Scope.DEFAULT, json("{\"limit\":5,\"name\":\"x\"}"), "alice");
      store.putDraft("core", Scope.ring("live"), json("{\"limit\":7}"), "alice");
      store.putDraft("core", Scope.instance("acme-prod"), json("{\"name\":\"acme\"}"), "alice");
      long before = store.currentRevision();

      PublishResult result = store.publish("core", Set.of(), "first rollout", "bob");

      assertThat(result.namespace()).isEqualTo("core");
      assertThat(result.revision()).isEqualTo(store.currentRevision()).isGreaterThan(before);
      assertThat(revisionsAppended(before, result.revision())).isEqualTo(1);
      assertThat(result.scopes())
          .containsExactlyInAnyOrder(
              Scope.DEFAULT, Scope.ring("live"), Scope.instance("acme-prod"));
      assertThat(store.listDrafts("core")).isEmpty();
      List<LayerVersion> layers = store.latestLayers("core");
      assertThat(layers)
          .hasSize(3)
          .allSatisfy(
              layer -> {
                assertThat(layer.namespace()).isEqualTo("core");
                assertThat(layer.revision()).isEqualTo(result.revision());
                assertThat(layer.removed()).isFalse();
                assertThat(layer.publishedAt())
                    .isEqualTo(store.findRevision(result.revision()).orElseThrow().createdAt());
              });
      assertThat(layer(layers, Scope.DEFAULT).orElseThrow().content())
          .isEqualTo(json("{\"limit\":5,\"name\":\"x\"}"));
      assertThat(layer(layers, Scope.ring("live")).orElseThrow().content())
          .isEqualTo(json("{\"limit\":7}"));
      assertThat(layer(layers, Scope.instance("acme-prod")).orElseThrow().content())
          .isEqualTo(json("{\"name\":\"acme\"}"));
    }

    @Test
    void publishedContent_roundTripsExactly_includingNullMembersThatRemoveInTheMerge() {
      String content =
          "{\"n\":null,\"nested\":{\"list\":[1,\"two\",{\"three\":3.5}],\"flag\":false},"
              + "\"big\":12345678901234,\"text\":\"gr\u00fc\u00df \u2603 \\\"quoted\\\"\"}";

      PublishResult result = publishLayer("core", Scope.DEFAULT, content);

      assertThat(store.latestLayers("core").get(0).content()).isEqualTo(json(content));
      assertThat(store.layerAt("core", Scope.DEFAULT, result.revision()).orElseThrow().content())
          .isEqualTo(json(content));
    }

    @Test
    void publishWithoutDrafts_isRejectedAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.NO_PENDING_CHANGES, () -> store.publish("core", Set.of(), "empty", "bob"));
    }

    @Test
    void publishingDraftsEqualToThePublishedContent_isRejectedAndWritesNothing() {
      publishLayer("core", Scope.DEFAULT, "{\"a\":1,\"b\":{\"c\":2}}");
      store.putDraft("core", Scope.DEFAULT, json("{\"b\":{\"c\":2},\"a\":1}"), "alice");

      assertRejectedAndUnchanged(
          ProblemType.NO_PENDING_CHANGES, () -> store.publish("core", Set.of(), "same", "bob"));
    }

    @Test
    void publishNamingAScopeWithoutDraft_isRejectedAndKeepsEveryDraft() {
      store.putDraft("core", Scope.DEFAULT, json("{\"a\":1}"), "alice");

      assertRejectedAndUnchanged(
          ProblemType.NO_PENDING_CHANGES,
          () -> store.publish("core", Set.of(Scope.DEFAULT, Scope.ring("live")), "two", "bob"));

      assertThat(store.listDrafts("core")).extracting(Draft::scope).containsExactly(Scope.DEFAULT);
    }

    @Test
    void publishOfSelectedScopes_leavesTheOtherDraftsStaged() {
      store.putDraft("core", Scope.DEFAULT, json("{\"a\":1}"), "alice");
      store.putDraft("core", Scope.ring("live"), json("{\"b\":2}"), "alice");

      PublishResult result = store.publish("core", Set.of(Scope.DEFAULT), "default only", "bob");

      assertThat(result.scopes()).containsExactly(Scope.DEFAULT);
      assertThat(store.latestLayers("core"))
          .extracting(LayerVersion::scope)
          .containsExactly(Scope.DEFAULT);
      assertThat(store.listDrafts("core"))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.scope()).isEqualTo(Scope.ring("live"));
                assertThat(d.content()).isEqualTo(json("{\"b\":2}"));
              });
    }

    @Test
    void publish_versionsOnlyChangedDraftsButDiscardsAllPublishedOnes() {
      PublishResult first = publishLayer("core", Scope.DEFAULT, "{\"a\":1}");
      store.putDraft("core", Scope.DEFAULT, json("{\"a\":1}"), "alice");
      store.putDraft("core", Scope.ring("live"), json("{\"b\":2}"), "alice");

      PublishResult second = store.publish("core", Set.of(), "ring only", "bob");

      assertThat(second.scopes()).containsExactly(Scope.ring("live"));
      List<LayerVersion> layers = store.latestLayers("core");
      assertThat(layer(layers, Scope.DEFAULT).orElseThrow().revision()).isEqualTo(first.revision());
      assertThat(layer(layers, Scope.ring("live")).orElseThrow().revision())
          .isEqualTo(second.revision());
      assertThat(store.listDrafts("core")).isEmpty();
    }

    @Test
    void stagedRemoval_publishesAVersionWithoutContent() {
      publishLayer("core", Scope.ring("live"), "{\"b\":2}");

      Draft removal = store.putDraft("core", Scope.ring("live"), null, "alice");
      assertThat(removal.content()).isNull();
      assertThat(store.listDrafts("core"))
          .singleElement()
          .satisfies(d -> assertThat(d.content()).isNull());
      PublishResult result = store.publish("core", Set.of(), "remove the ring layer", "bob");

      assertThat(result.scopes()).containsExactly(Scope.ring("live"));
      LayerVersion latest = store.latestLayers("core").get(0);
      assertThat(latest.removed()).isTrue();
      assertThat(latest.content()).isNull();
      assertThat(latest.revision()).isEqualTo(result.revision());
      assertThat(store.layerAt("core", Scope.ring("live"), result.revision()))
          .hasValueSatisfying(v -> assertThat(v.removed()).isTrue());
      assertThat(store.loadState().latestLayers())
          .singleElement()
          .satisfies(l -> assertThat(l.removed()).isTrue());
    }

    @Test
    void removalOfALayerThatWasNeverPublished_hasNothingToPublish() {
      store.putDraft("core", Scope.ring("live"), null, "alice");

      assertRejectedAndUnchanged(
          ProblemType.NO_PENDING_CHANGES, () -> store.publish("core", Set.of(), "noop", "bob"));
    }

    @Test
    void layerAt_returnsTheVersionInForceAtEachRevision() {
      long beforeFirst = store.currentRevision();
      long r1 = publishLayer("core", Scope.DEFAULT, "{\"v\":1}").revision();
      instance("filler", "test");
      long r2 = publishLayer("core", Scope.DEFAULT, "{\"v\":2}").revision();
      long r3 = publishLayer("core", Scope.DEFAULT, null).revision();
      long r4 = publishLayer("core", Scope.DEFAULT, "{\"v\":4}").revision();

      assertThat(store.layerAt("core", Scope.DEFAULT, beforeFirst)).isEmpty();
      assertThat(store.layerAt("core", Scope.DEFAULT, r1).orElseThrow().content())
          .isEqualTo(json("{\"v\":1}"));
      assertThat(store.layerAt("core", Scope.DEFAULT, r2 - 1).orElseThrow().revision())
          .isEqualTo(r1);
      assertThat(store.layerAt("core", Scope.DEFAULT, r2).orElseThrow().content())
          .isEqualTo(json("{\"v\":2}"));
      assertThat(store.layerAt("core", Scope.DEFAULT, r3).orElseThrow().removed()).isTrue();
      assertThat(store.layerAt("core", Scope.DEFAULT, r4).orElseThrow().content())
          .isEqualTo(json("{\"v\":4}"));
      assertThat(store.layerAt("core", Scope.DEFAULT, r4 + 100).orElseThrow().revision())
          .isEqualTo(r4);
      assertThat(store.layerAt("core", Scope.ring("live"), r4)).isEmpty();
    }

    @Test
    void publishedVersions_neverChange() {
      long r1 = publishLayer("core", Scope.DEFAULT, "{\"v\":1}").revision();
      LayerVersion original = store.layerAt("core", Scope.DEFAULT, r1).orElseThrow();
      ((ObjectNode) original.content()).put("v", 999);

      publishLayer("core", Scope.DEFAULT, "{\"v\":2}");
      publishLayer("core", Scope.DEFAULT, null);

      LayerVersion again = store.layerAt("core", Scope.DEFAULT, r1).orElseThrow();
      assertThat(again.revision()).isEqualTo(r1);
      assertThat(again.content()).isEqualTo(json("{\"v\":1}"));
      assertThat(again.publishedAt()).isEqualTo(original.publishedAt());
    }

    @Test
    void latestLayers_listsTheNewestVersionOfEachLayerOfThatNamespaceOnly() {
      namespace("features");
      publishLayer("core", Scope.DEFAULT, "{\"v\":1}");
      long r2 = publishLayer("core", Scope.DEFAULT, "{\"v\":2}").revision();
      long r3 = publishLayer("core", Scope.instance("acme-prod"), "{\"i\":1}").revision();
      publishLayer("features", Scope.DEFAULT, "{\"f\":true}");

      List<LayerVersion> layers = store.latestLayers("core");

      assertThat(layers).hasSize(2).allSatisfy(l -> assertThat(l.namespace()).isEqualTo("core"));
      assertThat(layer(layers, Scope.DEFAULT).orElseThrow().revision()).isEqualTo(r2);
      assertThat(layer(layers, Scope.instance("acme-prod")).orElseThrow().revision()).isEqualTo(r3);
    }
  }

  @Nested
  class History {

    @BeforeEach
    void namespaces() {
      namespace("core");
      namespace("features");
      instance("acme-prod", "live");
    }

    @Test
    void history_listsPublishesNewestFirstWithTheirScopes_endingWithTheCreation() {
      long created = store.findNamespace("core").orElseThrow().revision();
      long r1 = publishLayer("core", Scope.DEFAULT, "{\"v\":1}").revision();
      store.putDraft("core", Scope.ring("live"), json("{\"r\":1}"), "alice");
      store.putDraft("core", Scope.instance("acme-prod"), json("{\"i\":1}"), "alice");
      long r2 = store.publish("core", Set.of(), "two layers", "carol").revision();
      long r3 = publishLayer("core", Scope.DEFAULT, null).revision();

      List<HistoryEntry> history = store.history("core", 10);

      assertThat(history)
          .extracting(h -> h.revision().revision())
          .containsExactly(r3, r2, r1, created);
      assertThat(history.get(0).scopes()).containsExactly(Scope.DEFAULT);
      assertThat(history.get(1).scopes())
          .containsExactlyInAnyOrder(Scope.ring("live"), Scope.instance("acme-prod"));
      assertThat(history.get(1).revision().actor()).isEqualTo("carol");
      assertThat(history.get(1).revision().message()).isEqualTo("two layers");
      assertThat(history.get(2).scopes()).containsExactly(Scope.DEFAULT);
      assertThat(history.get(3).scopes()).isEmpty();
      assertThat(history).allSatisfy(h -> assertThat(h.revision().subject()).isEqualTo("core"));
    }

    @Test
    void history_returnsAtMostTheLimitNewestEntries() {
      publishLayer("core", Scope.DEFAULT, "{\"v\":1}");
      long r2 = publishLayer("core", Scope.DEFAULT, "{\"v\":2}").revision();
      long r3 = publishLayer("core", Scope.DEFAULT, "{\"v\":3}").revision();

      assertThat(store.history("core", 2))
          .extracting(h -> h.revision().revision())
          .containsExactly(r3, r2);
    }

    @Test
    void history_ofOneNamespace_leavesOutOtherNamespacesAndOtherWrites() {
      long r1 = publishLayer("core", Scope.DEFAULT, "{\"v\":1}").revision();
      publishLayer("features", Scope.DEFAULT, "{\"f\":1}");
      store.updateInstance("acme-prod", "beta", null, "alice");
      store.createAdminCredential("ops", Role.VIEWER, "hash-ops", "alice");

      List<HistoryEntry> history = store.history("core", 10);

      assertThat(history)
          .extracting(h -> h.revision().revision())
          .containsExactly(r1, store.findNamespace("core").orElseThrow().revision());
      assertThat(store.history("features", 10)).hasSize(2);
    }
  }

  @Nested
  class AdminCredentials {

    @Test
    void createdCredential_isListedWithRoleAndHash() {
      AdminCredential created =
          store.createAdminCredential("ops", Role.PUBLISHER, "hash-ops", "alice");

      assertThat(created.name()).isEqualTo("ops");
      assertThat(created.role()).isEqualTo(Role.PUBLISHER);
      assertThat(created.tokenHash()).isEqualTo("hash-ops");
      assertThat(store.listAdminCredentials()).containsExactly(created);
    }

    @Test
    void duplicateCredentialName_isAlreadyExistsAndWritesNothing() {
      store.createAdminCredential("ops", Role.VIEWER, "hash-ops", "alice");

      assertRejectedAndUnchanged(
          ProblemType.ALREADY_EXISTS,
          () -> store.createAdminCredential("ops", Role.ADMIN, "hash-other", "mallory"));
    }

    @Test
    void duplicateTokenHash_isAlreadyExistsAndWritesNothing() {
      store.createAdminCredential("ops", Role.VIEWER, "hash-ops", "alice");

      assertRejectedAndUnchanged(
          ProblemType.ALREADY_EXISTS,
          () -> store.createAdminCredential("ops2", Role.ADMIN, "hash-ops", "mallory"));
    }

    @Test
    void ensureAdminCredential_createsAMissingCredentialWithOneRevision() {
      long before = store.currentRevision();

      store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-1");

      assertThat(revisionsAppended(before, store.currentRevision())).isEqualTo(1);
      assertThat(store.listAdminCredentials())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.name()).isEqualTo("bootstrap");
                assertThat(c.role()).isEqualTo(Role.ADMIN);
                assertThat(c.tokenHash()).isEqualTo("hash-1");
              });
    }

    @Test
    void ensureAdminCredential_isIdempotentWhenNothingChanged() {
      store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-1");
      List<Object> before = everything();

      store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-1");
      store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-1");

      assertThat(everything()).isEqualTo(before);
    }

    @Test
    void ensureAdminCredential_replacesAChangedHash() {
      store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-1");
      store.createAdminCredential("ops", Role.VIEWER, "hash-ops", "alice");
      long before = store.currentRevision();

      store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-2");

      assertThat(revisionsAppended(before, store.currentRevision())).isEqualTo(1);
      assertThat(store.listAdminCredentials())
          .extracting(AdminCredential::name, AdminCredential::tokenHash)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("bootstrap", "hash-2"),
              org.assertj.core.groups.Tuple.tuple("ops", "hash-ops"));
    }

    @Test
    void ensureAdminCredential_withTheSameConfiguredToken_leavesARotatedOrDemotedBootstrapAlone() {
      store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-1");
      store.createAdminCredential("ops", Role.ADMIN, "hash-ops", "alice");
      store.rotateAdminCredential("bootstrap", "hash-rotated", "admin:ops");
      store.updateAdminCredential(
          "bootstrap", new CredentialUpdate(Role.VIEWER, false, null), "admin:ops");
      long before = store.currentRevision();

      store.ensureAdminCredential(
          "bootstrap", Role.ADMIN, "hash-1"); // a restart with the same token

      assertThat(store.currentRevision()).as("nothing written").isEqualTo(before);
      AdminCredential bootstrap = credential("bootstrap");
      assertThat(bootstrap.tokenHash())
          .as("the retired token stays retired")
          .isEqualTo("hash-rotated");
      assertThat(bootstrap.role()).isEqualTo(Role.VIEWER);
    }

    @Test
    void ensureAdminCredential_withANewConfiguredToken_resetsARevokedBootstrap() {
      store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-1");
      store.createAdminCredential("ops", Role.ADMIN, "hash-ops", "alice");
      store.revokeAdminCredential("bootstrap", "admin:ops");

      store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-2");

      AdminCredential bootstrap = credential("bootstrap");
      assertThat(bootstrap.tokenHash()).isEqualTo("hash-2");
      assertThat(bootstrap.role()).isEqualTo(Role.ADMIN);
      assertThat(bootstrap.revoked()).isFalse();
    }
  }

  private AdminCredential credential(String name) {
    return store.listAdminCredentials().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Revoke, rotate, change role and expiry, last use; the last admin stays; every change audited.
   */
  @Nested
  class AdminCredentialLifecycle {

    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    @BeforeEach
    void twoAdmins() {
      store.createAdminCredential("root", Role.ADMIN, "hash-root", "system");
      store.createAdminCredential("ops", Role.ADMIN, "hash-ops", "admin:root");
    }

    @Test
    void revoke_keepsTheRowMarkedRevoked_withOneRevisionAndOneAuditRow() {
      long before = store.currentRevision();
      int audited = store.auditLog(AuditQuery.latest(1000)).size();

      AdminCredential revoked = store.revokeAdminCredential("ops", "admin:root");

      assertThat(revisionsAppended(before, store.currentRevision())).isEqualTo(1);
      assertThat(revoked.revokedAt()).isNotNull();
      assertThat(credential("ops").revoked()).isTrue();
      assertThat(credential("ops").tokenHash()).as("still recognisable").isEqualTo("hash-ops");
      List<io.holdfast.server.audit.AuditEntry> log = store.auditLog(AuditQuery.latest(1000));
      assertThat(log).hasSize(audited + 1);
      assertThat(log.get(0).action()).isEqualTo("credential.revoke");
      assertThat(log.get(0).actor()).isEqualTo("admin:root");
      assertThat(log.get(0).target()).isEqualTo("credential:ops");
      assertThat(log.get(0).after().get("state").asText()).isEqualTo("revoked");
      assertThat(log.get(0).before().get("state").asText()).isEqualTo("active");
    }

    @Test
    void revoke_twice_isACredentialRevokedProblem_andChangesNothing() {
      store.revokeAdminCredential("ops", "admin:root");
      long before = store.currentRevision();

      problem(
          ProblemType.CREDENTIAL_REVOKED, () -> store.revokeAdminCredential("ops", "admin:root"));
      problem(
          ProblemType.CREDENTIAL_REVOKED,
          () -> store.rotateAdminCredential("ops", "hash-new", "admin:root"));
      problem(
          ProblemType.CREDENTIAL_NOT_FOUND,
          () -> store.revokeAdminCredential("nobody", "admin:root"));

      assertThat(store.currentRevision()).isEqualTo(before);
    }

    @Test
    void theLastUsableAdmin_cannotBeRevokedDemotedOrGivenAnExpiry() {
      store.revokeAdminCredential("ops", "admin:root");
      store.createAdminCredential("viewer", Role.VIEWER, "hash-viewer", "admin:root");
      long before = store.currentRevision();

      problem(ProblemType.LAST_ADMIN, () -> store.revokeAdminCredential("root", "admin:root"));
      problem(
          ProblemType.LAST_ADMIN,
          () ->
              store.updateAdminCredential(
                  "root", new CredentialUpdate(Role.PUBLISHER, false, null), "admin:root"));
      problem(
          ProblemType.LAST_ADMIN,
          () ->
              store.updateAdminCredential(
                  "root", new CredentialUpdate(null, true, FAR), "admin:root"));

      assertThat(store.currentRevision()).isEqualTo(before);
      assertThat(credential("root").usableAt(FAR)).isTrue();
      // A non-admin can always be revoked, and with a second admin the first can go.
      store.revokeAdminCredential("viewer", "admin:root");
      store.createAdminCredential("ops", Role.ADMIN, "hash-ops-2", "admin:root");
      store.revokeAdminCredential("root", "admin:ops");
      assertThat(credential("root").revoked()).isTrue();
    }

    @Test
    void rotate_replacesOnlyTheHash() {
      store.updateAdminCredential(
          "ops", new CredentialUpdate(Role.EDITOR, true, FAR), "admin:root");
      long before = store.currentRevision();

      AdminCredential rotated = store.rotateAdminCredential("ops", "hash-ops-new", "admin:root");

      assertThat(revisionsAppended(before, store.currentRevision())).isEqualTo(1);
      assertThat(rotated.tokenHash()).isEqualTo("hash-ops-new");
      assertThat(credential("ops"))
          .extracting(AdminCredential::tokenHash, AdminCredential::role, AdminCredential::expiresAt)
          .containsExactly("hash-ops-new", Role.EDITOR, FAR);
      assertThat(store.auditLog(AuditQuery.latest(1000)).get(0).action())
          .isEqualTo("credential.rotate");
      assertThat(store.auditLog(AuditQuery.latest(1000)).toString()).doesNotContain("hash-ops");
    }

    @Test
    void update_changesRoleAndExpiry_andAnExpiryCanBeCleared() {
      store.updateAdminCredential(
          "ops", new CredentialUpdate(Role.VIEWER, true, FAR), "admin:root");
      assertThat(credential("ops"))
          .extracting(AdminCredential::role, AdminCredential::expiresAt)
          .containsExactly(Role.VIEWER, FAR);

      store.updateAdminCredential("ops", new CredentialUpdate(null, true, null), "admin:root");
      assertThat(credential("ops"))
          .extracting(AdminCredential::role, AdminCredential::expiresAt)
          .containsExactly(Role.VIEWER, null);
      assertThat(store.auditLog(AuditQuery.latest(1000)).get(0).action())
          .isEqualTo("credential.update");
    }

    @Test
    void anExpiryInThePast_isInvalid() {
      Instant past = Instant.parse("2000-01-01T00:00:00Z");
      problem(
          ProblemType.INVALID_REQUEST,
          () ->
              store.updateAdminCredential(
                  "ops", new CredentialUpdate(null, true, past), "admin:root"));
      problem(
          ProblemType.INVALID_REQUEST,
          () -> store.createAdminCredential("late", Role.VIEWER, "hash-late", past, "x"));
      assertThat(credential("ops").expiresAt()).isNull();
    }

    @Test
    void aRevokedName_canBeTakenByANewCredential() {
      store.revokeAdminCredential("ops", "admin:root");

      store.createAdminCredential("ops", Role.VIEWER, "hash-ops-again", "admin:root");

      assertThat(credential("ops"))
          .extracting(AdminCredential::role, AdminCredential::tokenHash, AdminCredential::revoked)
          .containsExactly(Role.VIEWER, "hash-ops-again", false);
      problem(
          ProblemType.ALREADY_EXISTS,
          () -> store.createAdminCredential("ops", Role.VIEWER, "hash-x", "admin:root"));
    }

    @Test
    void recordUse_movesLastUseForwardOnly_withoutARevision() {
      Instant first = Instant.parse("2030-01-01T00:00:00Z");
      long before = store.currentRevision();

      store.recordAdminCredentialUse(Map.of("ops", first, "gone", first));
      store.recordAdminCredentialUse(Map.of("ops", first.minusSeconds(60)));

      assertThat(store.currentRevision()).as("bookkeeping, not a change").isEqualTo(before);
      assertThat(credential("ops").lastUsedAt()).isEqualTo(first);
      store.recordAdminCredentialUse(Map.of("ops", first.plusSeconds(60)));
      assertThat(credential("ops").lastUsedAt()).isEqualTo(first.plusSeconds(60));
    }

    @Test
    void recordAuditEvent_appendsOneRow_withoutARevision() {
      long before = store.currentRevision();

      store.recordAuditEvent(
          "unknown", "console.login-failed", "console", json("{\"address\":\"192.0.2.1\"}"));

      assertThat(store.currentRevision()).isEqualTo(before);
      io.holdfast.server.audit.AuditEntry entry = store.auditLog(AuditQuery.latest(1000)).get(0);
      assertThat(entry.actor()).isEqualTo("unknown");
      assertThat(entry.after().get("address").asText()).isEqualTo("192.0.2.1");
      assertThat(store.verifyAuditLog().intact()).isTrue();
    }
  }

  @Nested
  class LoadState {

    @Test
    void loadState_holdsTheLatestOfEverythingAtTheCurrentRevision() {
      namespace("core");
      namespace("features");
      Instance acme = instance("acme-prod", "live");
      instance("beta-co", "beta");
      publishLayer("core", Scope.DEFAULT, "{\"v\":1}");
      long r2 = publishLayer("core", Scope.DEFAULT, "{\"v\":2}").revision();
      publishLayer("core", Scope.ring("live"), "{\"r\":1}");
      long r4 = publishLayer("core", Scope.ring("live"), null).revision();
      long r5 = publishLayer("features", Scope.instance("acme-prod"), "{\"f\":1}").revision();
      store.putDraft("core", Scope.DEFAULT, json("{\"draft\":true}"), "alice");
      store.createAdminCredential("ops", Role.EDITOR, "hash-ops", "alice");
      Instance moved = store.updateInstance("beta-co", "dev", null, "alice");

      StoreState state = store.loadState();

      assertThat(state.revision()).isEqualTo(store.currentRevision());
      assertThat(state.rings()).isEqualTo(store.listRings());
      assertThat(state.instances()).containsExactlyInAnyOrder(acme, moved);
      assertThat(state.namespaces()).containsExactlyInAnyOrderElementsOf(store.listNamespaces());
      assertThat(state.adminCredentials())
          .containsExactlyInAnyOrderElementsOf(store.listAdminCredentials());
      assertThat(state.latestLayers())
          .extracting(
              l ->
                  l.namespace()
                      + " "
                      + l.scope()
                      + " @"
                      + l.revision()
                      + (l.removed() ? " removed" : ""))
          .containsExactlyInAnyOrder(
              "core default @" + r2,
              "core ring:live @" + r4 + " removed",
              "features instance:acme-prod @" + r5);
      assertThat(layer(state.latestLayers(), Scope.DEFAULT).orElseThrow().content())
          .isEqualTo(json("{\"v\":2}"));
    }

    @Test
    void loadState_knowsThePublishTimeOfEveryRevisionItReferences() {
      namespace("core");
      instance("acme-prod", "live");
      instance("beta-co", "beta");
      publishLayer("core", Scope.DEFAULT, "{\"v\":1}");
      publishLayer("core", Scope.ring("beta"), "{\"r\":1}");
      store.updateInstance("beta-co", "dev", null, "alice");
      publishLayer("core", Scope.ring("beta"), null);

      StoreState state = store.loadState();

      Set<Long> referenced = new HashSet<>();
      state.instances().forEach(i -> referenced.add(i.assignmentRevision()));
      state.namespaces().forEach(n -> referenced.add(n.revision()));
      state.latestLayers().forEach(l -> referenced.add(l.revision()));
      assertThat(state.revisionTimes()).containsKeys(referenced.toArray(Long[]::new));
      for (long revision : referenced) {
        assertThat(state.revisionTimes().get(revision))
            .as("time of revision %d", revision)
            .isEqualTo(store.findRevision(revision).orElseThrow().createdAt());
      }
    }
  }

  // ------------------------------------------------------------------ applications, subscriptions,
  // audit

  protected static final Instant JAN_2026 = Instant.parse("2026-01-01T00:00:00Z");
  protected static final Instant JUL_2026 = Instant.parse("2026-07-01T00:00:00Z");
  protected static final Instant JAN_2027 = Instant.parse("2027-01-01T00:00:00Z");

  /** A subscription of 25 named seats to {@code application} for {@code [from, until)}. */
  protected static NewSubscription seats(
      String instance, String application, Instant from, Instant until) {
    return new NewSubscription(
        instance, application, 25, 0, SeatModel.NAMED, from, until, "enterprise", "signed by Jo");
  }

  private static SubscriptionChange quantity(long quantity) {
    return new SubscriptionChange(quantity, null, null, false, null, null, null);
  }

  @Nested
  class Applications {

    @Test
    void createdApplication_isListedAndFoundWithItsOwnRevision() {
      long before = store.currentRevision();
      Application crm = store.createApplication("crm", "CRM", "alice");
      store.createApplication("billing", "Billing", "alice");

      assertThat(crm.revision()).isGreaterThan(before);
      assertThat(revisionsAppended(before, crm.revision())).isEqualTo(1);
      assertThat(store.findApplication("crm")).contains(crm);
      assertThat(store.findApplication("hr")).isEmpty();
      assertThat(store.listApplications())
          .extracting(Application::name)
          .containsExactly("billing", "crm");
    }

    @Test
    void duplicateApplication_isAlreadyExistsAndWritesNothing() {
      store.createApplication("crm", "CRM", "alice");

      assertRejectedAndUnchanged(
          ProblemType.ALREADY_EXISTS, () -> store.createApplication("crm", "Other", "bob"));
    }

    @Test
    void updateApplication_changesTheDisplayNameOnly() {
      Application created = store.createApplication("crm", "CRM", "alice");

      Application updated = store.updateApplication("crm", "Customer relations", "bob");

      assertThat(updated.displayName()).isEqualTo("Customer relations");
      assertThat(updated.createdAt()).isEqualTo(created.createdAt());
      assertThat(updated.revision()).isGreaterThan(created.revision());
      assertThat(store.findApplication("crm")).contains(updated);
    }

    @Test
    void updateOfAnUnknownApplication_isApplicationNotFoundAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.APPLICATION_NOT_FOUND, () -> store.updateApplication("crm", "CRM", "alice"));
    }
  }

  @Nested
  class Subscriptions {

    @BeforeEach
    void catalogue() {
      instance("acme-prod", "live");
      instance("beta-co", "beta");
      store.createApplication("crm", "CRM", "alice");
      store.createApplication("billing", "Billing", "alice");
    }

    @Test
    void createdSubscription_isActiveWithANewIdAndExactlyOneNewRevision() {
      long before = store.currentRevision();

      Subscription created =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, JAN_2027), "alice");

      assertThat(created.id()).isNotBlank();
      assertThat(created.status()).isEqualTo(SubscriptionStatus.ACTIVE);
      assertThat(created)
          .extracting(
              Subscription::instance,
              Subscription::application,
              Subscription::quantity,
              Subscription::overage,
              Subscription::seatModel,
              Subscription::validFrom,
              Subscription::validUntil,
              Subscription::plan,
              Subscription::notes)
          .containsExactly(
              "acme-prod",
              "crm",
              25L,
              0L,
              SeatModel.NAMED,
              JAN_2026,
              JAN_2027,
              "enterprise",
              "signed by Jo");
      assertThat(created.revision()).isGreaterThan(before);
      assertThat(revisionsAppended(before, store.currentRevision())).isEqualTo(1);
      assertThat(store.findRevision(created.revision()).orElseThrow().actor()).isEqualTo("alice");
      assertThat(store.findSubscription(created.id())).contains(created);
    }

    @Test
    void twoSubscriptions_getDistinctIds() {
      Subscription first =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, JAN_2027), "alice");
      Subscription second =
          store.createSubscription(seats("beta-co", "crm", JAN_2026, JAN_2027), "alice");

      assertThat(first.id()).isNotEqualTo(second.id());
    }

    @Test
    void subscriptionOfAnUnknownInstance_isInstanceNotFoundAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.INSTANCE_NOT_FOUND,
          () -> store.createSubscription(seats("nobody", "crm", JAN_2026, null), "alice"));
    }

    @Test
    void subscriptionToAnUnknownApplication_isApplicationNotFoundAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.APPLICATION_NOT_FOUND,
          () -> store.createSubscription(seats("acme-prod", "hr", JAN_2026, null), "alice"));
    }

    @Test
    void overlappingPeriodForTheSameInstanceAndApplication_isRejectedAndWritesNothing() {
      Subscription existing =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, JAN_2027), "alice");

      ProblemException overlap =
          assertRejectedAndUnchanged(
              ProblemType.SUBSCRIPTION_OVERLAP,
              () -> store.createSubscription(seats("acme-prod", "crm", JUL_2026, null), "alice"));
      assertThat(overlap.getMessage()).contains(existing.id());
      assertRejectedAndUnchanged(
          ProblemType.SUBSCRIPTION_OVERLAP,
          () ->
              store.createSubscription(
                  seats("acme-prod", "crm", Instant.parse("2025-01-01T00:00:00Z"), JUL_2026),
                  "alice"));
    }

    @Test
    void openEndedSubscription_overlapsEveryLaterPeriod() {
      store.createSubscription(seats("acme-prod", "crm", JAN_2026, null), "alice");

      assertRejectedAndUnchanged(
          ProblemType.SUBSCRIPTION_OVERLAP,
          () ->
              store.createSubscription(
                  seats("acme-prod", "crm", Instant.parse("2030-01-01T00:00:00Z"), null), "alice"));
    }

    @Test
    void adjacentPeriods_otherApplicationsAndOtherInstances_doNotOverlap() {
      store.createSubscription(seats("acme-prod", "crm", JAN_2026, JUL_2026), "alice");

      store.createSubscription(seats("acme-prod", "crm", JUL_2026, JAN_2027), "alice");
      store.createSubscription(seats("acme-prod", "billing", JAN_2026, null), "alice");
      store.createSubscription(seats("beta-co", "crm", JAN_2026, null), "alice");

      assertThat(store.listSubscriptions(SubscriptionFilter.ALL)).hasSize(4);
    }

    @Test
    void cancelledSubscription_leavesItsPeriodFreeForANewOne() {
      Subscription old =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, JAN_2027), "alice");
      store.changeSubscription(old.id(), SubscriptionChange.cancel(), "alice");

      Subscription replacement =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, JAN_2027), "alice");

      assertThat(store.listSubscriptions(SubscriptionFilter.ofInstance("acme-prod")))
          .extracting(Subscription::id, Subscription::status)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(old.id(), SubscriptionStatus.CANCELLED),
              org.assertj.core.groups.Tuple.tuple(replacement.id(), SubscriptionStatus.ACTIVE));
    }

    @Test
    void change_setsOnlyTheNamedFields_andTakesANewRevision() {
      Subscription created =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, JAN_2027), "alice");

      Subscription changed =
          store.changeSubscription(
              created.id(),
              new SubscriptionChange(
                  40L, 5L, null, true, "premium", "upsold", SubscriptionStatus.SUSPENDED),
              "bob");

      assertThat(changed)
          .extracting(
              Subscription::quantity,
              Subscription::overage,
              Subscription::validUntil,
              Subscription::plan,
              Subscription::notes,
              Subscription::status)
          .containsExactly(40L, 5L, null, "premium", "upsold", SubscriptionStatus.SUSPENDED);
      assertThat(changed)
          .extracting(
              Subscription::id,
              Subscription::instance,
              Subscription::application,
              Subscription::validFrom,
              Subscription::createdAt)
          .containsExactly(created.id(), "acme-prod", "crm", JAN_2026, created.createdAt());
      assertThat(changed.revision()).isGreaterThan(created.revision());
      assertThat(store.findSubscription(created.id())).contains(changed);

      Subscription requantified = store.changeSubscription(created.id(), quantity(30), "bob");
      assertThat(requantified.plan()).isEqualTo("premium");
      assertThat(requantified.quantity()).isEqualTo(30);
    }

    @Test
    void C3_aCutTo0_needsAForceReason_andChangesNothingWithout() {
      Subscription created =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, JAN_2027), "alice");
      long revision = store.currentRevision();

      assertRejectedAndUnchanged(
          ProblemType.FORCE_REQUIRED,
          () -> store.changeSubscription(created.id(), quantity(0), "bob"));

      Subscription cut =
          store.changeSubscription(
              created.id(),
              new SubscriptionChange(0L, 0L, null, false, null, null, null, "contract ended early"),
              "bob");
      assertThat(cut.quantity()).isZero();
      assertThat(store.currentRevision()).isGreaterThan(revision);
    }

    @Test
    void changeThatEndsThePeriodBeforeItStarts_isInvalidAndWritesNothing() {
      Subscription created =
          store.createSubscription(seats("acme-prod", "crm", JUL_2026, JAN_2027), "alice");

      assertRejectedAndUnchanged(
          ProblemType.INVALID_REQUEST,
          () ->
              store.changeSubscription(
                  created.id(),
                  new SubscriptionChange(null, null, JUL_2026, false, null, null, null),
                  "bob"));
      assertRejectedAndUnchanged(
          ProblemType.INVALID_REQUEST,
          () ->
              store.changeSubscription(
                  created.id(),
                  new SubscriptionChange(null, null, JAN_2026, false, null, null, null),
                  "bob"));
    }

    @Test
    void changeThatExtendsIntoTheNextPeriod_isAnOverlapAndWritesNothing() {
      Subscription first =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, JUL_2026), "alice");
      store.createSubscription(seats("acme-prod", "crm", JUL_2026, JAN_2027), "alice");

      assertRejectedAndUnchanged(
          ProblemType.SUBSCRIPTION_OVERLAP,
          () ->
              store.changeSubscription(
                  first.id(),
                  new SubscriptionChange(null, null, null, true, null, null, null),
                  "bob"));
    }

    @Test
    void negativeCounts_areInvalidAndWriteNothing() {
      Subscription created =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, null), "alice");

      assertRejectedAndUnchanged(
          ProblemType.INVALID_REQUEST,
          () -> store.changeSubscription(created.id(), quantity(-1), "bob"));
      assertRejectedAndUnchanged(
          ProblemType.INVALID_REQUEST,
          () ->
              store.changeSubscription(
                  created.id(),
                  new SubscriptionChange(null, -2L, null, false, null, null, null),
                  "bob"));
    }

    @Test
    void cancelledSubscription_cannotChangeAnyMore() {
      Subscription created =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, null), "alice");
      store.changeSubscription(created.id(), SubscriptionChange.cancel(), "alice");

      assertRejectedAndUnchanged(
          ProblemType.SUBSCRIPTION_ENDED,
          () -> store.changeSubscription(created.id(), quantity(5), "bob"));
      assertRejectedAndUnchanged(
          ProblemType.SUBSCRIPTION_ENDED,
          () -> store.changeSubscription(created.id(), SubscriptionChange.cancel(), "bob"));
    }

    @Test
    void changeOfAnUnknownSubscription_isSubscriptionNotFoundAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.SUBSCRIPTION_NOT_FOUND,
          () -> store.changeSubscription("no-such-id", quantity(5), "bob"));
    }

    @Test
    void listSubscriptions_filtersByInstanceApplicationAndStatus() {
      Subscription acmeCrm =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, null), "alice");
      Subscription acmeBilling =
          store.createSubscription(seats("acme-prod", "billing", JAN_2026, null), "alice");
      Subscription betaCrm =
          store.createSubscription(seats("beta-co", "crm", JAN_2026, null), "alice");
      store.changeSubscription(betaCrm.id(), SubscriptionChange.cancel(), "alice");

      assertThat(store.listSubscriptions(SubscriptionFilter.ofInstance("acme-prod")))
          .extracting(Subscription::id)
          .containsExactly(acmeBilling.id(), acmeCrm.id());
      assertThat(store.listSubscriptions(new SubscriptionFilter(null, "crm", null)))
          .extracting(Subscription::id)
          .containsExactly(acmeCrm.id(), betaCrm.id());
      assertThat(
              store.listSubscriptions(
                  new SubscriptionFilter(null, null, SubscriptionStatus.CANCELLED)))
          .extracting(Subscription::id)
          .containsExactly(betaCrm.id());
      assertThat(store.listSubscriptions(new SubscriptionFilter("beta-co", "billing", null)))
          .isEmpty();
    }

    @Test
    void loadState_holdsEverySubscriptionAndTheTimeOfItsRevision() {
      Subscription created =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, null), "alice");
      Subscription changed = store.changeSubscription(created.id(), quantity(30), "alice");

      StoreState state = store.loadState();

      assertThat(state.subscriptions()).containsExactly(changed);
      assertThat(state.revisionTimes()).containsKey(changed.revision());
      assertThat(state.revision()).isEqualTo(changed.revision());
    }

    @Test
    void subscriptions_surviveReopening() {
      Subscription created =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, null), "alice");
      List<Object> before = everything();

      restart();

      assertThat(everything()).isEqualTo(before);
      assertThat(store.findSubscription(created.id())).contains(created);
    }
  }

  @Nested
  class Audit {

    @BeforeEach
    void catalogue() {
      instance("acme-prod", "live");
    }

    @Test
    void everyApplicationAndSubscriptionWrite_appendsOneAuditRowWithWhoWhatBeforeAndAfter() {
      store.createApplication("crm", "CRM", "alice");
      Subscription created =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, null), "bob");
      store.changeSubscription(created.id(), quantity(30), "carol");
      store.changeSubscription(created.id(), SubscriptionChange.cancel(), "dave");
      store.updateApplication("crm", "Customer relations", "erin");

      List<AuditEntry> log = store.auditLog(AuditQuery.latest(100));

      assertThat(log)
          .extracting(AuditEntry::action)
          .containsExactly(
              "application.update",
              "subscription.cancel",
              "subscription.change",
              "subscription.create",
              "application.create",
              "instance.create");
      assertThat(log)
          .extracting(AuditEntry::actor)
          .containsExactly("erin", "dave", "carol", "bob", "alice", "alice");
      assertThat(log)
          .extracting(AuditEntry::target)
          .containsExactly(
              "application:crm",
              "subscription:" + created.id(),
              "subscription:" + created.id(),
              "subscription:" + created.id(),
              "application:crm",
              "instance:acme-prod");
      AuditEntry change = log.get(2);
      assertThat(change.before().path("quantity").asLong()).isEqualTo(25);
      assertThat(change.after().path("quantity").asLong()).isEqualTo(30);
      assertThat(change.after().path("notes").asText())
          .as("the audit keeps what operators see")
          .isEqualTo("signed by Jo");
      assertThat(log.get(3).before()).isNull();
      assertThat(log.get(1).after().path("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void rowsAreChained_eachNamingTheHashOfTheOneBefore() {
      store.createApplication("crm", "CRM", "alice");
      store.createApplication("billing", "Billing", "alice");
      store.updateApplication("crm", "CRM 2", "alice");

      List<AuditEntry> log = store.auditLog(AuditQuery.latest(100));

      assertThat(log).extracting(AuditEntry::seq).containsExactly(4L, 3L, 2L, 1L);
      assertThat(log.get(3).prevHash()).isEqualTo(AuditHash.GENESIS);
      assertThat(log.get(2).prevHash()).isEqualTo(log.get(3).hash());
      assertThat(log.get(1).prevHash()).isEqualTo(log.get(2).hash());
      assertThat(log.get(0).prevHash()).isEqualTo(log.get(1).hash());
      AuditVerification verification = store.verifyAuditLog();
      assertThat(verification.intact()).as("%s", verification).isTrue();
      assertThat(verification.checked()).isEqualTo(4);
      assertThat(verification.lastHash()).isEqualTo(log.get(0).hash());
    }

    @Test
    void auditLog_filtersByActionTargetActorAndTime_newestFirstUpToTheLimit() {
      store.createApplication("crm", "CRM", "alice");
      store.createApplication("billing", "Billing", "bob");
      Subscription created =
          store.createSubscription(seats("acme-prod", "crm", JAN_2026, null), "bob");
      store.changeSubscription(created.id(), quantity(30), "alice");

      assertThat(store.auditLog(new AuditQuery("application.create", null, null, null, 10)))
          .extracting(AuditEntry::target)
          .containsExactly("application:billing", "application:crm");
      assertThat(
              store.auditLog(new AuditQuery(null, "subscription:" + created.id(), null, null, 10)))
          .extracting(AuditEntry::action)
          .containsExactly("subscription.change", "subscription.create");
      assertThat(store.auditLog(new AuditQuery(null, "application:", null, null, 10))).hasSize(2);
      assertThat(store.auditLog(new AuditQuery(null, null, "bob", null, 10)))
          .extracting(AuditEntry::action)
          .containsExactly("subscription.create", "application.create");
      assertThat(store.auditLog(AuditQuery.latest(1)))
          .extracting(AuditEntry::action)
          .containsExactly("subscription.change");
      List<AuditEntry> all = store.auditLog(AuditQuery.latest(10));
      Instant newest = all.get(0).at();
      assertThat(store.auditLog(new AuditQuery(null, null, null, newest.plusMillis(1), 10)))
          .isEmpty();
      assertThat(store.auditLog(new AuditQuery(null, null, null, all.get(3).at(), 10)))
          .as("everything at or after the fourth newest row")
          .containsAll(all.subList(0, 4));
    }

    @Test
    void everyOtherAdminWrite_isAuditedToo_withoutCredentialHashes() {
      namespace("core");
      store.createRing("canary", 10, Duration.ofHours(1), "alice");
      store.updateInstance("acme-prod", "canary", Map.of("tier", "gold"), "bob");
      store.replaceInstanceCredential("acme-prod", "hash-rotated", "bob");
      store.putDraft("core", Scope.DEFAULT, json("{\"a\":1}"), "carol");
      PublishResult published = store.publish("core", Set.of(), "first", "dave");
      store.createAdminCredential("ops", Role.EDITOR, "hash-ops", "erin");
      store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-bootstrap");

      List<AuditEntry> log = store.auditLog(AuditQuery.latest(100));

      assertThat(log)
          .extracting(AuditEntry::action)
          .containsExactly(
              "credential.bootstrap",
              "credential.create",
              "namespace.publish",
              "layer.stage",
              "instance.rotate-credential",
              "instance.update",
              "ring.create",
              "namespace.create",
              "instance.create");
      assertThat(log)
          .extracting(AuditEntry::actor)
          .containsExactly(
              "system", "erin", "dave", "carol", "bob", "bob", "alice", "alice", "alice");
      assertThat(log.get(2).after().path("revision").asLong()).isEqualTo(published.revision());
      assertThat(log.get(3).after().path("content")).isEqualTo(json("{\"a\":1}"));
      assertThat(log.get(5).before().path("ring").asText()).isEqualTo("live");
      assertThat(log.get(5).after().path("ring").asText()).isEqualTo("canary");
      assertThat(log.get(1).after().path("role").asText()).isEqualTo("editor");
      assertThat(log)
          .extracting(e -> String.valueOf(e.before()) + e.after())
          .noneSatisfy(text -> assertThat(text).contains("hash-"));
      assertThat(store.verifyAuditLog().intact()).isTrue();
    }

    @Test
    void writesThatFailAfterTheirChecks_leaveNoAuditRow() {
      store.createApplication("crm", "CRM", "alice");
      store.createSubscription(seats("acme-prod", "crm", JAN_2026, null), "alice");
      long rows = store.verifyAuditLog().checked();

      problem(
          ProblemType.SUBSCRIPTION_OVERLAP,
          () -> store.createSubscription(seats("acme-prod", "crm", JUL_2026, null), "alice"));
      problem(ProblemType.ALREADY_EXISTS, () -> store.createApplication("crm", "CRM", "alice"));

      assertThat(store.verifyAuditLog().checked()).isEqualTo(rows);
      assertThat(store.verifyAuditLog().intact()).isTrue();
    }
  }

  /**
   * The check beside every audit listing ({@link ConfigStore#checkAuditLog}) reads only the rows
   * since this store's checkpoint, and still finds tampering from the checkpoint on.
   */
  @Nested
  class AuditCheckpoint {

    @Test
    void theFirstCheckReadsTheWholeLog_theNextOnlyTheCheckpointRowAndWhatCameAfter() {
      auditRows(40);

      AuditVerification first = store.checkAuditLog();
      assertThat(first.intact()).as("%s", first).isTrue();
      assertThat(first.read()).isEqualTo(40);

      auditRows(3);
      AuditVerification next = store.checkAuditLog();
      assertThat(next.intact()).as("%s", next).isTrue();
      assertThat(next.read()).as("rows read").isEqualTo(4);
      assertThat(next.checked()).isEqualTo(43);
      assertThat(next.lastHash()).isEqualTo(store.auditLog(AuditQuery.latest(1)).get(0).hash());

      AuditVerification unchanged = store.checkAuditLog();
      assertThat(unchanged.read()).isEqualTo(1);
      assertThat(unchanged.checked()).isEqualTo(43);
    }

    @Test
    void aFullVerificationMovesTheCheckpointToo() {
      auditRows(25);

      assertThat(store.verifyAuditLog().read()).isEqualTo(25);
      assertThat(store.checkAuditLog().read()).isEqualTo(1);
      assertThat(store.verifyAuditLog().read())
          .as("the full walk always reads everything")
          .isEqualTo(25);
    }

    @Test
    void aRowChangedAfterTheCheckpoint_isFound_andFoundAgainOnEveryCheck() throws Exception {
      auditRows(10);
      assertThat(store.checkAuditLog().intact()).isTrue();
      auditRows(5);

      executeSql("UPDATE audit_log SET actor = 'mallory' WHERE seq = 13");

      AuditVerification check = store.checkAuditLog();
      assertThat(check.firstBrokenSeq()).as("%s", check).isEqualTo(13);
      assertThat(check.problem()).contains("changed after it was written");
      assertThat(store.checkAuditLog().firstBrokenSeq())
          .as("the checkpoint does not pass the break")
          .isEqualTo(13);
      assertThat(store.verifyAuditLog().firstBrokenSeq()).isEqualTo(13);
    }

    @Test
    void theCheckpointRowItselfRewrittenWithAFreshHash_isFound() throws Exception {
      auditRows(10);
      assertThat(store.checkAuditLog().intact()).isTrue();

      // Consistent on its own (content and hash agree) but not the row that was verified.
      AuditEntry row = store.auditLog(AuditQuery.latest(1)).get(0);
      String forged =
          AuditHash.of(
              row.seq(),
              row.at(),
              "admin:mallory",
              row.action(),
              row.target(),
              AuditHash.text(row.before()),
              AuditHash.text(row.after()),
              row.prevHash());
      executeSql(
          "UPDATE audit_log SET actor = 'admin:mallory', hash = '" + forged + "' WHERE seq = 10");

      AuditVerification check = store.checkAuditLog();
      assertThat(check.firstBrokenSeq()).as("%s", check).isEqualTo(10);
      assertThat(check.problem()).contains("rewritten since");
    }

    @Test
    void rowsRemovedFromTheEnd_pastTheCheckpoint_areFound() throws Exception {
      auditRows(10);
      assertThat(store.checkAuditLog().intact()).isTrue();

      executeSql("DELETE FROM audit_log WHERE seq >= 9");

      AuditVerification check = store.checkAuditLog();
      assertThat(check.firstBrokenSeq()).as("%s", check).isEqualTo(10);
      assertThat(check.problem()).contains("removed");
    }

    @Test
    void aRowDeletedAfterTheCheckpoint_isFoundAtTheGap() throws Exception {
      auditRows(10);
      assertThat(store.checkAuditLog().intact()).isTrue();
      auditRows(4);

      executeSql("DELETE FROM audit_log WHERE seq = 12");

      AuditVerification check = store.checkAuditLog();
      assertThat(check.firstBrokenSeq()).as("%s", check).isEqualTo(13);
      assertThat(check.problem()).contains("missing");
    }

    @Test
    void tamperingBeforeTheCheckpoint_isLeftToTheFullVerification() throws Exception {
      auditRows(20);
      assertThat(store.checkAuditLog().intact()).isTrue();

      executeSql("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");

      AuditVerification check = store.checkAuditLog();
      assertThat(check.intact()).as("the listing's check does not read row 2 again").isTrue();
      assertThat(check.read()).isEqualTo(1);
      assertThat(store.verifyAuditLog().firstBrokenSeq()).isEqualTo(2);
    }

    @Test
    void aRestartedStore_startsFromRowOneOnce() {
      auditRows(12);
      assertThat(store.checkAuditLog().read()).isEqualTo(12);

      restart();

      assertThat(store.checkAuditLog().read()).isEqualTo(12);
      assertThat(store.checkAuditLog().read()).isEqualTo(1);
    }

    @Test
    void anEmptyLog_isIntact() {
      AuditVerification check = store.checkAuditLog();

      assertThat(check.intact()).isTrue();
      assertThat(check.read()).isZero();
      assertThat(check.lastHash()).isEqualTo(AuditHash.GENESIS);
    }

    /** Appends {@code count} audit rows, one application each. */
    private void auditRows(int count) {
      long before =
          store.auditLog(AuditQuery.latest(1)).stream()
              .mapToLong(AuditEntry::seq)
              .findFirst()
              .orElse(0);
      for (int i = 1; i <= count; i++) {
        store.createApplication("app-" + (before + i), "App " + (before + i), "alice");
      }
    }
  }

  @Nested
  class Atomicity {

    @Test
    void aRejectedWriteLeavesTheStoreAsItWas_andTheNextWriteSucceeds() {
      namespace("core");
      instance("acme-prod", "live");
      store.putDraft("core", Scope.DEFAULT, json("{\"a\":1}"), "alice");

      assertRejectedAndUnchanged(
          ProblemType.ALREADY_EXISTS,
          () -> store.createInstance("beta-co", "beta", Map.of(), "hash-acme-prod", "alice"));
      assertRejectedAndUnchanged(
          ProblemType.RING_NOT_FOUND,
          () -> store.createInstance("beta-co", "canary", Map.of(), "hash-beta-co", "alice"));
      assertRejectedAndUnchanged(
          ProblemType.NO_PENDING_CHANGES,
          () -> store.publish("core", Set.of(Scope.ring("live")), "none", "bob"));

      long before = store.currentRevision();
      Instance created = store.createInstance("beta-co", "beta", Map.of(), "hash-beta-co", "alice");
      assertThat(created.assignmentRevision()).isGreaterThan(before);
      assertThat(revisionsAppended(before, created.assignmentRevision())).isEqualTo(1);
      assertThat(store.publish("core", Set.of(), "go", "bob").scopes())
          .containsExactly(Scope.DEFAULT);
    }

    @Test
    void concurrentWritesThroughOneStore_allSucceedWithDistinctRevisions() throws Exception {
      int threads = 4;
      int writesPerThread = 10;
      long base = store.currentRevision();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    List<Long> revisions = new ArrayList<>();
                    for (int i = 0; i < writesPerThread; i++) {
                      revisions.add(
                          store
                              .createNamespace("ns-" + thread + "-" + i, "", "writer-" + thread)
                              .revision());
                    }
                    return revisions;
                  }));
        }
        start.countDown();
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> future : futures) {
          List<Long> revisions = future.get(60, TimeUnit.SECONDS);
          assertThat(revisions).as("one writer's revisions").isSorted();
          all.addAll(revisions);
        }
        assertThat(all)
            .hasSize(threads * writesPerThread)
            .doesNotHaveDuplicates()
            .allSatisfy(r -> assertThat(r).isGreaterThan(base));
        assertThat(store.currentRevision())
            .isEqualTo(all.stream().mapToLong(Long::longValue).max().orElseThrow());
        assertThat(store.listNamespaces()).hasSize(threads * writesPerThread);
      } finally {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Nested
  class Durability {

    @Test
    void committedWrites_surviveClosingAndReopeningTheStore() {
      store.createRing("canary", -1, Duration.ofHours(2), "alice");
      namespace("core");
      instance("acme-prod", "canary");
      publishLayer("core", Scope.DEFAULT, "{\"v\":1,\"nested\":{\"x\":[1,2]}}");
      publishLayer("core", Scope.ring("canary"), "{\"c\":true}");
      publishLayer("core", Scope.ring("canary"), null);
      store.putDraft("core", Scope.instance("acme-prod"), json("{\"draft\":1}"), "alice");
      store.createAdminCredential("ops", Role.EDITOR, "hash-ops", "alice");
      store.ensureAdminCredential("bootstrap", Role.ADMIN, "hash-bootstrap");
      List<Object> before = everything();
      long revision = store.currentRevision();

      restart();

      assertThat(everything()).isEqualTo(before);
      assertThat(store.findRevision(revision)).isPresent();
    }

    @Test
    void revisionsContinueAfterReopening_neverReusingANumber() {
      namespace("core");
      long before = publishLayer("core", Scope.DEFAULT, "{\"v\":1}").revision();

      restart();
      long after = publishLayer("core", Scope.DEFAULT, "{\"v\":2}").revision();

      assertThat(after).isGreaterThan(before);
      assertThat(store.layerAt("core", Scope.DEFAULT, before).orElseThrow().content())
          .isEqualTo(json("{\"v\":1}"));
    }
  }

  @Nested
  class Heartbeats {

    private static final Instant RECEIVED = Instant.parse("2026-03-01T12:00:05.250Z");

    @BeforeEach
    void instances() {
      instance("acme-prod", "live");
      instance("beta-co", "beta");
    }

    private JsonNode report(String sdkVersion) {
      return json(
          "{\"sdkVersion\":\""
              + sdkVersion
              + "\",\"sentAt\":\"2026-03-01T12:00:05Z\","
              + "\"namespaces\":{\"core\":{\"revision\":7,\"etag\":\"\\\"abc\\\"\",\"status\":\"FRESH\","
              + "\"since\":\"2026-03-01T11:00:00Z\",\"reason\":null}},\"lastError\":null}");
    }

    @Test
    void recordedHeartbeat_isReadBackWithItsBodyAndReceiveTime() {
      store.recordHeartbeat("acme-prod", report("1.0.0"), RECEIVED);

      Heartbeat heartbeat = store.lastHeartbeat("acme-prod").orElseThrow();

      assertThat(heartbeat.instance()).isEqualTo("acme-prod");
      assertThat(heartbeat.receivedAt()).isEqualTo(RECEIVED);
      assertThat(heartbeat.body()).isEqualTo(report("1.0.0"));
      assertThat(store.lastHeartbeat("beta-co")).as("another instance's heartbeat").isEmpty();
    }

    @Test
    void laterHeartbeat_replacesTheEarlierOne() {
      store.recordHeartbeat("acme-prod", report("1.0.0"), RECEIVED);
      store.recordHeartbeat("beta-co", report("0.9.0"), RECEIVED);

      store.recordHeartbeat("acme-prod", report("1.0.1"), RECEIVED.plusSeconds(30));

      Heartbeat latest = store.lastHeartbeat("acme-prod").orElseThrow();
      assertThat(latest.body()).isEqualTo(report("1.0.1"));
      assertThat(latest.receivedAt()).isEqualTo(RECEIVED.plusSeconds(30));
      assertThat(store.lastHeartbeat("beta-co").orElseThrow().body()).isEqualTo(report("0.9.0"));
      assertThat(store.latestHeartbeats())
          .as("the latest of every instance, by id")
          .containsExactly(latest, store.lastHeartbeat("beta-co").orElseThrow());
    }

    @Test
    void recordingAHeartbeat_appendsNoRevisionAndChangesNothingElse() {
      namespace("core");
      publishLayer("core", Scope.DEFAULT, "{\"a\":1}");
      List<Object> before = everything();
      long revision = store.currentRevision();

      store.recordHeartbeat("acme-prod", report("1.0.0"), RECEIVED);
      store.recordHeartbeat("acme-prod", report("1.0.1"), RECEIVED.plusSeconds(1));

      assertThat(store.currentRevision()).isEqualTo(revision);
      assertThat(store.findRevision(revision + 1)).isEmpty();
      assertThat(everything()).isEqualTo(before);
    }

    @Test
    void heartbeatOfAnUnknownInstance_isInstanceNotFoundAndWritesNothing() {
      assertRejectedAndUnchanged(
          ProblemType.INSTANCE_NOT_FOUND,
          () -> store.recordHeartbeat("acme-test", report("1.0.0"), RECEIVED));

      assertThat(store.lastHeartbeat("acme-test")).isEmpty();
    }

    @Test
    void batchOfHeartbeats_isStoredInOneGo_skippingUnknownInstances() {
      int stored =
          store.recordHeartbeats(
              List.of(
                  new Heartbeat("acme-prod", RECEIVED, report("2.0.0")),
                  new Heartbeat("acme-test", RECEIVED, report("2.0.0")),
                  new Heartbeat("beta-co", RECEIVED.plusSeconds(1), report("2.1.0"))));

      assertThat(stored).isEqualTo(2);
      assertThat(store.lastHeartbeat("acme-prod").orElseThrow().body()).isEqualTo(report("2.0.0"));
      assertThat(store.lastHeartbeat("beta-co").orElseThrow().receivedAt())
          .isEqualTo(RECEIVED.plusSeconds(1));
      assertThat(store.lastHeartbeat("acme-test")).isEmpty();
      assertThat(store.recordHeartbeats(List.of())).isZero();
    }

    @Test
    void batchedHeartbeat_olderThanTheStoredOne_doesNotReplaceIt() {
      // A whole second and times a millisecond either side: compared as times, not as text.
      Instant whole = Instant.parse("2026-03-01T12:00:15Z");
      store.recordHeartbeat("acme-prod", report("3.0.1"), whole);

      store.recordHeartbeats(
          List.of(new Heartbeat("acme-prod", whole.minusMillis(1), report("3.0.0"))));

      assertThat(store.lastHeartbeat("acme-prod").orElseThrow().body()).isEqualTo(report("3.0.1"));
      store.recordHeartbeats(
          List.of(new Heartbeat("acme-prod", whole.plusMillis(1), report("3.0.2"))));
      assertThat(store.lastHeartbeat("acme-prod").orElseThrow().body()).isEqualTo(report("3.0.2"));
    }

    @Test
    void instanceThatNeverSentOne_hasNoHeartbeat() {
      assertThat(store.lastHeartbeat("acme-prod")).isEmpty();
      assertThat(store.lastHeartbeat("nobody")).isEmpty();
    }

    @Test
    void receiveTime_isKeptToTheMillisecond() {
      store.recordHeartbeat("acme-prod", report("1.0.0"), RECEIVED.plusNanos(999_999));

      assertThat(store.lastHeartbeat("acme-prod").orElseThrow().receivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void recordHeartbeat_keepsItsOwnCopyOfTheBody() {
      ObjectNode body = (ObjectNode) report("1.0.0");
      store.recordHeartbeat("acme-prod", body, RECEIVED);

      body.put("sdkVersion", "tampered");

      assertThat(store.lastHeartbeat("acme-prod").orElseThrow().body()).isEqualTo(report("1.0.0"));
    }

    @Test
    void heartbeat_survivesReopening() {
      store.recordHeartbeat("acme-prod", report("1.0.0"), RECEIVED);

      restart();

      assertThat(store.lastHeartbeat("acme-prod"))
          .hasValueSatisfying(
              h -> {
                assertThat(h.body()).isEqualTo(report("1.0.0"));
                assertThat(h.receivedAt()).isEqualTo(RECEIVED);
              });
    }
  }
}
