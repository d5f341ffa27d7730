package io.holdfast.it.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's documented example clients, run as the programs they are: the Python one with the
 * machine's {@code python3} (standard library only), the C one compiled here with the machine's
 * {@code gcc}. Both print {@code key=value} lines, returned as a map with the exit code under
 * {@code exit}.
 */
final class ExampleClients {

  private static final Path EXAMPLES =
      Path.of(System.getProperty("holdfast.it.agentExamples", "../docs/examples/agent"));

  private final Path cBinary;

  private ExampleClients(Path cBinary) {
    this.cBinary = cBinary;
  }

  /** Compiles the C client into {@code dir}; fails the test if gcc does. */
  static ExampleClients build(Path dir) throws IOException, InterruptedException {
    Path binary = dir.resolve("agent_client");
    Map<String, String> result =
        run(
            List.of(
                "gcc",
                "-std=c99",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-o",
                binary.toString(),
                EXAMPLES.resolve("c/agent_client.c").toString()));
    if (!"0".equals(result.get("exit"))) {
      throw new IllegalStateException("gcc failed: " + result);
    }
    return new ExampleClients(binary);
  }

  Map<String, String> python(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("python3");
    command.add(EXAMPLES.resolve("python/agent_client.py").toString());
    command.addAll(List.of(args));
    return run(command);
  }

  Map<String, String> c(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(cBinary.toString());
    command.addAll(List.of(args));
    return run(command);
  }

  private static Map<String, String> run(List<String> command)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("did not end within 60 s: " + command);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : new String(output, StandardCharsets.UTF_8).split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        values.putIfAbsent(line.substring(0, equals), line.substring(equals + 1));
      } else if (!line.isBlank()) {
        values.merge("output", line, (a, b) -> a + "\n" + b);
      }
    }
    values.put("exit", Integer.toString(process.exitValue()));
    return values;
  }
}
