package io.holdfast.it.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM or other program started by a test: a reader thread copies its output to a log file and
 * completes whoever waits for a line with a given prefix (no polling of the file), and closing it
 * stops the process (SIGTERM, then SIGKILL after five seconds).
 */
public final class JavaProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final List<String> lines = new ArrayList<>();
  private final Map<String, CompletableFuture<String>> awaited = new ConcurrentHashMap<>();
  private boolean ended;
  private final CompletableFuture<Void> outputCopied = new CompletableFuture<>();

  private JavaProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread.ofVirtual().name("process-output").start(this::copyOutput);
  }

  /** Runs a class of the test classpath in a new JVM of the same runtime. */
  public static JavaProcess java(Path log, String mainClass, String... args) {
    return start(javaCommand(mainClass, args), log);
  }

  /**
   * The command line that {@link #java} runs, for a test that wraps it (in a shell with limits,
   * say).
   */
  public static List<String> javaCommand(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    // Surefire runs tests from a manifest-only jar; the real class path is in this property.
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /** Writes one line to the process's standard input. */
  public void send(String line) {
    try {
      Writer in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      in.write(line + "\n");
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The output so far (it is also copied to the log file). */
  public List<String> output() {
    synchronized (this) {
      return List.copyOf(lines);
    }
  }

  /** Runs any program. */
  public static JavaProcess start(List<String> command, Path log) {
    try {
      Files.createDirectories(log.getParent());
      return new JavaProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void copyOutput() {
    try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        synchronized (this) {
          lines.add(line);
          String seen = line;
          awaited.forEach(
              (prefix, waiter) -> {
                if (seen.startsWith(prefix)) {
                  waiter.complete(seen);
                }
              });
        }
      }
    } catch (IOException e) {
      // The process went away with its pipe; whoever waits learns it below.
    } finally {
      outputCopied.complete(null);
      synchronized (this) {
        ended = true;
        awaited
            .values()
            .forEach(
                w ->
                    w.completeExceptionally(
                        new IllegalStateException(
                            "the process ended before printing the line; see " + log)));
      }
    }
  }

  /** Waits for a line of output starting with {@code prefix}; returns it. */
  public String awaitLine(String prefix, long timeoutSeconds)
      throws TimeoutException, InterruptedException {
    CompletableFuture<String> waiter;
    synchronized (this) {
      for (String line : lines) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      if (ended) {
        throw new IllegalStateException(
            "the process ended before printing '" + prefix + "'; see " + log);
      }
      waiter = awaited.computeIfAbsent(prefix, p -> new CompletableFuture<>());
    }
    try {
      return waiter.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TimeoutException(
          "no '" + prefix + "' line within " + timeoutSeconds + " s; see " + log);
    }
  }

  /**
   * Waits for the process to end by itself and for its last line of output; returns its exit
   * status.
   */
  public int awaitExit(long timeoutSeconds) throws TimeoutException, InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new TimeoutException(
          "the process did not end within " + timeoutSeconds + " s; see " + log);
    }
    try {
      // The pipe closes when the process ends: the copy finishes at once.
      outputCopied.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    return process.exitValue();
  }

  /** The process's id, to read its resources under {@code /proc}. */
  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
