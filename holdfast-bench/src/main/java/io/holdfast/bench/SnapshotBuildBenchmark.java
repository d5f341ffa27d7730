package io.holdfast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.model.Scope;
import io.holdfast.server.signing.SigningKeyFile;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.SnapshotBuilder;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.server.store.StoreChanges;
import io.holdfast.server.store.StoreState;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * What a publish of a layer every instance reads costs a replica: rebuilding its snapshot, which
 * re-renders and re-signs each instance's document and checksums. Times {@code
 * SnapshotBuilder.build(after, before)} for a fleet on a real SQLite file, built one instance at a
 * time (the reference) and in parallel, and as the floor, the same number of bare Ed25519
 * signatures on one thread. Each operation also prints what every thread allocated per run, the
 * garbage a replica's collector then clears while it serves (issue 21). Arguments: fleet sizes
 * (default 1000 5000).
 */
public final class SnapshotBuildBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RUNS = 7;

  /**
   * Namespaces besides {@code core} and {@code features}, each a small default layer that the
   * publish leaves alone: {@code SNAPSHOT_BENCH_EXTRA_NAMESPACES}, default 0. With 3, every
   * instance has the six documents of {@code bench/push.sh}'s fleet (five and its subscriptions),
   * whose checksums are twice as long.
   */
  private static final int EXTRA_NAMESPACES =
      Integer.parseInt(System.getenv().getOrDefault("SNAPSHOT_BENCH_EXTRA_NAMESPACES", "0"));

  private SnapshotBuildBenchmark() {}

  public static void main(String[] args) throws Exception {
    int[] sizes =
        args.length == 0
            ? new int[] {1_000, 5_000}
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    System.out.printf(
        "%-8s %-44s %10s %14s %12s%n",
        "fleet", "operation", "median ms", "µs/instance", "MB allocated");
    for (int size : sizes) {
      run(size);
    }
  }

  private static void run(int size) throws Exception {
    Path dir = Files.createTempDirectory("holdfast-snapshot-bench");
    Clock clock = Clock.systemUTC();
    DocumentSigner signer = SigningKeyFile.loadOrCreate(dir.resolve("signing-key.pem"));
    try (JdbcConfigStore store =
        new JdbcConfigStore(
            Database.open("jdbc:sqlite:" + dir.resolve("holdfast.db"), Duration.ofSeconds(30)),
            clock)) {
      store.createNamespace("core", "bench", "bench");
      store.createNamespace("features", "bench", "bench");
      publish(
          store,
          "core",
          "{\"maxUsers\":10,\"region\":\"eu\",\"support\":{\"email\":\"support@example.com\"}}");
      publish(store, "features", "{\"newEditor\":false,\"beta\":{\"search\":true}}");
      for (int n = 1; n <= EXTRA_NAMESPACES; n++) {
        store.createNamespace("extra-" + n, "bench", "bench");
        publish(store, "extra-" + n, "{\"n\":0}");
      }
      for (int i = 0; i < size; i++) {
        store.createInstance("i-" + i, "live", Map.of(), "hash-" + i, "bench");
      }
      StoreState before = store.loadState();
      EffectiveSnapshot previous = new SnapshotBuilder(signer, clock, false).build(before, null);
      publish(
          store,
          "core",
          "{\"maxUsers\":11,\"region\":\"eu\",\"support\":{\"email\":\"support@example.com\"}}");
      StoreState after = store.loadState();

      report(size, "store.loadState() after the publish", median(store::loadState));
      SnapshotBuilder oneAtATime = new SnapshotBuilder(signer, clock, false);
      SnapshotBuilder inParallel = new SnapshotBuilder(signer, clock, true);
      Measured sequential = median(() -> oneAtATime.build(after, previous));
      report(size, "rebuild after a publish, one instance at a time", sequential);
      Measured parallel = median(() -> inParallel.build(after, previous));
      // What a replica does: the rebuild starts on a request's virtual thread.
      Measured fromVirtual =
          median(
              () -> {
                try (var virtual =
                    java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                  return virtual.submit(() -> inParallel.build(after, previous)).get();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      report(size, "rebuild after a publish, in parallel", parallel);
      report(size, "the same, started on a virtual thread", fromVirtual);
      // Issue 21: what a replica does now, reading only what changed and rendering only the
      // instances it concerns; a default layer concerns them all, an instance layer one.
      StoreChanges changes = store.changesSince(before.revision()).orElseThrow();
      report(
          size,
          "store.changesSince(R) after the publish",
          median(() -> store.changesSince(before.revision())));
      report(size, "state.with(changes)", median(() -> before.with(changes)));
      report(
          size,
          "incremental rebuild, default layer, parallel",
          median(() -> inParallel.rebuild(before, changes, after, previous)));
      EffectiveSnapshot current = inParallel.build(after, previous);
      store.putDraft("core", Scope.instance("i-1"), JSON.readTree("{\"maxUsers\":12}"), "bench");
      store.publish("core", Set.of(), "bench", "bench");
      StoreChanges one = store.changesSince(after.revision()).orElseThrow();
      StoreState afterOne = after.with(one);
      report(
          size,
          "store.changesSince(R), one instance layer",
          median(() -> store.changesSince(after.revision())));
      report(size, "store.loadState(), the same", median(store::loadState));
      report(
          size,
          "incremental rebuild, one instance layer",
          median(() -> inParallel.rebuild(after, one, afterOne, current)));
      report(size, "full rebuild, the same", median(() -> inParallel.build(afterOne, current)));
      byte[] document = previous.instance("i-0").document("core").body();
      // Two signatures per instance change: the document and its checksums.
      Measured signatures =
          median(
              () -> {
                for (int i = 0; i < 2 * size; i++) {
                  signer.sign(document);
                }
                return null;
              });
      report(size, "reference: " + 2 * size + " bare signatures, one thread", signatures);
    }
  }

  private static void publish(JdbcConfigStore store, String namespace, String content)
      throws Exception {
    store.putDraft(namespace, Scope.DEFAULT, JSON.readTree(content), "bench");
    store.publish(namespace, Set.of(), "bench", "bench");
  }

  /** The median time of a run and the bytes all threads allocated, per run on average. */
  private record Measured(double millis, double megabytes) {}

  private static Measured median(java.util.function.Supplier<?> work) {
    work.get(); // warm-up
    work.get();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] nanos = new long[RUNS];
    long allocatedBefore = threads.getTotalThreadAllocatedBytes();
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      work.get();
      nanos[i] = System.nanoTime() - start;
    }
    long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
    Arrays.sort(nanos);
    return new Measured(nanos[RUNS / 2] / 1e6, allocated / 1e6 / RUNS);
  }

  private static void report(int size, String operation, Measured measured) {
    System.out.printf(
        "%-8d %-44s %10.1f %14.1f %12.1f%n",
        size, operation, measured.millis(), measured.millis() * 1000 / size, measured.megabytes());
  }
}
