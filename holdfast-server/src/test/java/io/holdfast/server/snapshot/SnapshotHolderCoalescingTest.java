package io.holdfast.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.model.Scope;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of publishes, each followed by its writer's {@link SnapshotHolder#refresh()} (as the
 * write path does), coalesces into fewer store reads and rebuilds than writers, and every writer
 * still reads its own write in the snapshot refresh returns.
 */
class SnapshotHolderCoalescingTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC);
  private static final int WRITERS = 8;

  @TempDir Path directory;

  private JdbcConfigStore jdbc;
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger rebuilds = new AtomicInteger();
  private final AtomicBoolean holdNextRead = new AtomicBoolean();
  private final CountDownLatch readHeld = new CountDownLatch(1);
  private final CountDownLatch releaseRead = new CountDownLatch(1);
  private SnapshotHolder holder;
  private ExecutorService writers;

  @BeforeEach
  void open() throws Exception {
    jdbc =
        new JdbcConfigStore(
            Database.open("jdbc:sqlite:" + directory.resolve("holdfast.db"), Duration.ofSeconds(5)),
            CLOCK);
    DocumentSigner signer =
        new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    holder = new SnapshotHolder(counting(jdbc), new SnapshotBuilder(signer, CLOCK), CLOCK);
    jdbc.createNamespace("core", "", "alice");
    for (int i = 0; i < WRITERS; i++) {
      jdbc.createInstance("in-" + i, "live", Map.of(), "hash-" + i, "alice");
    }
    holder.refresh();
    writers = Executors.newFixedThreadPool(WRITERS);
  }

  @AfterEach
  void close() {
    releaseRead.countDown();
    writers.shutdownNow();
    holder.close();
    jdbc.close();
  }

  /**
   * The store, counting the reads a refresh makes (the newest revision, then for a rebuild a delta
   * or a whole state) and the rebuilds, and holding the first one after {@link #holdNextRead} is
   * set until {@link #releaseRead} opens.
   */
  private ConfigStore counting(ConfigStore store) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("currentRevision")) {
            reads.incrementAndGet();
          }
          if (method.getName().equals("changesSince") || method.getName().equals("loadState")) {
            reads.incrementAndGet();
            rebuilds.incrementAndGet();
            if (holdNextRead.getAndSet(false)) {
              readHeld.countDown();
              releaseRead.await();
            }
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (ConfigStore)
        Proxy.newProxyInstance(
            ConfigStore.class.getClassLoader(), new Class<?>[] {ConfigStore.class}, handler);
  }

  /** Publishes {@code value} to the instance's own layer, then refreshes: the write path. */
  private EffectiveSnapshot publishAndRefresh(int writer) throws Exception {
    Scope own = Scope.instance("in-" + writer);
    jdbc.putDraft("core", own, new ObjectMapper().readTree("{\"writer\":" + writer + "}"), "alice");
    jdbc.publish("core", Set.of(own), "writer " + writer, "bob");
    return holder.refresh();
  }

  @Test
  void aBurstOfRefreshes_queuedBehindOne_coalesces_andEveryWriterSeesItsWrite() throws Exception {
    holdNextRead.set(true);
    int readsBefore = reads.get();
    int rebuildsBefore = rebuilds.get();
    List<Future<EffectiveSnapshot>> answers = new ArrayList<>();
    answers.add(writers.submit(() -> publishAndRefresh(0)));
    assertThat(readHeld.await(10, TimeUnit.SECONDS)).as("the first refresh reads").isTrue();
    for (int i = 1; i < WRITERS; i++) {
      int writer = i;
      answers.add(writers.submit(() -> publishAndRefresh(writer)));
    }
    // Every other writer has written and waits behind the refresh in progress.
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> holder.refreshesWaiting() == WRITERS - 1);
    releaseRead.countDown();

    for (int i = 0; i < WRITERS; i++) {
      EffectiveSnapshot seen = answers.get(i).get(10, TimeUnit.SECONDS);
      String body =
          new String(seen.instance("in-" + i).document("core").body(), StandardCharsets.UTF_8);
      assertThat(body).as("writer %d reads its own write", i).contains("\"writer\":" + i);
    }
    // The first refresh, then at most one more for all who queued behind it: two rebuilds at most,
    // and the store is asked for its revision by those two refreshes only, not by every writer.
    assertThat(rebuilds.get() - rebuildsBefore).isLessThanOrEqualTo(2);
    assertThat(reads.get() - readsBefore).isLessThanOrEqualTo(4).isLessThan(WRITERS);
    assertThat(holder.coalescedRefreshes()).isGreaterThanOrEqualTo(WRITERS - 2);
  }

  @Test
  void aRefreshThatStartedBeforeTheCallersWrite_doesNotAnswerIt() throws Exception {
    holdNextRead.set(true);
    Future<EffectiveSnapshot> first = writers.submit(() -> publishAndRefresh(2));
    assertThat(readHeld.await(10, TimeUnit.SECONDS)).isTrue();
    // The refresh in progress read the store's revision before this write: it cannot answer it.
    Future<EffectiveSnapshot> late = writers.submit(() -> publishAndRefresh(3));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> holder.refreshesWaiting() == 1);
    releaseRead.countDown();
    first.get(10, TimeUnit.SECONDS);

    EffectiveSnapshot seen = late.get(10, TimeUnit.SECONDS);

    assertThat(new String(seen.instance("in-3").document("core").body(), StandardCharsets.UTF_8))
        .contains("\"writer\":3");
    assertThat(holder.coalescedRefreshes()).isZero();
  }
}
