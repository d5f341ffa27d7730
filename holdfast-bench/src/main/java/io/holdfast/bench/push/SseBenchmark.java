package io.holdfast.bench.push;

import io.holdfast.bench.push.ServerProcess.Memory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Push at fleet scale over event streams (issue 21, {@code bench/push.sh N P B sse}): N watchers
 * each hold one checksums event stream ({@link SseFleet}) on a Holdfast replica and, in the same
 * run and with the same harness, on a plain JDK server that streams the same-size event ({@link
 * PlainSseServer}). For each it prints:
 *
 * <ul>
 *   <li>publish to every watcher: from sending a publish to each watcher's event, p50/p99/max over
 *       the publishes, one at a time;
 *   <li>fan-out: from the publish's acknowledgement to the last watcher's event, median and max
 *       over the publishes (the replica runs in a process of its own, so its snapshot swap is not
 *       observable here; the acknowledgement comes after the swap or about with it, see
 *       docs/benchmarks.md), and from the first watcher's event to the last;
 *   <li>events per watcher for a burst of publishes, and whether any saw a revision go backwards;
 *   <li>the server's resident memory and heap after GC per open stream, against the same server
 *       idle.
 * </ul>
 */
final class SseBenchmark {

  private static final Duration WAIT = Duration.ofSeconds(120);

  private SseBenchmark() {}

  /** The plain long-poll target's publishing and counting, against the plain SSE server. */
  private static final class PlainSse extends PlainPushTarget {
    @Override
    public String name() {
      return "plain JDK SSE";
    }

    @Override
    public List<String> serverArguments(int port) {
      return List.of("plain-sse", Integer.toString(port));
    }
  }

  private record Report(
      String server,
      double[] latencies,
      double acknowledgedP50,
      double[] fanOutFromAck,
      double[] spread,
      double[] refresh,
      double rssKbPerWatcher,
      double heapKbPerWatcher,
      double meanEvents,
      long maxEvents,
      int backwards,
      double eventBytes,
      int reconnects) {}

