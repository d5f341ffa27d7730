package io.holdfast.bench.push;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Push at fleet scale (issue 8): N watchers on one replica, in a process of its own, held by {@link
 * WatchFleet} over one selector thread. For Holdfast and, in the same run, for a plain long-polling
 * server on the JDK's HttpServer ({@link PushBenchServer}) with the same harness:
 *
 * <ol>
 *   <li>publish latency: from sending a publish to each watcher's answer, p50/p99/max over several
 *       publishes, one at a time;
 *   <li>server memory per watcher: the server's resident set and its heap after a full GC, with
 *       every watcher waiting, against the same server idle;
 *   <li>coalescing: a burst of publishes back to back; events per watcher, and whether any watcher
 *       ever saw a revision go backwards;
 *   <li>fairness (Holdfast): one tenant publishing its instance layer as fast as it can while
 *       another publishes now and then; the other's latency, and how many uninvolved watchers woke;
 *   <li>the recovery herd: the server is killed and restarted; the time from its restart until
 *       every watcher is FRESH again, and the 503s on the way.
 * </ol>
 *
 * Arguments: {@code [watchers=10000] [publishes=10] [burst=50] [all|latency|herd|sse]}; {@code
 * latency} runs the first two parts only, for quick comparisons while profiling; {@code herd} the
 * recovery herd alone; {@code sse} the same fleet over event streams instead of long polls ({@link
 * SseBenchmark}).
 */
public final class PushBenchmark {

  /** The longest the harness waits for watchers, the fleet or a server. */
  static final Duration WAIT = Duration.ofSeconds(120);

  private PushBenchmark() {}

