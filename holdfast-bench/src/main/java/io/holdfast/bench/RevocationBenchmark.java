package io.holdfast.bench;

import io.holdfast.client.HoldfastClient;
import io.holdfast.protocol.signature.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long a published revocation takes to reach a fleet of watching SDK clients (issue 19): N
 * instances, one SDK client each, pin a root and watch one replica; the operator publishes a key
 * set that revokes the key the replica signs with; each client's time is when it first refuses
 * something signed by that key because the key set revokes it (its first such {@code FetchEvent}).
 * The reference in the same run is a configuration change published to the same clients, timed to
 * each one's change listener: a revocation should cost about one watch round-trip more (the key set
 * chain is fetched and verified), never a poll interval. Target: max ≤ 2 s for 1,000 clients.
 *
 * <p>Usage: {@code RevocationBenchmark [clients]} (default 1000). Prints p50 and max per case.
 */
public final class RevocationBenchmark {

  private RevocationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    ExecutorService listeners = Executors.newFixedThreadPool(4);
    List<HoldfastClient> clients = new ArrayList<>();
    try (ClientFixture fixture = ClientFixture.startForFleet()) {
      BenchRoot root = fixture.publishKeySet();
      long creating = System.nanoTime();
      List<String> ids = new ArrayList<>();
      List<String> tokens = new ArrayList<>();
      ids.add(ClientFixture.INSTANCE);
      tokens.add(fixture.token());
      for (int i = 1; i < count; i++) {
        String id = "fleet-" + i;
        ids.add(id);
        tokens.add(fixture.addInstance(id));
      }
      System.out.printf(
          "%d instances created in %.1f s%n", count, (System.nanoTime() - creating) / 1e9);
      AtomicLongArray changed = new AtomicLongArray(count);
      AtomicLongArray refused = new AtomicLongArray(count);
      CountDownLatch allChanged = new CountDownLatch(count);
      CountDownLatch allRefused = new CountDownLatch(count);
      long started = System.nanoTime();
      for (int i = 0; i < count; i++) {
        int index = i;
        HoldfastClient client =
            HoldfastClient.builder()
                .replicas(fixture.replica())
                .instance(ids.get(i), tokens.get(i))
                .trustedRoot(root.root())
                .namespaces("core")
                .heartbeatInterval(Duration.ZERO)
                .executor(listeners)
                .build();
        client.addChangeListener(
            (previous, current) -> {
              if (previous != null
                  && current.getInt("round", 0) == 1
                  && changed.compareAndSet(index, 0, System.nanoTime())) {
                allChanged.countDown();
              }
            });
        client.addFetchListener(
            event -> {
              if (event.reason().contains("revokes")
                  && refused.compareAndSet(index, 0, System.nanoTime())) {
                allRefused.countDown();
              }
            });
        clients.add(client);
      }
      // Started a few at a time: start() waits for the first verified document.
      ExecutorService starting = Executors.newFixedThreadPool(16);
      try {
        for (HoldfastClient client : clients) {
          starting.submit(client::start);
        }
      } finally {
        starting.shutdown();
        starting.awaitTermination(5, TimeUnit.MINUTES);
      }
      for (HoldfastClient client : clients) {
        if (!client.awaitFresh(Duration.ofSeconds(30))) {
          throw new IllegalStateException("a client is not FRESH: " + client.status("core"));
        }
      }
      System.out.printf(
          "%d clients FRESH on one replica, pinning a root, in %.1f s (%d cores)%n",
          count, (System.nanoTime() - started) / 1e9, Runtime.getRuntime().availableProcessors());

      long publish = System.nanoTime();
      fixture.admin(
          "PUT",
          "/v1/admin/namespaces/core/layers/default",
          "{\"seats\":{\"crm\":25,\"helpdesk\":10},\"round\":1}");
      fixture.admin("POST", "/v1/admin/namespaces/core/publish", "{\"message\":\"round 1\"}");
      await(allChanged, "the configuration change");
      report("a configuration change (reference)", publish, changed);

      long revoke = System.nanoTime();
      VerificationKey next = VerificationKey.of(BenchRoot.generate().getPublic());
      fixture.admin(
          "PUT",
          "/v1/admin/keyset",
          new String(
              root.keySet(2, List.of(next), Set.of(fixture.key().keyId())),
              StandardCharsets.UTF_8));
      await(allRefused, "the revocation");
      report("a revocation of the signing key", revoke, refused, Duration.ofSeconds(2));
    } finally {
      clients.forEach(HoldfastClient::close);
      listeners.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          latch.getCount() + " clients never saw " + what + " within 60 s");
    }
  }

  private static void report(String name, long from, AtomicLongArray at) {
    report(name, from, at, null);
  }

  private static void report(String name, long from, AtomicLongArray at, Duration target) {
    long[] millis = new long[at.length()];
    for (int i = 0; i < millis.length; i++) {
      millis[i] = at.get(i) - from;
    }
    Arrays.sort(millis);
    double p50 = millis[millis.length / 2] / 1e6;
    double max = millis[millis.length - 1] / 1e6;
    System.out.printf(
        "%-36s clients %5d  p50 %8.1f ms  max %8.1f ms  %s%n",
        name,
        millis.length,
        p50,
        max,
        target == null
            ? ""
            : max <= target.toMillis()
                ? "target ≤ " + target.toMillis() + " ms: met"
                : "target ≤ " + target.toMillis() + " ms: MISSED");
  }
}
