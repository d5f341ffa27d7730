package io.holdfast.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.fleet.Fleet;
import io.holdfast.server.metrics.ServerMetrics;
import io.holdfast.server.snapshot.SnapshotBuilder;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.server.subscription.Usage;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work that waits on the store (a snapshot refresh, the fleet view for metrics, the subscription
 * figures of a scrape) is serialised by a lock, not a monitor: while one caller waits on a store
 * call that hangs, a second caller, a virtual thread as requests are, parks ({@code WAITING})
 * instead of blocking on a monitor ({@code BLOCKED}), which on JDK 21 to 23 would pin its carrier
 * thread for as long as the store takes.
 */
class LongWorkLocksTest {

  @TempDir Path directory;

  private final ManualTime time = new ManualTime();
  private ConfigStore store;
  private SnapshotBuilder builder;

  @BeforeEach
  void open() throws Exception {
    store =
        new JdbcConfigStore(
            Database.open("jdbc:sqlite:" + directory.resolve("holdfast.db"), Duration.ofSeconds(5)),
            time.clock());
    builder =
        new SnapshotBuilder(
            new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()),
            time.clock());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void snapshotRefresh_whileAnotherWaitsOnTheStore_parksInsteadOfHoldingAMonitor()
      throws Exception {
    HangingCall revision = new HangingCall("currentRevision");
    SnapshotHolder holder =
        new SnapshotHolder(revision.around(ConfigStore.class, store), builder, time.clock());

    assertSecondCallerParks(revision, holder::refresh);

    assertThat(holder.current()).isNotNull();
  }

  @Test
  void fleetRecentView_whileAnotherWaitsOnTheStore_parksInsteadOfHoldingAMonitor()
      throws Exception {
    SnapshotHolder holder = new SnapshotHolder(store, builder, time.clock());
    holder.refresh();
    HangingCall heartbeats = new HangingCall("latestHeartbeats");
    Fleet fleet =
        new Fleet(
            heartbeats.around(ConfigStore.class, store),
            holder,
            time.clock(),
            Duration.ofMinutes(3),
            Duration.ofSeconds(1));

    assertSecondCallerParks(heartbeats, fleet::recentView);

    assertThat(fleet.recentView()).isNotNull();
  }

  @Test
  void metricsScrape_whileAnotherWaitsOnTheSubscriptionFigures_parksInsteadOfHoldingAMonitor()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    try (ServerMetrics metrics = new ServerMetrics(time.clock())) {
      metrics.bindSubscriptions(
          () -> {
            entered.countDown();
            await(released);
            return List.<Usage>of();
          });
      Thread first = Thread.ofVirtual().start(metrics::scrape);
      entered.await();
      Thread second = Thread.ofVirtual().start(metrics::scrape);

      assertThat(HangingCall.awaitStopped(second)).isEqualTo(Thread.State.WAITING);

      released.countDown();
      first.join();
      second.join();
    }
  }

  /**
   * One caller hangs in {@code call}'s store method; a second one must park, and both finish once
   * it answers.
   */
  private static void assertSecondCallerParks(HangingCall call, Runnable work)
      throws InterruptedException {
    Thread first = Thread.ofVirtual().start(work);
    call.awaitEntered();
    Thread second = Thread.ofVirtual().start(work);
    try {
      assertThat(HangingCall.awaitStopped(second)).isEqualTo(Thread.State.WAITING);
    } finally {
      call.release();
      first.join();
      second.join();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
