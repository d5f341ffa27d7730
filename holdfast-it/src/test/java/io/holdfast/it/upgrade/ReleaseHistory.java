package io.holdfast.it.upgrade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The project's releases as the upgrade tests read them: the {@code RELEASES} file at the
 * repository's root, one line per release (version, commit, store schema), oldest first. A file,
 * not git tags, because a clone of the landed branch carries no tags; the previous release's source
 * is still read from git, by its commit. Fails, never skips, where either cannot be had.
 */
final class ReleaseHistory {

  static final String FILE = "RELEASES";

  private final Path repository;
  private final List<Release> releases;

  private ReleaseHistory(Path repository, List<Release> releases) {
    this.repository = repository;
    this.releases = releases;
  }

  /**
   * A release of Holdfast.
   *
   * @param version its version, as in its jar ({@code 0.1.0})
   * @param commit the commit it was built from
   * @param schema the newest migration it carries
   */
  record Release(String version, String commit, int schema) {}

  /** The history of the repository the tests run in (found from the working directory up). */
  static ReleaseHistory here() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve(FILE))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no " + FILE + " file above " + Path.of("").toAbsolutePath());
    }
    try {
      return new ReleaseHistory(dir, parse(Files.readAllLines(dir.resolve(FILE))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(FILE), e);
    }
  }

  /** The lines of a {@code RELEASES} file, without its comments and blank lines. */
  static List<Release> parse(List<String> lines) {
    List<Release> releases =
        lines.stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .map(ReleaseHistory::release)
            .toList();
    if (releases.isEmpty()) {
      throw new IllegalStateException(FILE + " names no release");
    }
    return releases;
  }

  private static Release release(String line) {
    String[] fields = line.split("\\s+");
    if (fields.length != 3
        || !fields[0].matches("\\d+\\.\\d+\\.\\d+")
        || !fields[1].matches("[0-9a-f]{40}")
        || !fields[2].matches("\\d+")) {
      throw new IllegalStateException(
          FILE + ": expected <version> <40-hex commit> <schema>, got: " + line);
    }
    return new Release(fields[0], fields[1], Integer.parseInt(fields[2]));
  }

  /** The newest release: the one this code must run beside. */
  Release previous() {
    return releases.getLast();
  }

  Path repository() {
    return repository;
  }

  /**
   * Writes the tree of {@code commit} to {@code tar}. A clone without that commit (a shallow one)
   * fetches it from its origin first; where that fails too, this fails and says why.
   */
  void archive(String commit, Path tar) {
    if (!present(commit)) {
      git("fetch", "--quiet", "--depth=1", "origin", commit);
    }
    git("-c", "tar.umask=0022", "archive", "--format=tar", "--output=" + tar, commit);
  }

  private boolean present(String commit) {
    return run("cat-file", "-e", commit + "^{commit}").exitCode() == 0;
  }

  private void git(String... arguments) {
    Outcome outcome = run(arguments);
    if (outcome.exitCode() != 0) {
      throw new IllegalStateException(
          "git "
              + String.join(" ", arguments)
              + " failed in "
              + repository
              + " (the previous release's source is read from git by the commit in "
              + FILE
              + "): "
              + outcome.output().strip());
    }
  }

  private record Outcome(int exitCode, String output) {}

  private Outcome run(String... arguments) {
    String[] command = new String[arguments.length + 3];
    command[0] = "git";
    command[1] = "-C";
    command[2] = repository.toString();
    System.arraycopy(arguments, 0, command, 3, arguments.length);
    try {
      Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = git.getInputStream().readAllBytes();
      if (!git.waitFor(2, TimeUnit.MINUTES)) {
        git.destroyForcibly();
        return new Outcome(-1, String.join(" ", command) + " did not finish");
      }
      return new Outcome(git.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run git", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
