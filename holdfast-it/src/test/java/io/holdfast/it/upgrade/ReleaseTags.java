package io.holdfast.it.upgrade;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The project's git history as the upgrade tests read it: releases are tagged {@code v<version>},
 * and "the previous release" is the newest such tag before the current commit. Fails, never skips,
 * where the history cannot be read (a shallow clone): the rule it checks must not lapse silently.
 */
final class ReleaseTags {

  private final Path repository;

  private ReleaseTags(Path repository) {
    this.repository = repository;
  }

  /** The repository the tests run in. */
  static ReleaseTags here() {
    return new ReleaseTags(Path.of(git(Path.of("."), "rev-parse", "--show-toplevel").strip()));
  }

  /** The newest {@code v*} tag reachable from the current commit's parent. */
  String previousRelease() {
    return git("describe", "--tags", "--abbrev=0", "--match", "v*", "HEAD^").strip();
  }

  /** The commit {@code tag} names. */
  String commitOf(String tag) {
    return git("rev-parse", tag + "^{commit}").strip();
  }

  /** Runs {@code git} in the repository; its output. */
  String git(String... arguments) {
    return git(repository, arguments);
  }

  /** The file names in {@code folder} (relative to the repository) at {@code tag}. */
  List<String> filesAt(String tag, String folder) {
    String listing = git("ls-tree", "--name-only", tag + ":" + folder);
    return Arrays.stream(listing.split("\n")).filter(name -> !name.isBlank()).toList();
  }

  Path repository() {
    return repository;
  }

  private static String git(Path dir, String... arguments) {
    String[] command = new String[arguments.length + 3];
    command[0] = "git";
    command[1] = "-C";
    command[2] = dir.toString();
    System.arraycopy(arguments, 0, command, 3, arguments.length);
    try {
      Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = git.getInputStream().readAllBytes();
      if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed (releases are tagged v<version>; a shallow clone has no history): "
                + new String(output, StandardCharsets.UTF_8).strip());
      }
      return new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run git", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
