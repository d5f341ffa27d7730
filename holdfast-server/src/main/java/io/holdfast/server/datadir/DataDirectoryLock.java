package io.holdfast.server.datadir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive, cross-process lock on a data directory, held while a replica initialises it (schema
 * migration, signing key, bootstrap credential). Two replicas started together on an empty
 * directory therefore never race to create two different keys.
 */
public final class DataDirectoryLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Blocks until the lock on {@code directory} is held. */
  public static DataDirectoryLock acquire(Path directory) {
    try {
      OwnerOnlyFiles.createDirectories(directory);
      Path lockFile = directory.resolve(".init.lock");
      OwnerOnlyFiles.createFile(lockFile);
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
      try {
        return new DataDirectoryLock(channel, channel.lock());
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock the data directory " + directory, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the data directory lock", e);
    }
  }
}
