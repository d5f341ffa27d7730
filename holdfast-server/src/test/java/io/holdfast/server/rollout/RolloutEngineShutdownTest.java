package io.holdfast.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.HangingCall;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shutdown does not wait for a rollout tick: {@code close()} returns while a tick waits inside a
 * database call, the tick stops at its next step, and the lease is given up by whichever of the two
 * ends last, so another replica can lead at once.
 */
class RolloutEngineShutdownTest {

  private static final Duration TTL = Duration.ofSeconds(30);

  @TempDir Path directory;

  private final ManualTime time = new ManualTime();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private JdbcConfigStore store;
  private JdbcRolloutStore rollouts;

  @BeforeEach
  void open() {
    Database database =
        Database.open("jdbc:sqlite:" + directory.resolve("holdfast.db"), Duration.ofSeconds(5));
    store = new JdbcConfigStore(database, time.clock());
    rollouts = new JdbcRolloutStore(database, time.clock());
  }

  @AfterEach
  void close() {
    threads.shutdownNow();
    store.close();
  }

  private RolloutEngine engine(RolloutStore through) {
    return new RolloutEngine(
        through, store, time.clock(), "replica-a", TTL, () -> {}, trigger -> {});
  }

  @Test
  void close_whileATickWaitsOnTheStore_returnsAtOnce_andTheTickGivesUpTheLeaseAsItEnds()
      throws Exception {
    HangingCall freeze =
        new HangingCall("freeze"); // the first database call after the lease is taken
    RolloutEngine engine = engine(freeze.around(RolloutStore.class, rollouts));
    CompletableFuture<List<String>> tick = CompletableFuture.supplyAsync(engine::tick, threads);
    try {
      freeze.awaitEntered();
      assertThat(engine.leader()).isTrue();

      CompletableFuture.runAsync(engine::close, threads).get(5, TimeUnit.SECONDS);

      assertThat(tick).isNotDone();
      assertThat(rollouts.acquireLease(RolloutEngine.LEASE, "replica-b", TTL)).isEmpty();
    } finally {
      freeze.release();
    }
    assertThat(tick.get(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(engine.leader()).isFalse();
    assertThat(rollouts.acquireLease(RolloutEngine.LEASE, "replica-b", TTL)).isPresent();
  }

  @Test
  void close_betweenTicks_givesUpTheLease_andLaterTicksDoNotTakeItAgain() {
    RolloutEngine engine = engine(rollouts);
    engine.tick();
    assertThat(engine.leader()).isTrue();

    engine.close();
    List<String> after = engine.tick();

    assertThat(after).isEmpty();
    assertThat(engine.leader()).isFalse();
    assertThat(rollouts.acquireLease(RolloutEngine.LEASE, "replica-b", TTL)).isPresent();
  }
}
