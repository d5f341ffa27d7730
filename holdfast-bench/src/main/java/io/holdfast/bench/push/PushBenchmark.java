package io.holdfast.bench.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.model.Scope;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_TOKEN = "push-benchmark-admin-token";
  private static final Duration WAIT = Duration.ofSeconds(120);

  /** A burst comes from this many publishers at once, each to a namespace of its own. */
  private static final List<String> BURST_NAMESPACES =
      List.of("burst-1", "burst-2", "burst-3", "burst-4");

  /** How long the replica is down before the recovery herd: about the same for both servers. */
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  /** Part of the outage left for the server's own start-up. */
  private static final Duration STARTUP_ALLOWANCE = Duration.ofSeconds(3);

  private PushBenchmark() {}

  public static void main(String[] args) throws Exception {
    int watchers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int publishes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int burst = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    if (args.length > 3 && args[3].equals("herd")) {
      herdOnly(watchers);
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
    Report plain = run(new Plain(), watchers, publishes, burst, all);
    Report holdfast = run(new Holdfast(watchers), watchers, publishes, burst, all);
    print(plain, holdfast);
  }

  /** What differs between the two servers: how to start one and how to publish to it. */
  interface Target {
    String name();

    List<String> serverArguments(int port) throws IOException;

    String token(int watcher);

    /** Prepares the next publish (a draft), so the timed part is the publish alone. */
    void prepare(HttpClient http, URI base, String namespace, String scope, int value)
        throws Exception;

    /**
     * Publishes the draft of {@code scope} of {@code namespace}, only that one; returns the
     * revision.
     */
    long publish(HttpClient http, URI base, String namespace, String scope) throws Exception;

    /** The namespaces a concurrent burst publishes to, one per publisher. */
    List<String> burstNamespaces();

    /** How many watches wait now, as the server counts them. */
    int waiting(HttpClient http, URI base) throws Exception;

    /**
     * The server's own timing of its rebuild for {@code revision}, ms by phase; empty if it has
     * none.
     */
    default double[] lastRefresh(HttpClient http, URI base, long revision) throws Exception {
      return new double[0];
    }
  }

  static class Plain implements Target {
    @Override
    public String name() {
      return "plain JDK HttpServer";
    }

    @Override
    public List<String> serverArguments(int port) {
      return List.of("plain", Integer.toString(port));
    }

    @Override
    public String token(int watcher) {
      return null;
    }

    @Override
    public void prepare(HttpClient http, URI base, String namespace, String scope, int value) {
      // Nothing to prepare: a publish just moves the revision.
    }

    @Override
    public long publish(HttpClient http, URI base, String namespace, String scope)
        throws Exception {
      return JSON.readTree(
              send(
                  http,
                  HttpRequest.newBuilder(base.resolve("/publish"))
                      .POST(HttpRequest.BodyPublishers.noBody()),
                  200))
          .get("revision")
          .asLong();
    }

    @Override
    public List<String> burstNamespaces() {
      return BURST_NAMESPACES;
    }

    @Override
    public int waiting(HttpClient http, URI base) throws Exception {
      return JSON.readTree(send(http, HttpRequest.newBuilder(base.resolve("/health")).GET(), 200))
          .get("waiting")
          .asInt();
    }
  }

  static final class Holdfast implements Target {
    private final Path dataDir;

    /**
     * Where the server process serves /metrics; chosen with its arguments, kept across its restart.
     */
    private int managementPort;

    private final String[] tokens;

    Holdfast(int watchers) throws Exception {
      dataDir = Files.createTempDirectory("holdfast-push-bench");
      tokens = new String[watchers];
      ServerConfig config = ServerConfig.builder(dataDir).build();
      CredentialTokens credentials = new CredentialTokens(new java.security.SecureRandom());
      try (JdbcConfigStore store =
          new JdbcConfigStore(
              Database.open(config.jdbcUrl(), Duration.ofSeconds(30)), Clock.systemUTC())) {
        store.createNamespace("core", "bench", "bench");
        store.putDraft(
            "core", Scope.DEFAULT, JSON.readTree("{\"maxUsers\":10,\"region\":\"eu\"}"), "bench");
        store.publish("core", Set.of(), "bench", "bench");
        for (String namespace : BURST_NAMESPACES) {
          store.createNamespace(namespace, "bench", "bench");
          store.putDraft(namespace, Scope.DEFAULT, JSON.readTree("{\"n\":0}"), "bench");
          store.publish(namespace, Set.of(), "bench", "bench");
        }
        for (int i = 0; i < watchers; i++) {
          tokens[i] = credentials.newInstanceToken();
          store.createInstance(
              "i-" + i, "live", Map.of(), CredentialTokens.hash(tokens[i]), "bench");
        }
      }
    }

    @Override
    public String name() {
      return "Holdfast";
    }

    @Override
    public List<String> serverArguments(int port) throws IOException {
      managementPort = freePort();
      return List.of(
          "holdfast",
          dataDir.toString(),
          Integer.toString(port),
          ADMIN_TOKEN,
          Integer.toString(managementPort));
    }

    private static long servedRevision(String metrics) {
      for (String line : metrics.split("\n")) {
        if (line.startsWith("holdfast_replica_revision ")) {
          return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return -1;
    }

    @Override
    public String token(int watcher) {
      return tokens[watcher];
    }

    @Override
    public void prepare(HttpClient http, URI base, String namespace, String scope, int value)
        throws Exception {
      send(
          http,
          admin(base, "/v1/admin/namespaces/" + namespace + "/layers/" + scope)
              .PUT(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"maxUsers\":" + value + ",\"region\":\"eu\"}")),
          200);
    }

    @Override
    public long publish(HttpClient http, URI base, String namespace, String scope)
        throws Exception {
      return JSON.readTree(
              send(
                  http,
                  admin(base, "/v1/admin/namespaces/" + namespace + "/publish")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"message\":\"bench\",\"scopes\":[\"" + scope + "\"]}")),
                  200))
          .get("revision")
          .asLong();
    }

    @Override
    public List<String> burstNamespaces() {
      return BURST_NAMESPACES;
    }

    @Override
    public int waiting(HttpClient http, URI base) throws Exception {
      return JSON.readTree(
              send(http, HttpRequest.newBuilder(base.resolve("/health/ready")).GET(), 200))
          .get("watchers")
          .get("waiting")
          .asInt();
    }

    @Override
    public double[] lastRefresh(HttpClient http, URI base, long revision) throws Exception {
      // /metrics is on the management port, and a page may be up to a second old: read until it
      // shows the revision, so the timings are this publish's rebuild.
      URI metricsUri = URI.create("http://127.0.0.1:" + managementPort + "/metrics");
      String metrics = send(http, HttpRequest.newBuilder(metricsUri).GET(), 200);
      while (servedRevision(metrics) < revision) {
        WatchFleet.sleepQuietly(Duration.ofMillis(100));
        metrics = send(http, HttpRequest.newBuilder(metricsUri).GET(), 200);
      }
      double[] phases = new double[3];
      List<String> names = List.of("load", "build", "swap");
      for (String line : metrics.split("\n")) {
        if (line.startsWith("holdfast_snapshot_refresh_last_seconds{")) {
          int phase = names.indexOf(line.replaceAll(".*phase=\"([a-z]+)\".*", "$1"));
          phases[phase] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000;
        }
      }
      return phases;
    }

    private static HttpRequest.Builder admin(URI base, String path) {
      return HttpRequest.newBuilder(base.resolve(path))
          .header("Authorization", "Bearer " + ADMIN_TOKEN)
          .header("Content-Type", "application/json");
    }
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
      Herd herd) {}

  private record Fairness(
      int busyPublishes,
      double quietP50,
      double quietMax,
      double busyP50,
      double busyMax,
      long othersWoken) {}

  private record Herd(double outageSeconds, double secondsToFresh, int refused, int watchers) {}

  private static Report run(Target target, int size, int publishes, int burst, boolean all)
      throws Exception {
    int port = freePort();
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
      for (int i = 0; i < 3; i++) {
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

      Fairness fairness = target instanceof Holdfast ? fairness(target, http, base, fleet) : null;
      Herd herd = herd(server, fleet, processes);
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
   * {@code publishes} publishes from {@link Target#burstNamespaces} publishers at once, each to its
   * own namespace's default layer, as fast as the server acknowledges them; returns the highest
   * revision.
   */
  static long burst(Target target, URI base, int publishes) throws Exception {
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
  private static Fairness fairness(Target target, HttpClient http, URI base, WatchFleet fleet)
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
      Target target, HttpClient http, URI base, WatchFleet fleet, int rounds, int firstValue)
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

  /**
   * Kills the server, restarts it on the same port (adding the new process to {@code processes}),
   * and times the fleet's return to FRESH.
   */
  private static Herd herd(ServerProcess server, WatchFleet fleet, List<ServerProcess> processes)
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
    long deadline = ready + WAIT.toNanos();
    while (fleet.fresh.get() < fleet.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + fleet.fresh.get() + " of " + fleet.size() + " watchers FRESH again");
      }
      WatchFleet.sleepQuietly(Duration.ofMillis(5));
    }
    return new Herd(
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
  private static void herdOnly(int size) throws Exception {
    System.out.printf(
        "recovery herd: %d clients, one replica down for %d s (%d cores, %s)%n",
        size,
        OUTAGE.toSeconds(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.arch"));
    Holdfast target = new Holdfast(size);
    int port = freePort();
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
          awaitWaiting(target, http, base, size);
          Herd herd = herd(processes.get(processes.size() - 1), fleet, processes);
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

  static void awaitWaiting(Target target, HttpClient http, URI base, int size) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    int waiting;
    while ((waiting = target.waiting(http, base)) < size) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + waiting + " of " + size + " watches waiting");
      }
      WatchFleet.sleepQuietly(Duration.ofMillis(20));
    }
  }

  private static String send(HttpClient http, HttpRequest.Builder request, int expected)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
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

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
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
            + BURST_NAMESPACES.size()
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
