package io.holdfast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.Scope;
import io.holdfast.server.rollout.ChangeEdit;
import io.holdfast.server.rollout.ChangeRequest;
import io.holdfast.server.rollout.GateVerdict;
import io.holdfast.server.rollout.HealthGate;
import io.holdfast.server.rollout.JdbcRolloutStore;
import io.holdfast.server.rollout.ReleaseMode;
import io.holdfast.server.rollout.RingPolicy;
import io.holdfast.server.rollout.RolloutEngine;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What one pass of the rollout engine costs as the fleet grows: a change baking in ring {@code
 * dev}, every instance of the fleet in that ring with a heartbeat on a real SQLite file, and {@code
 * RolloutEngine.tick()} timed (lease renewal, the reads, the gate, no transition). In the same run,
 * as references: the two store reads a tick makes on their own, and the gate on data already in
 * memory. Prints a table; arguments are the fleet sizes, optionally preceded by {@code
 * --open-changes N}: N more changes, approved but paused, each holding one instance layer, which
 * every tick lists (with their edits, approvals and releases) and leaves alone, so the tick shows
 * what reading open change requests costs.
 */
public final class RolloutGateBenchmark {

  private static final int WARMUP = 5;
  private static final int RUNS = 21;
  private static final ObjectMapper JSON = new ObjectMapper();

  private RolloutGateBenchmark() {}

  public static void main(String[] args) throws Exception {
    int openChanges = 0;
    if (args.length >= 2 && args[0].equals("--open-changes")) {
      openChanges = Integer.parseInt(args[1]);
      args = Arrays.copyOfRange(args, 2, args.length);
    }
    int[] sizes =
        args.length == 0
            ? new int[] {1_000, 10_000}
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    System.out.printf("open changes besides the baking one: %d%n", openChanges);
    System.out.printf(
        "%-8s %-34s %10s %10s %10s%n", "fleet", "operation", "median ms", "p90 ms", "max ms");
    for (int size : sizes) {
      run(size, openChanges);
    }
  }

  private static void run(int size, int openChanges) throws Exception {
    Path dir = Files.createTempDirectory("holdfast-rollout-bench");
    Clock clock = Clock.systemUTC();
    Database database =
        Database.open("jdbc:sqlite:" + dir.resolve("holdfast.db"), Duration.ofSeconds(30));
    try (JdbcConfigStore store = new JdbcConfigStore(database, clock)) {
      JdbcRolloutStore rollouts = new JdbcRolloutStore(database, clock);
      store.createNamespace("core", "bench", "bench");
      store.putDraft("core", Scope.DEFAULT, JSON.readTree("{\"maxUsers\":10}"), "bench");
      store.publish("core", Set.of(), "first", "bench");
      for (int i = 0; i < size; i++) {
        store.createInstance("i-" + i, "dev", Map.of(), "hash-" + i, "bench");
      }
      ChangeRequest change =
          rollouts.createChange(
              "bench",
              List.of(
                  new ChangeEdit("core", Scope.DEFAULT, JSON.readTree("{\"maxUsers\":20}"), null)),
              List.of(),
              0,
              "bench");
      change =
          rollouts.releaseNext(change.id(), change.version(), ReleaseMode.MANUAL, "bench", null);
      change =
          rollouts.releaseNext(change.id(), change.version(), ReleaseMode.MANUAL, "bench", null);
      long revision = change.releaseRevision();
      Instant now = clock.instant();
      List<Heartbeat> heartbeats = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        heartbeats.add(
            new Heartbeat(
                "i-" + i,
                now,
                JSON.readTree(
                    "{\"sdkVersion\":\"bench\",\"sentAt\":\""
                        + now
                        + "\",\"namespaces\":{\"core\":{\"revision\":"
                        + revision
                        + ",\"status\":\"FRESH\",\"since\":\""
                        + now
                        + "\"}},\"application\":{\"status\":\"OK\",\"since\":\""
                        + now
                        + "\"}}")));
      }
      store.recordHeartbeats(heartbeats);
      // Open changes the tick reads but does not move: approved (no approvals required) and
      // paused, each on its own instance's layer because an approved change holds its layers.
      if (openChanges > size) {
        throw new IllegalArgumentException(
            "at most one open change per instance: " + openChanges + " > " + size);
      }
      for (int i = 0; i < openChanges; i++) {
        ChangeRequest open =
            rollouts.createChange(
                "open " + i,
                List.of(
                    new ChangeEdit(
                        "core",
                        Scope.instance("i-" + i),
                        JSON.readTree("{\"maxUsers\":" + i + "}"),
                        null)),
                List.of(),
                0,
                "bench");
        rollouts.setPaused(open.id(), open.version(), true, "bench");
      }

      RolloutEngine engine =
          new RolloutEngine(
              rollouts, store, clock, "bench", Duration.ofMinutes(1), () -> {}, trigger -> {});
      report(
          size,
          "engine tick (gate WAIT: baking)",
          () -> {
            List<String> actions = engine.tick();
            if (!actions.isEmpty()) {
              throw new IllegalStateException("the change moved: " + actions);
            }
            return actions;
          });
      report(
          size,
          "reference: instances + heartbeats",
          () -> List.of(store.listInstances(), store.latestHeartbeats()));
      List<Instance> instances = store.listInstances();
      Map<String, Heartbeat> byInstance = HealthGate.byInstance(store.latestHeartbeats());
      RingPolicy dev = rollouts.ringPolicies().get(1);
      ChangeRequest baking = rollouts.findChange(change.id()).orElseThrow();
      GateVerdict verdict =
          HealthGate.evaluate(dev, baking, instances, byInstance, clock.instant());
      if (verdict.acknowledged() != size) {
        throw new IllegalStateException("expected every instance to confirm: " + verdict);
      }
      report(
          size,
          "reference: gate on data in memory",
          () -> HealthGate.evaluate(dev, baking, instances, byInstance, clock.instant()));
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void report(int size, String operation, Supplier<?> work) {
    for (int i = 0; i < WARMUP; i++) {
      work.get();
    }
    long[] nanos = new long[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      work.get();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "%-8d %-34s %10.2f %10.2f %10.2f%n",
        size,
        operation,
        nanos[RUNS / 2] / 1e6,
        nanos[(int) (RUNS * 0.9)] / 1e6,
        nanos[RUNS - 1] / 1e6);
  }
}