  static void run(int watchers, int publishes, int burst) throws Exception {
    System.out.printf(
        "push benchmark over event streams: %d watchers, %d publishes, a burst of %d (%d cores,"
            + " %s)%n",
        watchers,
        publishes,
        burst,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.arch"));
    Report plain = run(new PlainSse(), watchers, publishes, burst);
    Report holdfast = run(new HoldfastPushTarget(watchers), watchers, publishes, burst);
    print(watchers, burst, plain, holdfast);
  }

  private static Report run(PushTarget target, int size, int publishes, int burst)
      throws Exception {
    int port = BenchHttp.freePort();
    URI base = URI.create("http://127.0.0.1:" + port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (ServerProcess server = ServerProcess.start(target.serverArguments(port));
        SseFleet fleet =
            new SseFleet(new InetSocketAddress("127.0.0.1", port), size, target::token)) {
      for (int i = 0; i < 200; i++) {
        target.waiting(http, base);
      }
      Memory idle = server.memory();
      long opening = System.nanoTime();
      fleet.start(500);
      PushBenchmark.awaitWaiting(target, http, base, size);
      awaitOpen(fleet);
      Memory loaded = server.memory();
      System.out.printf(
          "%s: %d streams open in %.1f s%n",
          target.name(), size, (System.nanoTime() - opening) / 1e9);

      int value = 100;
      for (int i = 0; i < PushBenchmark.warmups(); i++) {
        target.prepare(http, base, "core", "default", value++);
        awaitReached(fleet, target.publish(http, base, "core", "default"));
      }
      int reconnectsBefore = fleet.failures.get();
      double[] latencies = new double[publishes * size];
      double[] acknowledged = new double[publishes];
      double[] fanOut = new double[publishes];
      double[] spread = new double[publishes];
      double[][] refresh = new double[publishes][];
      for (int p = 0; p < publishes; p++) {
        target.prepare(http, base, "core", "default", value++);
        long start = System.nanoTime();
        long revision = target.publish(http, base, "core", "default");
        long ack = System.nanoTime();
        acknowledged[p] = (ack - start) / 1e6;
        awaitReached(fleet, revision);
        refresh[p] = target.lastRefresh(http, base, revision);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
          long at = fleet.heardAt.get(i);
          latencies[p * size + i] = (at - start) / 1e6;
          first = Math.min(first, at);
          last = Math.max(last, at);
        }
        fanOut[p] = (last - ack) / 1e6;
        spread[p] = (last - first) / 1e6;
        // The fleet's loop is idle again before the next publish, as the long-poll mode waits
        // for every watch to be back.
        WatchFleet.sleepQuietly(Duration.ofMillis(200));
      }

      fleet.resetEvents();
      long eventsBefore = fleet.eventCount.get();
      long bytesBefore = fleet.eventBytes.get();
      awaitReached(fleet, PushBenchmark.burst(target, base, burst));
      long maxEvents = 0;
      long totalEvents = 0;
      for (int i = 0; i < size; i++) {
        maxEvents = Math.max(maxEvents, fleet.events.get(i));
        totalEvents += fleet.events.get(i);
      }
      long counted = fleet.eventCount.get() - eventsBefore;
      return new Report(
          target.name(),
          latencies,
          PushBenchmark.median(acknowledged),
          fanOut,
          spread,
          refresh[0].length == 0 ? new double[0] : PushBenchmark.medians(refresh),
          (loaded.rssKb() - idle.rssKb()) / (double) size,
          (loaded.heapKb() - idle.heapKb()) / (double) size,
          totalEvents / (double) size,
          maxEvents,
          fleet.wentBackwards.get(),
          counted == 0 ? 0 : (fleet.eventBytes.get() - bytesBefore) / (double) counted,
          fleet.failures.get() - reconnectsBefore);
    }
  }

  private static void awaitOpen(SseFleet fleet) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (fleet.open.get() < fleet.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + fleet.open.get() + " of " + fleet.size() + " streams open");
      }
      WatchFleet.sleepQuietly(Duration.ofMillis(20));
    }
  }

  private static void awaitReached(SseFleet fleet, long revision) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (fleet.reached(revision) < fleet.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            fleet.reached(revision)
                + " of "
                + fleet.size()
                + " streams reached revision "
                + revision
                + " (stream ends so far: "
                + fleet.failures.get()
                + ")");
      }
      LockSupport.parkNanos(200_000);
    }
  }

  private static void print(int watchers, int burst, Report plain, Report holdfast) {
    System.out.println();
    System.out.printf("%-52s %14s %14s %7s%n", "", plain.server(), holdfast.server(), "ratio");
    for (Report r : List.of(plain, holdfast)) {
      Arrays.sort(r.latencies());
      Arrays.sort(r.fanOutFromAck());
      Arrays.sort(r.spread());
    }
    row("publish to every watcher, p50 ms", p(plain.latencies(), 50), p(holdfast.latencies(), 50));
    row("publish to every watcher, p99 ms", p(plain.latencies(), 99), p(holdfast.latencies(), 99));
    row("publish to every watcher, max ms", max(plain.latencies()), max(holdfast.latencies()));
    row("publish acknowledged, p50 ms", plain.acknowledgedP50(), holdfast.acknowledgedP50());
    row(
        "fan-out, acknowledged to last watcher, median ms",
        p(plain.fanOutFromAck(), 50),
        p(holdfast.fanOutFromAck(), 50));
    row(
        "fan-out, acknowledged to last watcher, max ms",
        max(plain.fanOutFromAck()),
        max(holdfast.fanOutFromAck()));
    row(
        "fan-out, first watcher to last, median ms",
        p(plain.spread(), 50),
        p(holdfast.spread(), 50));
    row(
        "burst of " + burst + " publishes: events per watcher, mean",
        plain.meanEvents(),
        holdfast.meanEvents());
    row("burst: events per watcher, max", plain.maxEvents(), holdfast.maxEvents());
    row("watchers that saw a revision go backwards", plain.backwards(), holdfast.backwards());
    row(
        "server resident memory per stream, KB",
        plain.rssKbPerWatcher(),
        holdfast.rssKbPerWatcher());
    row(
        "server heap after GC per stream, KB",
        plain.heapKbPerWatcher(),
        holdfast.heapKbPerWatcher());
    row(
        "checksums event size, bytes (mean, in the burst)",
        plain.eventBytes(),
        holdfast.eventBytes());
    row("streams ended and reopened while timed", plain.reconnects(), holdfast.reconnects());
    if (holdfast.refresh().length == 3) {
      System.out.printf(
          "Holdfast's rebuild for a publish (its own timing, median): read the store %.1f ms,"
              + " build %.1f ms, swap and wake %.1f ms%n",
          holdfast.refresh()[0], holdfast.refresh()[1], holdfast.refresh()[2]);
    }
    System.out.printf(
        "(%d watchers; fan-out ratio target <= 1.5, p99 target <= 400 ms)%n", watchers);
  }

  private static double p(double[] sorted, double percentile) {
    return PushBenchmark.percentile(sorted, percentile);
  }

  private static double max(double[] sorted) {
    return sorted[sorted.length - 1];
  }

  private static void row(String label, double plain, double holdfast) {
    System.out.printf(
        "%-52s %14.1f %14.1f %7s%n",
        label, plain, holdfast, plain == 0 ? "-" : String.format("%.2f", holdfast / plain));
  }
}
