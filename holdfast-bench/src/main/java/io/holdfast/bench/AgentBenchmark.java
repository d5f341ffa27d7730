package io.holdfast.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.client.seats.Admission;
import io.holdfast.client.seats.JdbcSeatStore;
import io.holdfast.client.seats.SubscriptionChecker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent against the SDK in-process, in one run (issue 24). A real replica serves an instance
 * with {@code core} and a {@code subscriptions} document; the agent runs as its own JVM on its
 * smallest class path. Measured:
 *
 * <ol>
 *   <li>a read of {@code /v1/config/core} through the agent on one keep-alive loopback connection
 *       at 1,000 requests/s (target p99 at most 1 ms), against {@code client.snapshot("core")} plus
 *       a typed get in-process at the same rate;
 *   <li>{@code admit} for a seat holder through the agent at 1,000/s, against {@code checker.admit}
 *       in-process on the same kind of store (SQLite through HikariCP);
 *   <li>the agent's cold start with every replica down, from the process's start to its first 200
 *       answer (target at most 200 ms), for several JVM settings.
 * </ol>
 *
 * Usage: {@code AgentBenchmark JAVA AGENT_CLASSPATH [requests] [coldRuns]}.
 */
public final class AgentBenchmark {

  private static final String TOKEN = "bench-agent-seat-token-0123456789abcdef";

  private AgentBenchmark() {}

