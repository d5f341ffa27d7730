package io.holdfast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.bench.push.ServerProcess;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.model.Scope;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code holdfast upgrade check} over a fleet (issue 23): two current replicas and a candidate,
 * each a process of its own on one SQLite store seeded directly with {@code instances} instances
 * (two namespaces each, {@code core} and {@code subscriptions}), under a steady open-loop read load
 * of instance documents on the current replicas. Measures the read p99 without the check, then
 * while the check runs (as the CLI, in a process of its own), and prints the check's duration and
 * requests a second, the CPU the replicas and the check used during it, and the p99 ratio.
 *
 * <p>Arguments: {@code HOLDFAST_JAR [instances] [reads/s] [baseline seconds] [check args...]}
 * (default 10000, 300, 20). With the system property {@code holdfast.bench.check-nice} set, the
 * check runs under {@code nice -n <value>}: in production it runs from an operator's machine, not
 * on a replica's host, and on one small machine a niced check stands in for that (see
 * bench/upgrade-check.sh).
 */
public final class UpgradeCheckBenchmark {

  private static final String ADMIN_TOKEN = "hfa_upgrade-check-benchmark-admin-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NICE = System.getProperty("holdfast.bench.check-nice");

  /**
   * CPUs the check is pinned to ({@code taskset -c}), when the script pins the replicas and the
   * read load to the others: the nearest a one-box bench comes to the check's own machine.
   */
  private static final String CHECK_CPUS = System.getProperty("holdfast.bench.check-cpus");

  private UpgradeCheckBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int readsPerSecond = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    int baselineSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    List<String> checkArgs = args.length > 4 ? List.of(args).subList(4, args.length) : List.of();

    Path dataDir = Files.createTempDirectory("holdfast-upgrade-bench");
    long seeding = System.nanoTime();
    String[] tokens = seed(dataDir, instances);
    System.out.printf(
        "seeded %d instances in %.1f s%n", instances, (System.nanoTime() - seeding) / 1e9);

