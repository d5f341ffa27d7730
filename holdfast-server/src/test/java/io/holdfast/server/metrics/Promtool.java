package io.holdfast.server.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus's own checker, fetched by {@code bin/ensure-promtool} when the machine has none.
 */
final class Promtool {

  /** What a run printed, and its exit status. */
  record Result(int exitCode, String output) {}

  /** The repository root: the server module's parent. */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private Promtool() {}

  static Result run(byte[] stdin, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(locate());
    command.addAll(List.of(arguments));
    return exec(command, stdin);
  }

  private static String locate() {
    Result located = exec(List.of(ROOT.resolve("bin/ensure-promtool").toString()), new byte[0]);
    if (located.exitCode() != 0) {
      throw new IllegalStateException("no promtool: " + located.output());
    }
    return located.output().strip();
  }

  private static Result exec(List<String> command, byte[] stdin) {
    try {
      Process process =
          new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
      try (var in = process.getOutputStream()) {
        in.write(stdin);
      }
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish in 120 s");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
