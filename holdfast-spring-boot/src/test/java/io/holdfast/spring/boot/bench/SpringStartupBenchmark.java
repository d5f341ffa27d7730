package io.holdfast.spring.boot.bench;

import io.holdfast.spring.boot.TwoReplicas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the starter adds to an application's start-up (issue: "≤ 150 ms added"). Starts two real
 * replicas here, publishes two namespaces for an instance, then starts {@link StartupApp} in fresh
 * JVMs, the variants interleaved (their order rotated each round) so that the machine's noise falls
 * on all of them alike:
 *
 * <ol>
 *   <li>baseline: no Holdfast jar on the class path, the same values from a local file;
 *   <li>the starter with both replicas up (and its disk cache from the previous run, as on any
 *       restart);
 *   <li>the starter with every replica down (closed ports: connections refused) and a verified disk
 *       cache, written by one run while the replicas were up, at the default start-up timeout;
 *   <li>the same with {@code holdfast.startup-timeout=0s}: the starter's own cost on the cache
 *       path, without the wait for a replica.
 * </ol>
 *
 * Prints, per variant, the median and p90 of the ready time (JVM start to {@code
 * ApplicationReadyEvent}, as the application measures it) and of the process's wall time, and the
 * time each starter variant adds to the baseline.
 *
 * <p>Arguments: {@code <java> <work-dir> <baseline-class-path> <starter-class-path> [runs] [warm-up
 * rounds]}; the system property {@code bench.jvmOptions} adds options to the applications' JVMs
 * (for profiling).
 */
public final class SpringStartupBenchmark {

  private static final String INSTANCE = "acme-app-1";
  private static final List<String> NAMESPACES = List.of("core", "features");
  private static final double TARGET_MILLIS = 150;

  private record Variant(String name, String classPath, Path properties, boolean holdfast) {}

