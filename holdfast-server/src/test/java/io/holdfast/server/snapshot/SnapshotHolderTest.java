package io.holdfast.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.FailingStore;
import io.holdfast.server.model.Scope;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.server.store.StoreUnavailableException;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The holder keeps serving its last snapshot when the store fails (reads survive a database outage). */
class SnapshotHolderTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path directory;

  private FailingStore store;
  private SnapshotHolder holder;

  @BeforeEach
  void open() throws Exception {
    JdbcConfigStore jdbc = new JdbcConfigStore(
        Database.open("jdbc:sqlite:" + directory.resolve("holdfast.db"), Duration.ofSeconds(5)), CLOCK);
    store = new FailingStore(jdbc);
    DocumentSigner signer = new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    holder = new SnapshotHolder(store, new SnapshotBuilder(signer, CLOCK), CLOCK);
    store.createNamespace("core", "", "alice");
    store.createInstance("acme-prod", "live", Map.of(), "hash-acme", "alice");
  }

  @AfterEach
  void close() {
    holder.close();
    store.close();
  }

  private void publish(String content) throws Exception {
    store.putDraft("core", Scope.DEFAULT, new ObjectMapper().readTree(content), "alice");
    store.publish("core", Set.of(), "change", "bob");
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

    assertThat(second.revision()).isEqualTo(store.currentRevision()).isGreaterThan(first.revision());
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
    assertThatThrownBy(() -> waiting.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(holder.nextAfter(served)).isCompletedExceptionally();
    publish("{\"a\":1}");
    EffectiveSnapshot after = holder.refresh();
    assertThat(holder.current()).as("reads still work after close").isSameAs(after);
    assertThat(holder.nextAfter(served)).as("a swap after close does not re-arm the signal").isCompletedExceptionally();
    assertThat(holder.nextAfter(after)).isCompletedExceptionally();
  }
}
