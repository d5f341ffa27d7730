package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.internal.ManualTime;
import io.holdfast.client.internal.TestDocuments;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Listeners and heartbeats run on the executor the application passes to the builder. */
class ClientExecutorTest {

  private static final TestDocuments DOCS = new TestDocuments();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ManualTime time = new ManualTime();

  private HoldfastClient.Builder builder(URI replica) {
    return HoldfastClient.builder()
        .replicas(replica)
        .instance(TestDocuments.INSTANCE, "token-123")
        .trustedKey(DOCS.key())
        .namespaces("core")
        .watch(false)
        .pollInterval(Duration.ofMillis(20))
        .ticker(time.ticker())
        .clock(time.clock());
  }

  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  @Test
  void anInlineExecutor_callsListenersOnTheSyncThread_andTheClientStartsNoListenerThread()
      throws Exception {
    BlockingQueue<String> listenerThreads = new LinkedBlockingQueue<>();
    try (InProcessReplica replica =
            new InProcessReplica(DOCS, DOCS.envelope("core", 1, "{\"seats\":10}"));
        HoldfastClient client =
            builder(replica.uri())
                .heartbeatInterval(Duration.ZERO)
                .executor(Runnable::run)
                .build()) {
      client.addChangeListener(
          (previous, current) -> listenerThreads.add(Thread.currentThread().getName()));
      client.addStatusListener(
          (namespace, previous, current) -> listenerThreads.add(Thread.currentThread().getName()));
      client.start();

      replica.serve(DOCS.envelope("core", 2, "{\"seats\":20}"));
      assertThat(listenerThreads.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS))
          .isEqualTo("holdfast-client-sync");
      assertThat(listenerThreads.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS))
          .isEqualTo("holdfast-client-sync");
      assertThat(threadAlive("holdfast-client-listeners"))
          .as("the client's own listener thread")
          .isFalse();
    }
  }

  @Test
  void anApplicationExecutor_runsListenersInOrder_andSendsTheHeartbeats() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "application-pool"));
    List<String> handedOverBy = new CopyOnWriteArrayList<>();
    BlockingQueue<Long> revisions = new LinkedBlockingQueue<>();
    List<Long> delivered = new CopyOnWriteArrayList<>();
    BlockingQueue<String> listenerThreads = new LinkedBlockingQueue<>();
    try (InProcessReplica replica =
            new InProcessReplica(DOCS, DOCS.envelope("core", 1, "{\"seats\":10}"));
        HoldfastClient client =
            builder(replica.uri())
                .heartbeatInterval(Duration.ofMillis(50))
                .executor(
                    task -> {
                      handedOverBy.add(Thread.currentThread().getName());
                      pool.execute(task);
                    })
                .build()) {
      client.addChangeListener(
          (previous, current) -> {
            listenerThreads.add(Thread.currentThread().getName());
            delivered.add(current.revision());
            revisions.add(current.revision());
          });
      client.start();
      for (long revision = 2; revision <= 6; revision++) {
        replica.serve(DOCS.envelope("core", revision, "{\"seats\":" + revision + "}"));
        Long heard;
        do {
          heard = revisions.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS);
          assertThat(heard).as("a change for revision " + revision).isNotNull();
        } while (heard != revision);
      }
      replica.nextHeartbeat(heartbeat -> true, WAIT);

      assertThat(delivered).as("changes, in the order they happened").isSorted().contains(1L, 6L);
      assertThat(listenerThreads).isNotEmpty().allMatch("application-pool"::equals);
      assertThat(handedOverBy)
          .as("threads that handed work to the executor")
          .contains("holdfast-client-sync", "holdfast-client-heartbeat");
      assertThat(threadAlive("holdfast-client-listeners"))
          .as("the client's own listener thread")
          .isFalse();
    } finally {
      pool.shutdownNow();
    }
  }
}
