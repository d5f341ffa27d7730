package io.holdfast.it.upgrade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The previous release of Holdfast, built from the repository's history: the last release named in
 * {@code RELEASES}, its commit exported with {@code git archive} into a work tree of its own and
 * packaged with Maven (online: most of what it needs is already in the local repository, the rest
 * comes from Maven Central as for this build). The jar is kept under {@code
 * ~/.cache/holdfast/releases/<commit>/dist/} (with the lib/ its manifest names), under the
 * release's commit, so later runs reuse it; a lock file keeps two test JVMs from building it at
 * once. Fails, never skips, when the history or the build cannot be had.
 *
 * @param release the release, as {@code RELEASES} names it
 * @param jar the CLI's jar of that release ({@code java -jar <jar> server ...})
 */
record PreviousRelease(ReleaseHistory.Release release, Path jar) {

  private static final long BUILD_MINUTES = 20;

  /** The previous release's jar, built on first use. */
  @SuppressWarnings("try") // the lock is held, not used, for the block
  static PreviousRelease build() {
    ReleaseHistory history = ReleaseHistory.here();
    ReleaseHistory.Release release = history.previous();
    String commit = release.commit();
    Path home = Path.of(System.getProperty("user.home"), ".cache", "holdfast", "releases", commit);
    Path dist = home.resolve("dist");
    Path jar = dist.resolve("holdfast.jar");
    try {
      Files.createDirectories(home);
      try (FileChannel lockFile =
              FileChannel.open(
                  home.resolve("build.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = lockFile.lock()) {
        if (!Files.exists(jar)) {
          buildInto(history, release, home, dist);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the previous release " + release, e);
    }
    return new PreviousRelease(release, jar);
  }

  /** Builds {@code release} into {@code dist}: its jar and the lib/ it names. */
  private static void buildInto(
      ReleaseHistory history, ReleaseHistory.Release release, Path home, Path dist)
      throws IOException {
    Path tree = home.resolve("src");
    deleteTree(tree);
    Files.createDirectories(tree);
    history.archive(release.commit(), home.resolve("src.tar"));
    exec(tree, "tar", "-x", "-f", home.resolve("src.tar").toString());
    Files.delete(home.resolve("src.tar"));
    int schema = newestMigration(tree.resolve("holdfast-server/src/main/resources/db/migration"));
    if (schema != release.schema()) {
      throw new IllegalStateException(
          ReleaseHistory.FILE
              + " says "
              + release
              + " carries schema "
              + release.schema()
              + ", but its newest migration is V"
              + schema);
    }
    Path log = home.resolve("build.log");
    List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q", "package"));
    mvn.addAll(List.of("-Dmaven.test.skip=true", "-pl", "holdfast-cli", "-am"));
    Process build =
        new ProcessBuilder(mvn)
            .directory(tree.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      if (!build.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
        build.destroyForcibly();
        throw new IllegalStateException(
            "building the previous release took over " + BUILD_MINUTES + " minutes; see " + log);
      }
    } catch (InterruptedException e) {
      build.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the previous release", e);
    }
    if (build.exitValue() != 0) {
      throw new IllegalStateException(
          "building the previous release failed (exit " + build.exitValue() + "); see " + log);
    }
    // The jar's manifest names its dependencies in lib/ beside it: keep both, moved into place
    // at once so that a build cut short never leaves a jar without its lib/.
    Path target = tree.resolve("holdfast-cli/target");
    Path partial = home.resolve("dist.partial");
    deleteTree(partial);
    Files.createDirectories(partial.resolve("lib"));
    Files.copy(target.resolve("holdfast.jar"), partial.resolve("holdfast.jar"));
    try (Stream<Path> libs = Files.list(target.resolve("lib"))) {
      for (Path lib : libs.toList()) {
        Files.copy(lib, partial.resolve("lib").resolve(lib.getFileName()));
      }
    }
    deleteTree(dist);
    Files.move(partial, dist, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(tree);
  }

  /** The newest migration of either dialect in {@code migrations}. */
  private static int newestMigration(Path migrations) throws IOException {
    int newest = 0;
    for (String dialect : List.of("sqlite", "postgresql")) {
      for (Path migration : MigrationRule.migrations(migrations.resolve(dialect))) {
        newest = Math.max(newest, MigrationRule.version(migration.getFileName().toString()));
      }
    }
    return newest;
  }

  private static void deleteTree(Path tree) throws IOException {
    if (!Files.exists(tree)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(tree)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void exec(Path dir, String... command) throws IOException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
    try {
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed in " + dir);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