  private SpringStartupBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      throw new IllegalArgumentException(
          "usage: <java> <work-dir> <baseline-class-path> <starter-class-path> [runs] [warm-up]");
    }
    Path java = Path.of(args[0]);
    Path work = Path.of(args[1]);
    String baselineClassPath = args[2];
    String starterClassPath = args[3];
    int runs = args.length > 4 ? Integer.parseInt(args[4]) : 10;
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    String options = System.getProperty("bench.jvmOptions", "").trim();
    List<String> jvmOptions = options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));

    Map<String, String> local = new LinkedHashMap<>();
    local.putAll(BenchDocuments.asProperties("core", BenchDocuments.json(BenchDocuments.CORE)));
    local.putAll(
        BenchDocuments.asProperties("features", BenchDocuments.json(BenchDocuments.FEATURES)));

    try (TwoReplicas replicas = new TwoReplicas(work.resolve("store"))) {
      for (String namespace : NAMESPACES) {
        replicas.createNamespace(namespace);
      }
      String credential = replicas.createInstance(INSTANCE);
      replicas.publish("core", BenchDocuments.json(BenchDocuments.CORE).toString());
      replicas.publish("features", BenchDocuments.json(BenchDocuments.FEATURES).toString());
      replicas.awaitServed(INSTANCE, credential, NAMESPACES);

      Map<String, String> starter = new LinkedHashMap<>();
      starter.put("spring.config.import", "holdfast:");
      starter.put("holdfast.instance-id", INSTANCE);
      starter.put("holdfast.credential", credential);
      starter.put("holdfast.trusted-keys", replicas.trustedKey());
      starter.put("holdfast.namespaces", String.join(",", NAMESPACES));

      Path baselineFile = write(work.resolve("baseline.properties"), local);
      Path upFile =
          write(
              work.resolve("starter-up.properties"),
              with(starter, replicas.replicas(), work.resolve("cache-up"), null));
      Path downCache = work.resolve("cache-down");
      String closed = closedPort() + "," + closedPort();
      Path downFile =
          write(work.resolve("starter-down.properties"), with(starter, closed, downCache, null));
      Path downNoWaitFile =
          write(
              work.resolve("starter-down-nowait.properties"),
              with(starter, closed, downCache, "0s"));

      // The down variants' cache: written by one start while the replicas are up.
      Path fillFile =
          write(
              work.resolve("fill-cache.properties"),
              with(starter, replicas.replicas(), downCache, null));
      StartupRun.launch(java, starterClassPath, fillFile, jvmOptions);
      try (Stream<Path> files = Files.list(downCache)) {
        if (files.findAny().isEmpty()) {
          throw new IllegalStateException("the start with replicas up left no disk cache");
        }
      }

      List<Variant> variants =
          List.of(
              new Variant("baseline: no Holdfast", baselineClassPath, baselineFile, false),
              new Variant("starter, both replicas up", starterClassPath, upFile, true),
              new Variant("starter, replicas down, cache", starterClassPath, downFile, true),
              new Variant("  same, startup-timeout=0s", starterClassPath, downNoWaitFile, true));
      System.out.printf(
          "%d runs per variant after %d warm-up rounds, interleaved; replicas %s; JVM options"
              + " [%s]%n",
          runs, warmup, replicas.replicas(), String.join(" ", jvmOptions));
      Map<Variant, List<StartupRun>> results = new LinkedHashMap<>();
      variants.forEach(v -> results.put(v, new ArrayList<>()));
      String expectedValues = null;
      for (int round = 0; round < warmup + runs; round++) {
        for (int i = 0; i < variants.size(); i++) {
          Variant variant = variants.get((round + i) % variants.size());
          StartupRun run =
              StartupRun.launch(java, variant.classPath(), variant.properties(), jvmOptions);
          if (run.holdfastOnClassPath() != variant.holdfast()) {
            throw new IllegalStateException(
                variant.name() + ": Holdfast on the class path is " + run.holdfastOnClassPath());
          }
          if (expectedValues == null) {
            expectedValues = run.values();
          } else if (!expectedValues.equals(run.values())) {
            throw new IllegalStateException(
                variant.name()
                    + " bound other values:\n  "
                    + run.values()
                    + "\nthan the first run:\n  "
                    + expectedValues);
          }
          if (round >= warmup) {
            results.get(variant).add(run);
          }
        }
        System.out.printf("round %d of %d done%n", round + 1, warmup + runs);
      }
      report(results);
      System.out.println("every run bound the same values: " + expectedValues);
    }
  }

  private static void report(Map<Variant, List<StartupRun>> results) {
    Figures baselineReady = null;
    Figures baselineWall = null;
    System.out.printf(
        "%-32s | %9s %9s | %9s %9s | %17s %17s%n",
        "variant (ms)",
        "ready p50",
        "ready p90",
        "wall p50",
        "wall p90",
        "added ready p50",
        "added wall p50");
    List<String> verdicts = new ArrayList<>();
    for (Map.Entry<Variant, List<StartupRun>> entry : results.entrySet()) {
      Figures ready = Figures.of(entry.getValue().stream().map(StartupRun::readyMillis).toList());
      Figures wall = Figures.of(entry.getValue().stream().map(StartupRun::wallMillis).toList());
      String addedReady = "";
      String addedWall = "";
      if (baselineReady == null) {
        baselineReady = ready;
        baselineWall = wall;
      } else {
        double added = ready.median() - baselineReady.median();
        addedReady = String.format("%+.0f", added);
        addedWall = String.format("%+.0f", wall.median() - baselineWall.median());
        verdicts.add(
            String.format(
                "%s: %+.0f ms added (ready, median; p90 %+.0f ms): target ≤ %.0f ms %s",
                entry.getKey().name().trim(),
                added,
                ready.p90() - baselineReady.p90(),
                TARGET_MILLIS,
                added <= TARGET_MILLIS ? "met" : "MISSED"));
      }
      System.out.printf(
          "%-32s | %9.0f %9.0f | %9.0f %9.0f | %17s %17s%n",
          entry.getKey().name(),
          ready.median(),
          ready.p90(),
          wall.median(),
          wall.p90(),
          addedReady,
          addedWall);
    }
    verdicts.forEach(System.out::println);
    for (Map.Entry<Variant, List<StartupRun>> entry : results.entrySet()) {
      System.out.printf(
          "ready ms, in run order, %s: %s%n",
          entry.getKey().name().trim(),
          entry.getValue().stream().map(StartupRun::readyMillis).toList());
    }
  }

  private static Map<String, String> with(
      Map<String, String> starter, String replicas, Path cache, String startupTimeout) {
    Map<String, String> properties = new LinkedHashMap<>(starter);
    properties.put("holdfast.replicas", replicas);
    properties.put("holdfast.cache-directory", cache.toString());
    if (startupTimeout != null) {
      properties.put("holdfast.startup-timeout", startupTimeout);
    }
    return properties;
  }

  /** A loopback port nothing listens on: a replica that is down refuses the connection. */
  private static String closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  private static Path write(Path file, Map<String, String> properties) {
    // Written by hand, not with java.util.Properties: no date comment, and values as they are
    // (none here needs escaping: no backslash, no leading blank, no line break).
    StringBuilder text = new StringBuilder();
    properties.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writer.write(text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
