package io.holdfast.cli.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code holdfast server} in a process of its own, started with this JVM's java and class path.
 * The first start picks a free port; every restart binds the same one, so the fault proxy in front
 * of it keeps its upstream. Its output is appended to a log file. Starts are serialised (the final
 * heal may restart a replica a fault's undo is still restarting), and once closed it never starts
 * again, so no replica outlives the soak.
 */
final class ReplicaProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on https?://[^:]+:(\\d+)");
  private static final long START_TIMEOUT_SECONDS = 120;

  private final String name;
  private final IntFunction<List<String>> serverArguments;
  private final Map<String, String> environment;
  private final Path log;
  private volatile Process process;
  private volatile boolean closed;
  private volatile int port;
  private int starts;

  /**
   * @param serverArguments the arguments after {@code server}, for a port (0 the first time)
   */
  ReplicaProcess(
      String name,
      IntFunction<List<String>> serverArguments,
      Map<String, String> environment,
      Path log) {
    this.name = name;
    this.serverArguments = serverArguments;
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  String name() {
    return name;
  }

  /** Starts the process and waits until it serves; does nothing if it already runs. */
  synchronized void start() throws IOException, InterruptedException, TimeoutException {
    if (closed) {
      throw new IllegalStateException("replica " + name + " is closed: the soak is ending");
    }
    if (alive()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    // Surefire runs tests from a manifest-only jar; the real class path is in this property.
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add("io.holdfast.cli.HoldfastCommand");
    command.add("server");
    command.addAll(serverArguments.apply(port));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Files.createDirectories(log.getParent());
    process = builder.start();
    starts++;
    if (closed) { // closed while it was being launched
      process.destroyForcibly();
      throw new IllegalStateException("replica " + name + " is closed: the soak is ending");
    }
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Process started = process;
    Thread.ofVirtual().name("replica-" + name + "-output").start(() -> copy(started, listening));
    try {
      port = listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException("replica " + name + " did not start; see " + log, e.getCause());
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new TimeoutException(
          "replica " + name + " did not serve within " + START_TIMEOUT_SECONDS + " s; see " + log);
    }
  }

  /** Copies the output to the log and completes {@code listening} with the port it announces. */
  private void copy(Process source, CompletableFuture<Integer> listening) {
    try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(source.getInputStream(), StandardCharsets.UTF_8));
        Writer out =
            Files.newBufferedWriter(
                log,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      out.write("---- start " + starts + " ----\n");
      String line;
      while ((line = reader.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        Matcher matcher = LISTENING.matcher(line);
        if (!listening.isDone() && matcher.find()) {
          listening.complete(Integer.parseInt(matcher.group(1)));
        }
      }
    } catch (IOException e) {
      // The pipe went away with the process; a waiter learns it below.
    } finally {
      listening.completeExceptionally(new IOException("the process ended"));
    }
  }

  /** The port it serves on (the same across restarts); 0 before the first start. */
  int port() {
    return port;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** How many times it was started. */
  int starts() {
    return starts;
  }

  /** {@code kill -9}: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Its resident memory from {@code /proc/<pid>/status} (VmRSS), in KiB; -1 if unknown. */
  long residentKib() {
    if (!alive()) {
      return -1;
    }
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | UncheckedIOException | NumberFormatException e) {
      // Not Linux, or the process just ended.
    }
    return -1;
  }

  /** A graceful stop (SIGTERM), then SIGKILL after ten seconds. */
  @Override
  public void close() {
    closed = true;
    Process process = this.process;
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** This JVM's own java, as the process that runs the soak was started with. */
  private static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  @Override
  public String toString() {
    return "replica " + name + " (" + uri() + ")";
  }
}
