package io.holdfast.it.springconfig;

import io.holdfast.it.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The module {@code holdfast-spring-cloud-config-app}, an ordinary Spring Boot application with
 * {@code spring-cloud-starter-config} and no Holdfast code, run to completion in a JVM of its own
 * with exactly its own class path (its classes and the jars its build wrote to a file), so that
 * nothing from this module's class path can help it.
 */
final class ConfigClientApp {

  private static final String MAIN = "io.holdfast.springcloudconfigapp.ConfigClientApplication";

  /** A start-up takes a few seconds; on a loaded two-core machine, several times that. */
  private static final long EXIT_TIMEOUT_SECONDS = 90;

  private ConfigClientApp() {}

  /** What one run printed, and how it ended. */
  record Run(int exitCode, List<String> output, Path log) {

    /** The value a {@code VALUE key=value} line gave, or empty if the key was {@code ABSENT}. */
    Optional<String> value(String key) {
      if (output.contains("ABSENT " + key)) {
        return Optional.empty();
      }
      String prefix = "VALUE " + key + "=";
      return Optional.of(line(prefix).substring(prefix.length()));
    }

    /** The one line starting with {@code prefix}. */
    String line(String prefix) {
      return output.stream()
          .filter(l -> l.startsWith(prefix))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no '" + prefix + "' line; see " + log));
    }

    /** The names of the property sources, in precedence order. */
    List<String> sources() {
      return output.stream()
          .filter(l -> l.startsWith("SOURCE "))
          .map(l -> l.substring("SOURCE ".length()))
          .toList();
    }

    String text() {
      return String.join("\n", output);
    }
  }

  /**
   * Runs the app with these command-line arguments ({@code --name=value}, Spring's own way of
   * setting any property) until it exits by itself.
   */
  static Run run(Path log, String... args) throws TimeoutException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(classPath());
    command.add(MAIN);
    command.addAll(List.of(args));
    JavaProcess process = JavaProcess.start(command, log);
    try {
      int exit = process.awaitExit(EXIT_TIMEOUT_SECONDS);
      return new Run(exit, process.output(), log);
    } finally {
      process.close();
    }
  }

  /** The app's classes, then its runtime jars; fails if the app module was not built. */
  private static String classPath() {
    Path classes = Path.of(required("holdfast.it.configClientApp.classes"));
    Path file = Path.of(required("holdfast.it.configClientApp.classpathFile"));
    if (!Files.isDirectory(classes) || !Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "build holdfast-spring-cloud-config-app first (mvn -pl holdfast-it -am ...): "
              + classes
              + " or "
              + file
              + " is missing");
    }
    try {
      return classes
          + java.io.File.pathSeparator
          + Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(
          "system property " + property + " is not set (holdfast-it's surefire sets it)");
    }
    return value;
  }
}
