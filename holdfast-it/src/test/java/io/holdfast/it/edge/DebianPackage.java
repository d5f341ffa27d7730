package io.holdfast.it.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program from Debian's packages that an edge test runs (nginx, HAProxy, Varnish): found on the
 * {@code PATH} or in {@code /usr/sbin}, installed with {@code apt-get} when missing, as {@code
 * bench/http-vs-nginx.sh} does. If it can be neither found nor installed the test fails; it is
 * never skipped.
 */
final class DebianPackage {

  private DebianPackage() {}

  /** The path of {@code program}, installing {@code debianPackage} first if it is missing. */
  static synchronized Path binary(String program, String debianPackage) {
    Path found = find(program);
    if (found != null) {
      return found;
    }
    try {
      run(List.of("apt-get", "update", "-qq", "-o", "DPkg::Lock::Timeout=300"), program);
      run(
          List.of(
              "apt-get", "install", "-y", "-qq", "-o", "DPkg::Lock::Timeout=300", debianPackage),
          program);
    } catch (IOException e) {
      throw new IllegalStateException(
          program + " is missing and apt-get could not be run to install it", e);
    }
    found = find(program);
    if (found == null) {
      throw new IllegalStateException(
          program + " is missing and installing Debian's " + debianPackage + " did not provide it");
    }
    return found;
  }

  private static Path find(String program) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
        return Path.of(entry, program);
      }
    }
    for (String dir : List.of("/usr/sbin", "/usr/bin")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return Path.of(dir, program);
      }
    }
    return null;
  }

  private static void run(List<String> command, String program) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process process = builder.start();
    try {
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing " + program, e);
    }
  }
}
