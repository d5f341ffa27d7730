package io.holdfast.bench.push;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica of the push and upgrade-check benchmarks in a child JVM ({@link PushBenchServer}),
 * started and waited for until it prints {@code READY}, with its memory read through {@code jcmd}
 * and {@code /proc}.
 */
public final class ServerProcess implements AutoCloseable {

  /** Resident set and heap-after-GC of a server process, in KB. */
  record Memory(long rssKb, long heapKb) {}

  /**
   * The servers' heap (Holdfast's and the plain JDK server's), with the default collector (G1). Ten
   * thousand waiting connections hold about 330 MB of heap in either server, and young collections
   * take 35 to 110 ms during a publish (-Xlog:gc). Tried on this 2-core VM: 3 GB made them longer
   * (up to 235 ms, p99 worse), and ZGC's concurrent threads took the cores from the answers (p99
   * 2.5 s); 1 GB did best.
   */
  private static final String SERVER_HEAP = "1g";

  private final Process process;
  private final List<String> arguments;

  private ServerProcess(Process process, List<String> arguments) {
    this.process = process;
    this.arguments = arguments;
  }

  public static ServerProcess start(List<String> arguments) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command =
        new ArrayList<>(List.of(java, "-Xmx" + SERVER_HEAP, "--enable-native-access=ALL-UNNAMED"));
    // Extra JVM options for the servers, to profile one:
    // PUSH_BENCH_SERVER_OPTS="-XX:StartFlightRecording=…".
    String extra = System.getenv("PUSH_BENCH_SERVER_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.strip().split("\\s+")));
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), PushBenchServer.class.getName()));
    command.addAll(arguments);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("READY")) {
      // Start-up chatter.
    }
    if (line == null) {
      throw new IllegalStateException("the server process ended before it was ready: " + arguments);
    }
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                while (out.readLine() != null) {
                  // Drained so the child never blocks on a full pipe.
                }
              } catch (IOException e) {
                // The child ended.
              }
            });
    return new ServerProcess(process, arguments);
  }

  List<String> arguments() {
    return arguments;
  }

  /** The child process, to read its CPU time. */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  Memory memory() throws Exception {
    String jcmd =
        Path.of(ProcessHandle.current().info().command().orElseThrow())
            .resolveSibling("jcmd")
            .toString();
    run(jcmd, Long.toString(process.pid()), "GC.run");
    String heap = run(jcmd, Long.toString(process.pid()), "GC.heap_info");
    long heapKb = -1;
    for (String line : heap.split("\n")) {
      int used = line.indexOf(" used ");
      if (line.contains("total") && used > 0) {
        heapKb = Long.parseLong(line.substring(used + 6).strip().split("K")[0].strip());
        break;
      }
    }
    long rssKb = -1;
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return new Memory(rssKb, heapKb);
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return output;
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
