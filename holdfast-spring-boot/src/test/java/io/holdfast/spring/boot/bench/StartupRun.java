package io.holdfast.spring.boot.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One start of {@link StartupApp} in a fresh JVM: the ready time it printed (since its JVM
 * started), the process's wall time (launch to exit, measured here), the values it bound, and
 * whether Holdfast was on its class path.
 */
record StartupRun(long readyMillis, long wallMillis, String values, boolean holdfastOnClassPath) {

  private static final long TIMEOUT_SECONDS = 120;

  /**
   * Starts the application with {@code classPath} and the settings in {@code properties}; fails
   * with its output if it does not start, exit 0 and report.
   */
  static StartupRun launch(Path java, String classPath, Path properties, List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            classPath,
            StartupApp.class.getName(),
            "--spring.config.additional-location=file:" + properties));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // The replicas' log settings (HOLDFAST_LOG_LEVEL ...) are for this JVM; in the application's
    // environment Spring would read them as holdfast.* properties.
    builder.environment().keySet().removeIf(name -> name.startsWith("HOLDFAST_"));
    List<String> output = new ArrayList<>();
    long started = System.nanoTime();
    int exit;
    try {
      Process process = builder.start();
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          output.add(line);
        }
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("no exit within " + TIMEOUT_SECONDS + " s: " + output);
      }
      exit = process.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    String ready = line(output, "READY ");
    String values = line(output, "VALUES ");
    String holdfast = line(output, "HOLDFAST_ON_CLASSPATH ");
    if (exit != 0 || ready == null || values == null || holdfast == null) {
      throw new IllegalStateException(
          "the application failed (exit " + exit + "):\n" + String.join("\n", output));
    }
    return new StartupRun(Long.parseLong(ready), wall, values, Boolean.parseBoolean(holdfast));
  }

  private static String line(List<String> output, String prefix) {
    return output.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()).trim())
        .findFirst()
        .orElse(null);
  }
}
