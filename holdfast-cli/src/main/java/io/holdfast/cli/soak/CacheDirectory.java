package io.holdfast.cli.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client's disk cache directory, which the nemesis fills up or turns read-only. Where the soak
 * may mount file systems (it runs as root, for which permission bits mean nothing), the directory
 * is a small tmpfs of its own: "full" writes a filler file until it is, "read-only" remounts it
 * {@code ro}. Elsewhere both faults fall back to replacing the directory by a plain file, so that
 * every write into it fails; {@link #mode()} says which is in use, for the summary. Not
 * thread-safe: the nemesis is its only user.
 */
final class CacheDirectory implements AutoCloseable {

  /** How the faults are made. */
  enum Mode {
    TMPFS,
    REPLACED_BY_FILE
  }

  private static final String SIZE = "2m";

  private final Path path;
  private final Path aside;
  private final Mode mode;
  private boolean readOnly;
  private boolean replaced;

  private CacheDirectory(Path path, Mode mode) {
    this.path = path;
    this.aside = path.resolveSibling(path.getFileName() + ".aside");
    this.mode = mode;
  }

  /** Creates the directory, as a tmpfs mount if this process may mount one. */
  static CacheDirectory create(Path path) throws IOException, InterruptedException {
    Files.createDirectories(path);
    boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", path.toString());
    return new CacheDirectory(path, mounted ? Mode.TMPFS : Mode.REPLACED_BY_FILE);
  }

  Path path() {
    return path;
  }

  Mode mode() {
    return mode;
  }

  /** Fills the file system (tmpfs), or replaces the directory by a file. */
  void fill() throws IOException, InterruptedException {
    if (mode == Mode.REPLACED_BY_FILE) {
      replaceByFile();
      return;
    }
    byte[] block = new byte[64 * 1024];
    try (var out =
        Files.newOutputStream(filler(), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      // At most 2 MiB fit: the loop ends with ENOSPC well before its bound.
      for (int i = 0; i < 1024; i++) {
        out.write(block);
      }
    } catch (IOException e) {
      // No space left: that was the point.
    }
  }

  /** Remounts the tmpfs read-only, or replaces the directory by a file. */
  void makeReadOnly() throws IOException, InterruptedException {
    if (mode == Mode.REPLACED_BY_FILE) {
      replaceByFile();
      return;
    }
    readOnly = run("mount", "-o", "remount,ro", path.toString());
  }

  /** Undoes every fault: writable again, the filler gone, the directory back. */
  void heal() throws IOException, InterruptedException {
    if (readOnly) {
      run("mount", "-o", "remount,rw", path.toString());
      readOnly = false;
    }
    Files.deleteIfExists(filler());
    if (replaced) {
      Files.delete(path);
      Files.move(aside, path);
      replaced = false;
    }
  }

  /** Empties the directory, for a cold start without a cache. */
  void wipe() throws IOException {
    try (var files = Files.walk(path)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!file.equals(path)) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private void replaceByFile() throws IOException {
    if (!replaced) {
      Files.move(path, aside);
      Files.writeString(path, "not a directory: the soak's cache fault\n");
      replaced = true;
    }
  }

  private Path filler() {
    return path.resolve("soak-filler.bin");
  }

  @Override
  public void close() throws IOException {
    try {
      heal();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Unmounted even when healing failed: a tmpfs must not outlive the soak.
      if (mode == Mode.TMPFS) {
        unmount();
      }
    }
  }

  private void unmount() throws IOException {
    try {
      run("umount", "-l", path.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(List.of(command))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return false;
    }
    return process.exitValue() == 0;
  }
}
