package io.holdfast.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.HoldfastClient;
import io.holdfast.it.ReplicaPair;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS.md E2: 1,000 publishes to one namespace in about ten seconds while twenty real clients
 * (one per instance) watch it through both replicas. Every client ends on the last revision, never
 * applies one out of order, sees for each revision exactly what was published as it, and fetches no
 * more than it applies: no storm of clients × versions. (Whether revisions are skipped depends on
 * whether the store publishes faster than a client's round trip; FAULTS A22 tests the skipping.)
 */
class PublishBurstTest {

  private static final int CLIENTS = 20;
  private static final int PUBLISHES = 1_000;
  private static final long PUBLISH_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10) / PUBLISHES;

  /**
   * A storm replays every version to every client. Here each fetch leads to a change applied (or at
   * most one retry, when one replica is a poll behind the other), and a client applies at most one
   * change per version, skipping those published faster than its round trip.
   */
  private static final int FETCHES_PER_CHANGE = 2;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void E2_thousandPublishesToOneNamespace_everyClientConvergesInOrder_noFetchPerVersion(
      @TempDir Path dir) {
    try (ReplicaPair pair = ReplicaPair.start(dir)) {
      pair.createNamespace("core");
      pair.publish("core", "default", "{\"seq\":0}");
      ManualTime time = new ManualTime();
      Map<String, List<long[]>> applied = new ConcurrentHashMap<>();
      List<HoldfastClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          String id = "e2-" + i;
          HoldfastClient client =
              pair.clientBuilder(id, pair.createInstance(id, "live"), time)
                  .namespaces("core")
                  .build();
          List<long[]> seen = new CopyOnWriteArrayList<>();
          applied.put(id, seen);
          client.addChangeListener(
              (previous, current) -> seen.add(new long[] {current.revision(), seq(current)}));
          client.start();
          clients.add(client);
        }
        pair.proxyA().resetCount();
        pair.proxyB().resetCount();

        Map<Long, Long> seqOfRevision = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        long last = 0;
        for (int seq = 1; seq <= PUBLISHES; seq++) {
          // Paced to the scenario's rate; a slower store simply takes longer.
          long due = started + seq * PUBLISH_EVERY_NANOS;
          long early = due - System.nanoTime();
          if (early > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(early);
          }
          last = pair.publish("core", "default", "{\"seq\":" + seq + "}");
          seqOfRevision.put(last, (long) seq);
        }
        Duration burst = Duration.ofNanos(System.nanoTime() - started);
        long finalRevision = last;
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    clients.stream().allMatch(c -> c.snapshot("core").revision() == finalRevision));
        int fetches = pair.proxyA().requests("/config/") + pair.proxyB().requests("/config/");
        int changes = applied.values().stream().mapToInt(List::size).sum();
        System.out.printf(
            "E2: %d publishes in %d ms; %d clients applied %d changes with %d document fetches%n",
            PUBLISHES, burst.toMillis(), CLIENTS, changes, fetches);

        for (Map.Entry<String, List<long[]>> client : applied.entrySet()) {
          long previous = 0;
          for (long[] change : client.getValue()) {
            assertThat(change[0])
                .as("%s applies revisions in order", client.getKey())
                .isGreaterThan(previous);
            previous = change[0];
            if (seqOfRevision.containsKey(change[0])) {
              assertThat(change[1])
                  .as("%s sees revision %d as it was published", client.getKey(), change[0])
                  .isEqualTo(seqOfRevision.get(change[0]));
            }
          }
          assertThat(previous).as("%s ends on the last revision", client.getKey()).isEqualTo(last);
        }
        assertThat(fetches)
            .as("document fetches for %d changes applied", changes)
            .isLessThanOrEqualTo(FETCHES_PER_CHANGE * changes);
        assertThat(changes).isLessThanOrEqualTo(CLIENTS * (PUBLISHES + 1));
      } finally {
        clients.forEach(HoldfastClient::close);
      }
    }
  }

  private static long seq(ConfigSnapshot snapshot) {
    return snapshot.content().path("seq").asLong(-1);
  }
}
