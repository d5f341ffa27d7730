package io.holdfast.bench.push;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The recovery herd of the push benchmarks: a server killed under its fleet of watchers and
 * restarted after {@link #OUTAGE}, and the time until every watcher is FRESH again.
 *
 * @param outageSeconds from the kill until the restarted server was ready
 * @param secondsToFresh from ready until every watcher was FRESH again
 * @param refused the 503s the fleet met on the way
 * @param watchers the fleet's size
 */
record RecoveryHerd(double outageSeconds, double secondsToFresh, int refused, int watchers) {

  /** How long the replica is down before the recovery herd: about the same for both servers. */
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  /** Part of the outage left for the server's own start-up. */
  private static final Duration STARTUP_ALLOWANCE = Duration.ofSeconds(3);

  /**
   * Kills the server, restarts it on the same port (adding the new process to {@code processes}),
   * and times the fleet's return to FRESH.
   */
  static RecoveryHerd measure(ServerProcess server, WatchFleet fleet, List<ServerProcess> processes)
      throws Exception {
    int refusedBefore = fleet.refused.get();
    fleet.recountFresh();
    long killed = System.nanoTime();
    server.kill();
    // The same outage for both servers, so the fleet's backoff stands at the same point when
    // each comes back, whatever its start-up time.
    WatchFleet.sleepQuietly(OUTAGE.minus(STARTUP_ALLOWANCE));
    processes.add(ServerProcess.start(server.arguments()));
    long ready = System.nanoTime();
    double outage = (ready - killed) / 1e9;
    long deadline = ready + PushBenchmark.WAIT.toNanos();
    while (fleet.fresh.get() < fleet.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + fleet.fresh.get() + " of " + fleet.size() + " watchers FRESH again");
      }
      WatchFleet.sleepQuietly(Duration.ofMillis(5));
    }
    return new RecoveryHerd(
        outage,
        (System.nanoTime() - ready) / 1e9,
        fleet.refused.get() - refusedBefore,
        fleet.size());
  }

  /**
   * The recovery herd alone (issue 21, {@code bench/herd.sh}): the fleet of simulated SDK clients
   * against one Holdfast replica process, killed and restarted after {@link #OUTAGE}, twice: first
   * backing off after refused connections as the SDK did before issue 21 (up to its one-minute
   * cap), then as it does now (at most {@link io.holdfast.protocol.http.Backoff#REFUSED_CAP}).
   * Prints, per round, the time from the replica being ready until every client is FRESH again, the
   * 503s it answered on the way, and whether it was still ready afterwards.
   */
  static void runAlone(int size) throws Exception {
    System.out.printf(
        "recovery herd: %d clients, one replica down for %d s (%d cores, %s)%n",
        size,
        OUTAGE.toSeconds(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.arch"));
    HoldfastPushTarget target = new HoldfastPushTarget(size);
    int port = BenchHttp.freePort();
    URI base = URI.create("http://127.0.0.1:" + port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<ServerProcess> processes = new ArrayList<>();
    processes.add(ServerProcess.start(target.serverArguments(port)));
    try {
      for (boolean shortRefusals : new boolean[] {false, true}) {
        try (WatchFleet fleet =
            new WatchFleet(
                new InetSocketAddress("127.0.0.1", port), size, target::token, 42, shortRefusals)) {
          fleet.start(500);
          PushBenchmark.awaitWaiting(target, http, base, size);
          RecoveryHerd herd = measure(processes.get(processes.size() - 1), fleet, processes);
          int ready =
              http.send(
                      HttpRequest.newBuilder(base.resolve("/health/ready")).GET().build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode();
          System.out.printf(
              "%-44s outage %5.1f s  all %d FRESH %5.1f s after ready  503s %6d  replica"
                  + " afterwards: %s%n",
              shortRefusals
                  ? "now: refused connections back off <= 5 s"
                  : "before: every failure backs off <= 1 min",
              herd.outageSeconds(),
              herd.watchers(),
              herd.secondsToFresh(),
              herd.refused(),
              ready == 200 ? "ready" : "HTTP " + ready);
        }
      }
    } finally {
      for (ServerProcess process : processes) {
        process.close();
      }
    }
  }
}
