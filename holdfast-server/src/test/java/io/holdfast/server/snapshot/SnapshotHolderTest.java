package io.holdfast.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.FailingStore;
import io.holdfast.server.model.Scope;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.server.store.StoreState;
import io.holdfast.server.store.StoreUnavailableException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The holder keeps serving its last snapshot when the store fails (reads survive a database
 * outage).
 */
class SnapshotHolderTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path directory;

  private FailingStore store;
  private SnapshotBuilder builder;
  private SnapshotHolder holder;

  @BeforeEach
  void open() throws Exception {
    JdbcConfigStore jdbc =
        new JdbcConfigStore(
            Database.open("jdbc:sqlite:" + directory.resolve("holdfast.db"), Duration.ofSeconds(5)),
            CLOCK);
    store = new FailingStore(jdbc);
    DocumentSigner signer =
        new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    builder = new SnapshotBuilder(signer, CLOCK);
    holder = new SnapshotHolder(store, builder, CLOCK);
    store.createNamespace("core", "", "alice");
    store.createInstance("acme-prod", "live", Map.of(), "hash-acme", "alice");
  }

  @AfterEach
  void close() {
    holder.close();
    store.close();
  }

  private void publish(String content) throws Exception {
    publish(Scope.DEFAULT, content);
  }

  private void publish(Scope scope, String content) throws Exception {
    store.putDraft("core", scope, new ObjectMapper().readTree(content), "alice");
    store.publish("core", Set.of(), "change", "bob");
  }

  /**
   * The store, except that {@link ConfigStore#loadState} leaves out the instances in {@code
   * hidden}, as if they had been deleted (the store has no way to delete one), and that it cannot
   * tell what changed ({@link ConfigStore#changesSince} is empty), so the holder loads it whole.
   */
  private static ConfigStore hiding(ConfigStore store, Set<String> hidden) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("changesSince")) {
            return Optional.empty();
          }
          Object result;
          try {
            result = method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (!method.getName().equals("loadState")) {
            return result;
          }
          StoreState state = (StoreState) result;
          return new StoreState(
              state.revision(),
              state.rings(),
              state.instances().stream().filter(i -> !hidden.contains(i.id())).toList(),
              state.namespaces(),
              state.latestLayers(),
              state.adminCredentials(),
              state.revisionTimes(),
              state.subscriptions(),
              state.ringLayers(),
              state.ringSubscriptions(),
              state.deliveries());
        };
    return (ConfigStore)
        Proxy.newProxyInstance(
            ConfigStore.class.getClassLoader(), new Class<?>[] {ConfigStore.class}, handler);
  }

  @Test
  void beforeTheFirstRefresh_thereIsNoSnapshot() {
    assertThat(holder.current()).isNull();
    assertThat(holder.lastStoreSuccess()).isNull();
  }

  @Test
  void refresh_buildsTheSnapshotAtTheStoresRevision() {
    EffectiveSnapshot snapshot = holder.refresh();

    assertThat(snapshot.revision()).isEqualTo(store.currentRevision());
    assertThat(holder.current()).isSameAs(snapshot);
    assertThat(snapshot.instance("acme-prod").document("core")).isNotNull();
    assertThat(holder.lastStoreSuccess()).isEqualTo(CLOCK.instant());
  }

  @Test
  void refreshWithoutNewWrites_keepsTheSameSnapshot() {
    EffectiveSnapshot first = holder.refresh();

    assertThat(holder.refresh()).isSameAs(first);
  }

  @Test
  void refreshAfterAWrite_servesTheNewRevision() throws Exception {
    EffectiveSnapshot first = holder.refresh();
    publish("{\"a\":1}");

    EffectiveSnapshot second = holder.refresh();

    assertThat(second.revision())
        .isEqualTo(store.currentRevision())
        .isGreaterThan(first.revision());
    assertThat(second.instance("acme-prod").document("core").etag())
        .isNotEqualTo(first.instance("acme-prod").document("core").etag());
  }

  @Test
  void storeOutage_keepsServingTheLastSnapshotAndRecordsTheFailure() throws Exception {
    EffectiveSnapshot served = holder.refresh();
    publish("{\"a\":1}");
    store.down.set(true);

    assertThatThrownBy(holder::refresh).isInstanceOf(StoreUnavailableException.class);

    assertThat(holder.current()).isSameAs(served);
    assertThat(holder.lastStoreError()).contains("injected failure");

    store.down.set(false);
    EffectiveSnapshot recovered = holder.refresh();
    assertThat(recovered.revision()).isGreaterThan(served.revision());
    assertThat(holder.lastStoreError()).isNull();
  }

  // ------------------------------------------------------------------ change signal (watch)

  @Test
  void nextAfterTheCurrentSnapshot_completesAtTheNextSwap_withTheNewSnapshot() throws Exception {
    EffectiveSnapshot first = holder.refresh();
    CompletableFuture<EffectiveSnapshot> next = holder.nextAfter(first);
    assertThat(next).isNotDone();

    holder.refresh();
    assertThat(next).as("a refresh without a new revision swaps nothing").isNotDone();
    publish("{\"a\":1}");
    EffectiveSnapshot second = holder.refresh();

    assertThat(next).isCompletedWithValue(second);
    assertThat(holder.nextAfter(second)).as("a fresh future for the next change").isNotDone();
  }

  @Test
  void nextAfterAnOlderSnapshot_isCompleteAtOnce_withTheCurrentOne() throws Exception {
    EffectiveSnapshot first = holder.refresh();
    publish("{\"a\":1}");
    EffectiveSnapshot second = holder.refresh();

    assertThat(holder.nextAfter(first)).isCompletedWithValue(second);
    assertThat(holder.nextAfter(null)).isCompletedWithValue(second);
  }

  @Test
  void failedRefresh_doesNotWakeWatchers() throws Exception {
    EffectiveSnapshot served = holder.refresh();
    CompletableFuture<EffectiveSnapshot> next = holder.nextAfter(served);
    publish("{\"a\":1}");
    store.down.set(true);

    assertThatThrownBy(holder::refresh).isInstanceOf(StoreUnavailableException.class);

    assertThat(next).isNotDone();
  }

  @Test
  void close_failsTheWaitingFuture_andEveryLaterOne_soWatchersReturnAtOnce() throws Exception {
    EffectiveSnapshot served = holder.refresh();
    CompletableFuture<EffectiveSnapshot> waiting = holder.nextAfter(served);

    holder.close();

    assertThat(waiting).isCompletedExceptionally();
    assertThatThrownBy(() -> waiting.get(1, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(holder.nextAfter(served)).isCompletedExceptionally();
    publish("{\"a\":1}");
    EffectiveSnapshot after = holder.refresh();
    assertThat(holder.current()).as("reads still work after close").isSameAs(after);
    assertThat(holder.nextAfter(served))
        .as("a swap after close does not re-arm the signal")
        .isCompletedExceptionally();
    assertThat(holder.nextAfter(after)).isCompletedExceptionally();
  }

  // ------------------------------------------------------------------ per-instance change signal
  // (watch)

  @Test
  void nextChangeFor_aSwapThatChangesOnlyAnotherInstance_leavesTheFutureIncomplete()
      throws Exception {
    store.createInstance("beta-co", "beta", Map.of(), "hash-beta", "alice");
    EffectiveSnapshot first = holder.refresh();
    CompletableFuture<EffectiveSnapshot> acme = holder.nextChangeFor("acme-prod", first);
    CompletableFuture<EffectiveSnapshot> anySwap = holder.nextAfter(first);

    publish(Scope.instance("beta-co"), "{\"b\":1}");
    EffectiveSnapshot second = holder.refresh();

    assertThat(anySwap).as("the swap happened").isCompletedWithValue(second);
    assertThat(second.instance("beta-co").checksums().etag())
        .isNotEqualTo(first.instance("beta-co").checksums().etag());
    assertThat(second.instance("acme-prod").checksums().etag())
        .isEqualTo(first.instance("acme-prod").checksums().etag());
    assertThat(acme).isNotDone();
  }

  @Test
  void nextChangeFor_aSwapThatChangesThisInstancesChecksums_completesWithTheNewSnapshot()
      throws Exception {
    EffectiveSnapshot first = holder.refresh();
    CompletableFuture<EffectiveSnapshot> acme = holder.nextChangeFor("acme-prod", first);
    assertThat(acme).isNotDone();

    publish(Scope.instance("acme-prod"), "{\"a\":1}");
    EffectiveSnapshot second = holder.refresh();

    assertThat(second.instance("acme-prod").checksums().etag())
        .isNotEqualTo(first.instance("acme-prod").checksums().etag());
    assertThat(acme).isCompletedWithValue(second);
    assertThat(holder.nextChangeFor("acme-prod", second))
        .as("a fresh future for the next change")
        .isNotDone();
  }

  @Test
  void nextChangeOf_judgesByTheInstancesViewAlone_likeNextChangeFor() throws Exception {
    store.createInstance("beta-co", "beta", Map.of(), "hash-beta", "alice");
    EffectiveSnapshot first = holder.refresh();
    InstanceView acmeView = first.instance("acme-prod");
    CompletableFuture<EffectiveSnapshot> acme = holder.nextChangeOf("acme-prod", acmeView);

    publish(Scope.instance("beta-co"), "{\"b\":1}");
    holder.refresh();
    assertThat(acme).as("another instance's change").isNotDone();
    assertThat(holder.nextChangeOf("acme-prod", acmeView))
        .as("the view is still the one served")
        .isNotDone();

    publish(Scope.instance("acme-prod"), "{\"a\":1}");
    EffectiveSnapshot third = holder.refresh();
    assertThat(acme).isCompletedWithValue(third);
    assertThat(holder.nextChangeOf("acme-prod", acmeView))
        .as("a view older than the one served completes at once")
        .isCompletedWithValue(third);
    assertThat(holder.nextChangeOf("newcomer", null))
        .as("an instance that still does not exist")
        .isNotDone();
  }

  @Test
  void nextChangeFor_aSwapThatOnlyRotatesThisInstancesCredential_completesIt() {
    EffectiveSnapshot first = holder.refresh();
    CompletableFuture<EffectiveSnapshot> acme = holder.nextChangeFor("acme-prod", first);

    store.replaceInstanceCredential("acme-prod", "hash-acme-rotated", "alice");
    EffectiveSnapshot second = holder.refresh();

    assertThat(second.instance("acme-prod").checksums())
        .as("nothing it reads changed")
        .isSameAs(first.instance("acme-prod").checksums());
    assertThat(second.instance("acme-prod").credentialHash()).isEqualTo("hash-acme-rotated");
    assertThat(acme)
        .as("its watchers must check their credential again")
        .isCompletedWithValue(second);
  }

  @Test
  void nextChangeFor_anInstanceThatIsDeleted_completesIt() {
    Set<String> hidden = ConcurrentHashMap.newKeySet();
    try (SnapshotHolder deleting = new SnapshotHolder(hiding(store, hidden), builder, CLOCK)) {
      EffectiveSnapshot first = deleting.refresh();
      CompletableFuture<EffectiveSnapshot> acme = deleting.nextChangeFor("acme-prod", first);

      hidden.add("acme-prod");
      store.createInstance("bystander", "beta", Map.of(), "hash-bystander", "alice");
      EffectiveSnapshot second = deleting.refresh();

      assertThat(second.instance("acme-prod")).isNull();
      assertThat(acme).isCompletedWithValue(second);
    }
  }

  @Test
  void nextChangeFor_anInstanceThatAppears_completesIt() {
    EffectiveSnapshot first = holder.refresh();
    CompletableFuture<EffectiveSnapshot> newcomer = holder.nextChangeFor("newcomer", first);
    assertThat(newcomer).as("no such instance yet").isNotDone();

    store.createInstance("newcomer", "beta", Map.of(), "hash-newcomer", "alice");
    EffectiveSnapshot second = holder.refresh();

    assertThat(newcomer).isCompletedWithValue(second);
  }

  @Test
  void nextChangeFor_aSeenSnapshotOlderThanTheCurrentOne_isCompleteAtOnceOnlyIfThisInstanceDiffers()
      throws Exception {
    store.createInstance("beta-co", "beta", Map.of(), "hash-beta", "alice");
    EffectiveSnapshot first = holder.refresh();
    publish(Scope.instance("acme-prod"), "{\"a\":1}");
    EffectiveSnapshot second = holder.refresh();

    assertThat(holder.nextChangeFor("acme-prod", first)).isCompletedWithValue(second);
    assertThat(holder.nextChangeFor("acme-prod", null))
        .as("nothing seen yet")
        .isCompletedWithValue(second);
    assertThat(holder.nextChangeFor("beta-co", first))
        .as("beta-co is as it was in the older snapshot")
        .isNotDone();
  }

  @Test
  void close_failsPendingInstanceFutures_andLaterOnesFailAtOnce() throws Exception {
    EffectiveSnapshot served = holder.refresh();
    CompletableFuture<EffectiveSnapshot> waiting = holder.nextChangeFor("acme-prod", served);

    holder.close();

    assertThat(waiting).isCompletedExceptionally();
    assertThatThrownBy(() -> waiting.get(1, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(holder.watchedInstances()).isZero();
    assertThat(holder.nextChangeFor("acme-prod", served)).isCompletedExceptionally();
    publish(Scope.instance("acme-prod"), "{\"a\":1}");
    EffectiveSnapshot after = holder.refresh();
    assertThat(holder.nextChangeFor("acme-prod", after))
        .as("a swap after close does not re-arm it")
        .isCompletedExceptionally();
    assertThat(holder.nextChangeFor("acme-prod", served)).isCompletedExceptionally();
    assertThat(holder.watchedInstances()).isZero();
  }

  @Test
  void watchedInstances_countsInstancesWaiting_andDropsBackAfterTheCompletingSwap()
      throws Exception {
    store.createInstance("beta-co", "beta", Map.of(), "hash-beta", "alice");
    EffectiveSnapshot first = holder.refresh();
    assertThat(holder.watchedInstances()).isZero();

    CompletableFuture<EffectiveSnapshot> acme = holder.nextChangeFor("acme-prod", first);
    assertThat(holder.nextChangeFor("acme-prod", first))
        .as("watchers of one instance share its future")
        .isSameAs(acme);
    CompletableFuture<EffectiveSnapshot> beta = holder.nextChangeFor("beta-co", first);
    assertThat(holder.watchedInstances()).isEqualTo(2);

    publish(Scope.instance("beta-co"), "{\"b\":1}");
    EffectiveSnapshot second = holder.refresh();
    assertThat(beta).isCompletedWithValue(second);
    assertThat(holder.watchedInstances()).isEqualTo(1);

    publish(Scope.instance("acme-prod"), "{\"a\":1}");
    EffectiveSnapshot third = holder.refresh();
    assertThat(acme).isCompletedWithValue(third);
    assertThat(holder.watchedInstances()).isZero();
  }
}
