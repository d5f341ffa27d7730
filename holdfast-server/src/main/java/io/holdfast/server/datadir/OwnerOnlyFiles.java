package io.holdfast.server.datadir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and directories a replica creates are its owner's alone: the database (whose {@code -wal}
 * and {@code -shm} files SQLite creates with the database file's mode), the signing key, the
 * admin-token file, the data directory's lock. They are created with that mode, not narrowed after
 * the fact, so no other user can open them in between whatever the umask. Existing files keep their
 * mode, except the signing key, which must already be private ({@link #requirePrivate}). On a file
 * system without POSIX permissions the directory's own protection is all there is. Stateless.
 */
public final class OwnerOnlyFiles {

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private OwnerOnlyFiles() {}

  /**
   * Creates {@code directory} and missing parents as {@code rwx------}; existing ones are left
   * alone.
   */
  public static void createDirectories(Path directory) throws IOException {
    Path absolute = directory.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      if (posix(absolute)) {
        Files.createDirectory(
            absolute,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(absolute);
      }
    } catch (FileAlreadyExistsException e) {
      // Created concurrently (another replica starting on the same directory): fine.
    }
  }

  /** Creates an empty {@code rw-------} file if none exists; an existing file is left alone. */
  public static void createFile(Path file) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    try {
      if (posix(file)) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      // Created concurrently: fine.
    }
  }

  /**
   * Refuses a file that its group or other users may read, write or run.
   *
   * @throws UnsafePermissionsException naming the file, its mode and the fix
   */
  public static void requirePrivate(Path file, String what) throws IOException {
    if (!posix(file)) {
      return;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
      throw new UnsafePermissionsException(
          what
              + " "
              + file
              + " is accessible to other users (mode "
              + PosixFilePermissions.toString(permissions)
              + "); a replica refuses to start with it. Run: chmod 600 "
              + file);
    }
  }

  private static boolean posix(Path path) {
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null
        && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
