package io.holdfast.client.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run in a separate JVM by tests: tries to take the lock a {@link DiskCache} writer holds, as a
 * second application process sharing the directory would. Exit code 0: it got the lock, so it could
 * write concurrently; 3: the directory is locked by someone else.
 */
public final class LockProbe {

  public static final int GOT_LOCK = 0;
  public static final int LOCKED_BY_OTHER = 3;

  private LockProbe() {}

  public static void main(String[] args) throws IOException {
    try (FileChannel channel =
        FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      System.exit(lock == null ? LOCKED_BY_OTHER : GOT_LOCK);
    }
  }

  /** Runs the probe in a new JVM and returns its exit code. */
  public static int probe(Path lockFile) throws IOException, InterruptedException {
    String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath;
    try {
      classpath =
          Path.of(LockProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    Process process =
        new ProcessBuilder(
                javaBinary, "-cp", classpath, LockProbe.class.getName(), lockFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the lock probe did not finish");
    }
    return process.exitValue();
  }
}