  public static void main(String[] args) throws Exception {
    int watchers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int publishes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int burst = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    if (args.length > 3 && args[3].equals("herd")) {
      RecoveryHerd.runAlone(watchers);
      return;
    }
    if (args.length > 3 && args[3].equals("sse")) {
      SseBenchmark.run(watchers, publishes, burst);
      return;
    }
    boolean all = args.length <= 3 || !args[3].equals("latency");
    System.out.printf(
        "push benchmark: %d watchers, %d publishes, a burst of %d (%d cores, %s)%n",
        watchers,
        publishes,
        burst,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.arch"));
    Report plain = run(new PlainPushTarget(), watchers, publishes, burst, all);
    Report holdfast = run(new HoldfastPushTarget(watchers), watchers, publishes, burst, all);
    print(plain, holdfast);
  }

  private record Report(
      String server,
      int watchers,
      double[] latencies,
      double acknowledgedP50,
      double[] refresh,
      double rssKbPerWatcher,
      double heapKbPerWatcher,
      int burst,
      double meanEvents,
      long maxEvents,
      int backwards,
      Fairness fairness,
      RecoveryHerd herd) {}

  private record Fairness(
      int busyPublishes,
      double quietP50,
      double quietMax,
      double busyP50,
      double busyMax,
      long othersWoken) {}

  private static Report run(PushTarget target, int size, int publishes, int burst, boolean all)
      throws Exception {
    int port = BenchHttp.freePort();
    URI base = URI.create("http://127.0.0.1:" + port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<ServerProcess> processes = new ArrayList<>();
    ServerProcess server = ServerProcess.start(target.serverArguments(port));
    processes.add(server);
    try (WatchFleet fleet =
        new WatchFleet(new InetSocketAddress("127.0.0.1", port), size, target::token, 42)) {
      // Idle footprint first: the same server, warmed by a few requests, with nobody watching.
      for (int i = 0; i < 200; i++) {
        target.waiting(http, base);
      }
      ServerProcess.Memory idle = server.memory();
      fleet.start(500);
      awaitWaiting(target, http, base, size);
      ServerProcess.Memory loaded = server.memory();
      System.out.printf("%s: %d watchers waiting%n", target.name(), size);

      // Warm-up publishes, not counted.
      int value = 100;
      for (int i = 0; i < PushBenchmark.warmups(); i++) {
        target.prepare(http, base, "core", "default", value++);
        awaitReached(fleet, target.publish(http, base, "core", "default"));
        awaitWaiting(target, http, base, size);
      }
      double[] latencies = new double[publishes * size];
      double[] acknowledged = new double[publishes];
      double[][] refresh = new double[publishes][];
      for (int p = 0; p < publishes; p++) {
        target.prepare(http, base, "core", "default", value++);
        long start = System.nanoTime();
        long revision = target.publish(http, base, "core", "default");
        acknowledged[p] = (System.nanoTime() - start) / 1e6;
        awaitReached(fleet, revision);
        refresh[p] = target.lastRefresh(http, base, revision);
        for (int i = 0; i < size; i++) {
          latencies[p * size + i] = (fleet.heardAt.get(i) - start) / 1e6;
        }
        awaitWaiting(target, http, base, size);
      }

      if (!all) {
        return new Report(
            target.name(),
            size,
            latencies,
            median(acknowledged),
            medians(refresh),
            (loaded.rssKb() - idle.rssKb()) / (double) size,
            (loaded.heapKb() - idle.heapKb()) / (double) size,
            0,
            Double.NaN,
            0,
            0,
            null,
            null);
      }
      fleet.resetEvents();
      long last = burst(target, base, burst);
      awaitReached(fleet, last);
      long maxEvents = 0;
      long totalEvents = 0;
      for (int i = 0; i < size; i++) {
        maxEvents = Math.max(maxEvents, fleet.events.get(i));
        totalEvents += fleet.events.get(i);
      }
      int backwards = fleet.wentBackwards.get();
      awaitWaiting(target, http, base, size);

      Fairness fairness =
          target instanceof HoldfastPushTarget ? fairness(target, http, base, fleet) : null;
      RecoveryHerd herd = RecoveryHerd.measure(server, fleet, processes);
      return new Report(
          target.name(),
          size,
          latencies,
          median(acknowledged),
          medians(refresh),
          (loaded.rssKb() - idle.rssKb()) / (double) size,
          (loaded.heapKb() - idle.heapKb()) / (double) size,
          burst,
          totalEvents / (double) size,
          maxEvents,
          backwards,
          fairness,
          herd);
    } finally {
      for (ServerProcess process : processes) {
        process.close();
      }
    }
  }

  /**
   * {@code publishes} publishes from {@link PushTarget#burstNamespaces} publishers at once, each to
   * its own namespace's default layer, as fast as the server acknowledges them; returns the highest
   * revision.
   */
  static long burst(PushTarget target, URI base, int publishes) throws Exception {
    List<String> namespaces = target.burstNamespaces();
    AtomicInteger left = new AtomicInteger(publishes);
    AtomicLong highest = new AtomicLong();
    List<Thread> publishers = new ArrayList<>();
    List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (String namespace : namespaces) {
      HttpClient own = HttpClient.newHttpClient();
      publishers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      int v;
                      while ((v = left.decrementAndGet()) >= 0) {
                        target.prepare(own, base, namespace, "default", 1000 + v);
                        highest.accumulateAndGet(
                            target.publish(own, base, namespace, "default"), Math::max);
                      }
                    } catch (Exception e) {
                      failures.add(e);
                    }
                  }));
    }
    for (Thread publisher : publishers) {
      publisher.join();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    return highest.get();
  }

  /**
   * Tenant {@code i-0} publishes its instance layer back to back on a thread of its own; tenant
   * {@code i-1} publishes its own every 200 ms. Latency of i-1's publishes, quiet and busy, and how
   * many of the other watchers heard anything meanwhile (they should not).
   */
  private static Fairness fairness(PushTarget target, HttpClient http, URI base, WatchFleet fleet)
      throws Exception {
    int rounds = 10;
    double[] quiet = tenantLatencies(target, http, base, fleet, rounds, 0);
    fleet.resetEvents();
    AtomicBoolean busy = new AtomicBoolean(true);
    AtomicInteger busyPublishes = new AtomicInteger();
    AtomicLong busyFailure = new AtomicLong();
    HttpClient busyHttp = HttpClient.newHttpClient();
    Thread noisy =
        Thread.ofPlatform()
            .start(
                () -> {
                  int v = 0;
                  while (busy.get()) {
                    try {
                      target.prepare(busyHttp, base, "core", "instance:i-0", v++);
                      target.publish(busyHttp, base, "core", "instance:i-0");
                      busyPublishes.incrementAndGet();
                    } catch (Exception e) {
                      busyFailure.incrementAndGet();
                    }
                  }
                });
    double[] loaded;
    try {
      loaded = tenantLatencies(target, http, base, fleet, rounds, rounds);
    } finally {
      busy.set(false);
      noisy.join();
    }
    long othersWoken = 0;
    for (int i = 2; i < fleet.size(); i++) {
      othersWoken += fleet.events.get(i);
    }
    Arrays.sort(quiet);
    Arrays.sort(loaded);
    return new Fairness(
        busyPublishes.get(),
        percentile(quiet, 50),
        quiet[quiet.length - 1],
        percentile(loaded, 50),
        loaded[loaded.length - 1],
        othersWoken);
  }

  private static double[] tenantLatencies(
      PushTarget target, HttpClient http, URI base, WatchFleet fleet, int rounds, int firstValue)
      throws Exception {
    double[] latencies = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      target.prepare(http, base, "core", "instance:i-1", firstValue + r);
      long start = System.nanoTime();
      long revision = target.publish(http, base, "core", "instance:i-1");
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (fleet.revision.get(1) < revision) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("tenant i-1 never heard of its publish");
        }
        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
      }
      latencies[r] = (fleet.heardAt.get(1) - start) / 1e6;
      WatchFleet.sleepQuietly(Duration.ofMillis(200));
    }
    return latencies;
  }

  private static void awaitReached(WatchFleet fleet, long revision) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (fleet.reached(revision) < fleet.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            fleet.reached(revision)
                + " of "
                + fleet.size()
                + " watchers reached revision "
                + revision);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(200_000);
    }
  }

  static void awaitWaiting(PushTarget target, HttpClient http, URI base, int size)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    int waiting;
    while ((waiting = target.waiting(http, base)) < size) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + waiting + " of " + size + " watches waiting");
      }
      WatchFleet.sleepQuietly(Duration.ofMillis(20));
    }
  }

  /**
   * Publishes made and waited for before the timed ones, not counted: {@code PUSH_BENCH_WARMUPS},
   * default 3.
   */
  static int warmups() {
    String set = System.getenv("PUSH_BENCH_WARMUPS");
    return set == null || set.isBlank() ? 3 : Integer.parseInt(set.strip());
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** The median of each column. */
  static double[] medians(double[][] rows) {
    double[] medians = new double[rows[0].length];
    for (int column = 0; column < medians.length; column++) {
      double[] values = new double[rows.length];
      for (int row = 0; row < rows.length; row++) {
        values[row] = rows[row][column];
      }
      medians[column] = median(values);
    }
    return medians;
  }

  static double percentile(double[] sorted, double p) {
    int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static void print(Report plain, Report holdfast) {
    System.out.println();
    System.out.printf("%-44s %16s %16s %8s%n", "", plain.server(), holdfast.server(), "ratio");
    for (Report r : List.of(plain, holdfast)) {
      Arrays.sort(r.latencies());
    }
    row(
        "publish to every watcher, p50 ms",
        percentile(plain.latencies(), 50),
        percentile(holdfast.latencies(), 50));
    row(
        "publish to every watcher, p99 ms",
        percentile(plain.latencies(), 99),
        percentile(holdfast.latencies(), 99));
    row(
        "publish to every watcher, max ms",
        plain.latencies()[plain.latencies().length - 1],
        holdfast.latencies()[holdfast.latencies().length - 1]);
    row(
        "publish acknowledged to the publisher, p50 ms",
        plain.acknowledgedP50(),
        holdfast.acknowledgedP50());
    row(
        "server resident memory per watcher, KB",
        plain.rssKbPerWatcher(),
        holdfast.rssKbPerWatcher());
    row(
        "server heap after GC per watcher, KB",
        plain.heapKbPerWatcher(),
        holdfast.heapKbPerWatcher());
    System.out.printf(
        "Holdfast's rebuild for a publish (its own timing, median): read the store %.1f ms, build %.1f ms,"
            + " swap and wake %.1f ms%n",
        holdfast.refresh()[0], holdfast.refresh()[1], holdfast.refresh()[2]);
    if (holdfast.herd() == null) {
      return;
    }
    row(
        "burst of "
            + plain.burst()
            + " publishes ("
            + PushTarget.BURST_NAMESPACES.size()
            + " publishers): events per watcher, mean",
        plain.meanEvents(),
        holdfast.meanEvents());
    row("burst: events per watcher, max", plain.maxEvents(), holdfast.maxEvents());
    row("watchers that saw a revision go backwards", plain.backwards(), holdfast.backwards());
    row(
        "recovery herd: outage, s (kill to ready)",
        plain.herd().outageSeconds(),
        holdfast.herd().outageSeconds());
    row(
        "recovery herd: s from ready to every watcher FRESH",
        plain.herd().secondsToFresh(),
        holdfast.herd().secondsToFresh());
    row("recovery herd: 503s", plain.herd().refused(), holdfast.herd().refused());
    Fairness f = holdfast.fairness();
    System.out.println();
    System.out.printf(
        "fairness (Holdfast): tenant i-1's publish to its watcher, quiet p50 %.1f ms (max %.1f);"
            + " while tenant i-0 published %d times back to back, p50 %.1f ms (max %.1f); other watchers woken: %d%n",
        f.quietP50(), f.quietMax(), f.busyPublishes(), f.busyP50(), f.busyMax(), f.othersWoken());
  }

  private static void row(String label, double plain, double holdfast) {
    System.out.printf(
        "%-44s %16.1f %16.1f %8s%n",
        label, plain, holdfast, plain == 0 ? "-" : String.format("%.2f", holdfast / plain));
  }
}