  public static void main(String[] args) throws Exception {
    String java = args[0];
    String classpath = args[1];
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    int coldRuns = args.length > 3 ? Integer.parseInt(args[3]) : 7;
    Path work = Files.createTempDirectory("holdfast-agent-bench");
    try {
      measure(java, classpath, requests, coldRuns, work);
    } finally {
      if (System.getenv("AGENT_BENCH_KEEP") != null) {
        System.out.println("kept " + work);
        return;
      }
      try (var files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void measure(String java, String classpath, int requests, int coldRuns, Path work)
      throws Exception {
    try (ClientFixture fixture = ClientFixture.start()) {
      fixture.admin("POST", "/v1/admin/applications", "{\"name\":\"crm\",\"displayName\":\"CRM\"}");
      fixture.admin(
          "POST",
          "/v1/admin/subscriptions",
          "{\"instance\":\""
              + ClientFixture.INSTANCE
              + "\",\"application\":\"crm\",\"quantity\":25,"
              + "\"validFrom\":\"2020-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"enterprise\"}");
      Path token = work.resolve("token");
      Files.writeString(token, TOKEN);
      Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));

      if (requests > 0) {
        latencies(java, classpath, requests, work, fixture, token);
      }
      coldStarts(java, classpath, coldRuns, work, fixture, token);
    }
  }

  private static void latencies(
      String java, String classpath, int requests, Path work, ClientFixture fixture, Path token)
      throws Exception {
    {
      System.out.println(
          "== reads and admits at 1,000/s (" + requests + " each, after as many to warm up)");
      int port = freePort();
      Path settings = settings(work, fixture, fixture.replica(), port, freePort(), token);
      Process agent = start(java, classpath, List.of(), settings, work.resolve("agent.log"));
      try {
        awaitAnswer(port, "/v1/config/subscriptions", 30_000);
        try (KeepAliveConnection connection = new KeepAliveConnection(port)) {
          byte[] read = KeepAliveConnection.get("/v1/config/core");
          byte[] admit =
              KeepAliveConnection.post("/v1/seats/crm/admit", TOKEN, "{\"user\":\"holder\"}");
          awaitStatus(connection, admit);
          PacedRun.run(() -> check(connection.exchange(read)), 1000, requests);
          PacedRun agentRead = PacedRun.run(() -> check(connection.exchange(read)), 1000, requests);
          PacedRun.run(() -> check(connection.exchange(admit)), 1000, requests);
          PacedRun agentAdmit =
              PacedRun.run(() -> check(connection.exchange(admit)), 1000, requests);
          InProcess sdk = InProcess.start(fixture, work);
          try {
            PacedRun.run(sdk::read, 1000, requests);
            PacedRun sdkRead = PacedRun.run(sdk::read, 1000, requests);
            PacedRun.run(sdk::admit, 1000, requests);
            PacedRun sdkAdmit = PacedRun.run(sdk::admit, 1000, requests);
            System.out.println("read   agent (GET /v1/config/core):    " + agentRead.summary());
            System.out.println("read   SDK in-process (snapshot+get):  " + sdkRead.summary());
            System.out.println("admit  agent (POST .../admit, holder): " + agentAdmit.summary());
            System.out.println("admit  SDK in-process (checker.admit): " + sdkAdmit.summary());
            ratio("read ", agentRead, sdkRead);
            ratio("admit", agentAdmit, sdkAdmit);
            System.out.printf(
                "read p99 through the agent: %.1f µs (target <= 1000 µs: %s)%n",
                agentRead.percentileMicros(99),
                agentRead.percentileMicros(99) <= 1000 ? "met" : "MISSED");
          } finally {
            sdk.close();
          }
        }
      } finally {
        stop(agent);
      }
    }
  }

  private static void coldStarts(
      String java, String classpath, int coldRuns, Path work, ClientFixture fixture, Path token)
      throws Exception {
    System.out.println(
        "== cold start, every replica down, disk cache only: process start to first 200 ("
            + coldRuns
            + " runs each)");
    String cds = "-XX:SharedArchiveFile=" + work.resolve("agent.jsa");
    Path aotCache = work.resolve("agent.aot");
    String aot = "-XX:AOTCache=" + aotCache;
    String c1 = "-XX:TieredStopAtLevel=1";
    String serial = "-XX:+UseSerialGC";
    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("default", List.of());
    variants.put(c1, List.of(c1));
    variants.put(
        "AppCDS (-XX:+AutoCreateSharedArchive)", List.of("-XX:+AutoCreateSharedArchive", cds));
    variants.put("AppCDS + C1 only", List.of("-XX:+AutoCreateSharedArchive", cds, c1));
    for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
      coldStart(
          java, classpath, work, fixture, token, variant.getKey(), variant.getValue(), coldRuns);
    }
    // JDK 25's AOT cache (JEPs 483, 514): one training run writes it, the measured runs use it.
    run(java, classpath, work, fixture, token, List.of("-XX:AOTCacheOutput=" + aotCache));
    if (!Files.exists(aotCache)) {
      System.out.println("AOT cache: not written by this JDK (needs JDK 25)");
      return;
    }
    variants.clear();
    variants.put("AOT cache (-XX:AOTCache, JDK 25)", List.of(aot));
    variants.put("AOT cache + C1 only", List.of(aot, c1));
    variants.put("AOT cache + SerialGC", List.of(aot, serial));
    variants.put("AOT cache + SerialGC + C1 only", List.of(aot, serial, c1));
    for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
      coldStart(
          java, classpath, work, fixture, token, variant.getKey(), variant.getValue(), coldRuns);
    }
  }

  private static void ratio(String what, PacedRun agent, PacedRun sdk) {
    System.out.printf(
        "%s cost ratio agent/SDK: p50 %.0fx, p99 %.0fx%n",
        what,
        agent.percentileMicros(50) / Math.max(0.001, sdk.percentileMicros(50)),
        agent.percentileMicros(99) / Math.max(0.001, sdk.percentileMicros(99)));
  }

  private static void check(int status) {
    if (status != 200) {
      throw new IllegalStateException("the agent answered " + status);
    }
  }

  /** The seat store opens just after the listeners: wait for admits to be answered. */
  private static void awaitStatus(KeepAliveConnection connection, byte[] admit) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (connection.exchange(admit) != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the agent's seat store did not open in 30 s");
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  private static void coldStart(
      String java,
      String classpath,
      Path work,
      ClientFixture fixture,
      Path token,
      String name,
      List<String> options,
      int runs)
      throws Exception {
    // One run first: it fills the disk cache (and writes an archive where the options make one).
    run(java, classpath, work, fixture, token, options);
    long[] millis = new long[runs];
    for (int i = 0; i < runs; i++) {
      millis[i] = run(java, classpath, work, fixture, token, options);
    }
    Arrays.sort(millis);
    System.out.printf(
        "%-40s median %4d ms  min %4d ms  max %4d ms  (target <= 200 ms: %s)%n",
        name,
        millis[runs / 2],
        millis[0],
        millis[runs - 1],
        millis[runs / 2] <= 200 ? "met" : "missed");
  }

  /**
   * Starts an agent whose only replica is a closed port (after a first run that filled its cache
   * from the real replica) and returns the milliseconds from the process's start to its first 200.
   */
  private static long run(
      String java,
      String classpath,
      Path work,
      ClientFixture fixture,
      Path token,
      List<String> options)
      throws Exception {
    Path cache = work.resolve("cold-cache");
    if (!Files.isDirectory(cache)) {
      int port = freePort();
      Path warm = settings(work, fixture, fixture.replica(), port, freePort(), token);
      rename(warm, cache);
      Process filler = start(java, classpath, List.of(), warm, work.resolve("fill.log"));
      awaitAnswer(port, "/v1/config/core", 30_000);
      stop(filler);
    }
    int port = freePort();
    Path down = settings(work, fixture, ClientFixture.closedPort(), port, freePort(), token);
    rename(down, cache);
    long start = System.nanoTime();
    Process agent = start(java, classpath, options, down, work.resolve("cold.log"));
    try {
      awaitAnswer(port, "/v1/config/core", 30_000);
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    } finally {
      stop(agent);
    }
  }

  /** Points the settings' cache directory at {@code cache}. */
  private static void rename(Path settings, Path cache) throws IOException {
    String text = Files.readString(settings);
    Files.writeString(
        settings,
        text.replaceAll("holdfast.cache-directory=.*", "holdfast.cache-directory=" + cache));
  }

  private static Path settings(
      Path work, ClientFixture fixture, URI replica, int port, int managementPort, Path token)
      throws IOException {
    Path file = Files.createTempFile(work, "agent", ".properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "holdfast.replicas=" + replica,
            "holdfast.instance-id=" + ClientFixture.INSTANCE,
            "holdfast.credential=" + fixture.token(),
            "holdfast.trusted-keys=" + fixture.key().toBase64(),
            "holdfast.namespaces=core,subscriptions",
            "holdfast.cache-directory=" + work.resolve("cache"),
            "holdfast.heartbeat-interval=0",
            "holdfast.agent.listen=127.0.0.1:" + port,
            "holdfast.agent.management-listen=127.0.0.1:" + managementPort,
            "holdfast.agent.token-file=" + token,
            "holdfast.agent.seats.jdbc-url=jdbc:sqlite:" + work.resolve("seats.db"),
            ""));
    return file;
  }

  private static Process start(
      String java, String classpath, List<String> options, Path settings, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("--enable-native-access=ALL-UNNAMED");
    String extra = System.getenv("AGENT_BENCH_JVM_OPTS"); // profiling: -Xlog:class+load...
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(options);
    command.addAll(
        List.of("-cp", classpath, "io.holdfast.agent.AgentMain", "--config", settings.toString()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /** Polls the port until the path answers 200; a connection refused means not yet listening. */
  private static void awaitAnswer(int port, String path, long timeoutMillis) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    byte[] request = KeepAliveConnection.get(path);
    while (true) {
      try (KeepAliveConnection connection = new KeepAliveConnection(port)) {
        if (connection.exchange(request) == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no 200 from port " + port + " within " + timeoutMillis + " ms");
      }
      LockSupport.parkNanos(500_000);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The same reads and admits, through the SDK inside this JVM. */
  private record InProcess(
      HoldfastClient client, SubscriptionChecker checker, HikariDataSource pool)
      implements AutoCloseable {

    static InProcess start(ClientFixture fixture, Path work) {
      HoldfastClient client =
          HoldfastClient.builder()
              .replicas(fixture.replica())
              .instance(ClientFixture.INSTANCE, fixture.token())
              .trustedKey(fixture.key())
              .namespaces("core", SubscriptionChecker.NAMESPACE)
              .cacheDirectory(work.resolve("in-process-cache"))
              .heartbeatInterval(java.time.Duration.ZERO)
              .build();
      client.start();
      if (client.snapshot("core").status() != Status.FRESH) {
        throw new IllegalStateException("the in-process client is not FRESH");
      }
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl("jdbc:sqlite:" + work.resolve("in-process-seats.db"));
      config.setMaximumPoolSize(4);
      HikariDataSource pool = new HikariDataSource(config);
      SubscriptionChecker checker =
          SubscriptionChecker.builder()
              .client(client)
              .seatStore(JdbcSeatStore.builder(pool).build())
              .build();
      Admission first = checker.admit("crm", "holder");
      if (!first.admitted()) {
        throw new IllegalStateException("holder not admitted: " + first);
      }
      return new InProcess(client, checker, pool);
    }

    void read() {
      if (client.snapshot("core").getString("support.email", null) == null) {
        throw new IllegalStateException("no value");
      }
    }

    void admit() {
      if (!checker.admit("crm", "holder").admitted()) {
        throw new IllegalStateException("holder not admitted");
      }
    }

    @Override
    public void close() {
      client.close();
      pool.close();
    }
  }
}
