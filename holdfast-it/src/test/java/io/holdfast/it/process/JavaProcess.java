package io.holdfast.it.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM or other program started by a test: its output goes to a log file (read for a ready
 * line), and closing it stops the process (SIGTERM, then SIGKILL after five seconds).
 */
public final class JavaProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private JavaProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Runs a class of the test classpath in a new JVM of the same runtime. */
  public static JavaProcess java(Path log, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    // Surefire runs tests from a manifest-only jar; the real class path is in this property.
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(mainClass);
    command.addAll(List.of(args));
    return start(command, log);
  }

  /** Runs any program. */
  public static JavaProcess start(List<String> command, Path log) {
    try {
      Files.createDirectories(log.getParent());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new JavaProcess(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for a line of output starting with {@code prefix}; returns it. */
  public String awaitLine(String prefix, long timeoutSeconds) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(log),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.startsWith(prefix)) {
            return line;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the process ended (exit " + process.exitValue() + ") before printing '"
            + prefix + "'; see " + log);
      }
      // Polling a log file for a ready line: the process has no other way to tell us.
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)).join();
    }
    throw new TimeoutException("no '" + prefix + "' line within " + timeoutSeconds + " s; see " + log);
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