    List<ServerProcess> replicas = new ArrayList<>();
    List<URI> uris = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        int port = freePort();
        replicas.add(
            ServerProcess.start(
                List.of(
                    "holdfast",
                    dataDir.toString(),
                    Integer.toString(port),
                    ADMIN_TOKEN,
                    Integer.toString(freePort()))));
        uris.add(URI.create("http://127.0.0.1:" + port));
      }
      List<URI> current = uris.subList(0, 2);
      URI candidate = uris.get(2);
      try (ReadLoad load = new ReadLoad(current, tokens, readsPerSecond)) {
        load.start();
        TimeUnit.SECONDS.sleep(10); // warm-up: JIT, connections, snapshots built
        load.reset();
        TimeUnit.SECONDS.sleep(baselineSeconds);
        double[] quiet = load.reset();

        long[] cpuBefore = cpu(replicas);
        long started = System.nanoTime();
        Process check = startCheck(jar, candidate, current, checkArgs);
        CpuSampler checkCpu = CpuSampler.start(check.toHandle());
        String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = check.waitFor();
        double seconds = (System.nanoTime() - started) / 1e9;
        double checkCpuSeconds = checkCpu.stop() / 1000.0;
        long[] cpuAfter = cpu(replicas);
        double[] loaded = load.reset();

        JsonNode json = JSON.readTree(report);
        System.out.printf(
            "check: exit %d, %d instances, %d documents, %d differences, %d unsettled%n",
            exit,
            json.path("instances").asInt(),
            json.path("documents").asInt(),
            json.path("differences").size(),
            json.path("unsettled").size());
        System.out.printf(
            "check: %.1f s wall (its own figure %.1f s), %d requests, %d requests/s,"
                + " %d signature verifications; its JVM's CPU %.1f s (%.2f cores)%s%n",
            seconds,
            json.path("durationMillis").asLong() / 1000.0,
            json.path("requests").asLong(),
            json.path("requestsPerSecond").asLong(),
            json.path("signatureVerifications").asLong(),
            checkCpuSeconds,
            checkCpuSeconds / seconds,
            (NICE == null ? "" : ", under nice -n " + NICE)
                + (CHECK_CPUS == null ? "" : ", on CPU " + CHECK_CPUS + " alone"));
        String[] names = {"current-1", "current-2", "candidate"};
        for (int i = 0; i < replicas.size(); i++) {
          double used = (cpuAfter[i] - cpuBefore[i]) / 1000.0;
          System.out.printf(
              "replica %-9s CPU during the check: %.1f s, %.2f cores%n",
              names[i], used, used / seconds);
        }
        double quietP99 = percentile(quiet, 99);
        double loadedP99 = percentile(loaded, 99);
        System.out.printf(
            "instance reads at %d/s: without the check p50 %.2f ms p99 %.2f ms (%d reads);"
                + " during it p50 %.2f ms p99 %.2f ms (%d reads); p99 ratio %.2f; errors %d%n",
            readsPerSecond,
            percentile(quiet, 50),
            quietP99,
            quiet.length,
            percentile(loaded, 50),
            loadedP99,
            loaded.length,
            loadedP99 / quietP99,
            load.errors());
      }
    } finally {
      replicas.forEach(ServerProcess::close);
    }
  }

  /** Seeds the store directly, one instance per transaction; returns the instances' tokens. */
  private static String[] seed(Path dataDir, int instances) throws Exception {
    ServerConfig config = ServerConfig.builder(dataDir).build();
    CredentialTokens credentials = new CredentialTokens(new SecureRandom());
    String[] tokens = new String[instances];
    try (JdbcConfigStore store =
        new JdbcConfigStore(
            Database.open(config.jdbcUrl(), Duration.ofSeconds(30)), Clock.systemUTC())) {
      store.createNamespace("core", "bench", "bench");
      store.putDraft(
          "core",
          Scope.DEFAULT,
          JSON.readTree("{\"maxUsers\":10,\"region\":\"eu\",\"features\":{\"sso\":true}}"),
          "bench");
      store.publish("core", Set.of(), "bench", "bench");
      for (int i = 0; i < instances; i++) {
        tokens[i] = credentials.newInstanceToken();
        store.createInstance("i-" + i, "live", Map.of(), CredentialTokens.hash(tokens[i]), "bench");
      }
    }
    return tokens;
  }

  private static Process startCheck(Path jar, URI candidate, List<URI> current, List<String> extra)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>();
    if (CHECK_CPUS != null) {
      command.addAll(List.of("taskset", "-c", CHECK_CPUS)); // execs what follows, as nice does
    }
    if (NICE != null) {
      command.addAll(List.of("nice", "-n", NICE)); // nice execs java: the process is the check
    }
    int shown = command.size() + 4;
    command.addAll(
        List.of(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-jar",
            jar.toString(),
            "upgrade",
            "check",
            "--json",
            "--token",
            ADMIN_TOKEN,
            "--candidate",
            candidate.toString()));
    for (URI uri : current) {
      command.addAll(List.of("--against", uri.toString()));
    }
    command.addAll(extra);
    System.out.println(
        "running: holdfast " + String.join(" ", command.subList(shown, command.size())));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static long[] cpu(List<ServerProcess> replicas) {
    long[] millis = new long[replicas.size()];
    for (int i = 0; i < millis.length; i++) {
      millis[i] =
          replicas.get(i).handle().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }
    return millis;
  }

  /**
   * The CPU a process used, read every 100 ms while it runs: the OS forgets a process's times once
   * it has been reaped, so the last reading before it exits is the figure (short by at most the
   * interval).
   */
  private static final class CpuSampler {
    private final ProcessHandle process;
    private final AtomicLong lastMillis = new AtomicLong();
    private final Thread thread;

    private CpuSampler(ProcessHandle process) {
      this.process = process;
      this.thread = Thread.ofPlatform().daemon().name("check-cpu").unstarted(this::sample);
    }

    static CpuSampler start(ProcessHandle process) {
      CpuSampler sampler = new CpuSampler(process);
      sampler.thread.start();
      return sampler;
    }

    private void sample() {
      while (process.isAlive()) {
        process
            .info()
            .totalCpuDuration()
            .ifPresent(cpu -> lastMillis.accumulateAndGet(cpu.toMillis(), Math::max));
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }

    /** The last reading, in milliseconds, once the process has ended. */
    long stop() throws InterruptedException {
      thread.join();
      return lastMillis.get();
    }
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Instance reads at a fixed rate, open loop: each read is sent at its planned time whether or not
   * earlier ones have answered, and its latency counts from that time, so a slow replica cannot
   * hide its slowness by slowing the load down (coordinated omission).
   */
  private static final class ReadLoad implements AutoCloseable {
    private final List<URI> replicas;
    private final String[] tokens;
    private final long intervalNanos;
    private final HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread pacer;

    ReadLoad(List<URI> replicas, String[] tokens, int perSecond) {
      this.replicas = replicas;
      this.tokens = tokens;
      this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    }

    void start() {
      pacer = Thread.ofPlatform().daemon().name("read-load").start(this::pace);
    }

    private void pace() {
      SplittableRandom random = new SplittableRandom(7);
      long next = System.nanoTime();
      while (running.get()) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
          continue;
        }
        int instance = random.nextInt(tokens.length);
        URI replica = replicas.get(random.nextInt(replicas.size()));
        long planned = next;
        HttpRequest request =
            HttpRequest.newBuilder(
                    URI.create(replica + "/v1/instances/i-" + instance + "/config/core"))
                .header("Authorization", "Bearer " + tokens[instance])
                .timeout(Duration.ofSeconds(10))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
            .whenComplete(
                (response, failure) -> {
                  if (failure != null || response.statusCode() != 200) {
                    errors.incrementAndGet();
                  } else {
                    latencies.add((System.nanoTime() - planned) / 1e6);
                  }
                });
        next += intervalNanos;
      }
    }

    /** The latencies since the last reset, sorted, in milliseconds; starts a new window. */
    double[] reset() {
      List<Double> taken = new ArrayList<>();
      for (Double latency; (latency = latencies.poll()) != null; ) {
        taken.add(latency);
      }
      double[] sorted = taken.stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(sorted);
      return sorted;
    }

    long errors() {
      return errors.get();
    }

    @Override
    public void close() {
      running.set(false);
      if (pacer != null) {
        try {
          pacer.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      http.close();
    }
  }
}
