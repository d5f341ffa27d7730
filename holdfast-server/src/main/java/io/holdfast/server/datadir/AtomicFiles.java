package io.holdfast.server.datadir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Atomic, durable writes of small files: temporary file, fsync, rename, fsync of the directory. A
 * crash leaves either the old file or the new one, never a torn one.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /** Writes {@code bytes} to {@code path} atomically, readable by the owner only. */
  public static void writeOwnerOnly(Path path, byte[] bytes) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    OwnerOnlyFiles.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".tmp-", ".part");
    try {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the directory's permissions must protect the file.
      }
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      } catch (IOException e) {
        // Some file systems cannot fsync a directory; the rename itself has happened.
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
