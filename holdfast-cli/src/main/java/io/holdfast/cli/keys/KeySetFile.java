package io.holdfast.cli.keys;

import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.keyset.SignedKeySet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A signed key set as a file: exactly the canonical bytes a replica serves and a client caches, so
 * the file can be published as it is. Public (it holds no secret), and written atomically, so a
 * holder adding a signature in place never leaves a torn file.
 */
final class KeySetFile {

  private KeySetFile() {}

  /**
   * Reads and parses the key set at {@code path}; nothing is verified but its form.
   *
   * @throws IllegalArgumentException naming the file and the first member that is wrong
   */
  static SignedKeySet read(Path path) {
    try {
      if (Files.size(path) > SignedKeySet.MAX_BYTES) {
        throw new IllegalArgumentException(
            "the key set "
                + path
                + " has "
                + Files.size(path)
                + " bytes; a key set has at most "
                + SignedKeySet.MAX_BYTES);
      }
      return SignedKeySet.parse(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the key set " + path + " does not exist");
    } catch (JsonInputException e) {
      throw new IllegalArgumentException("the key set " + path + " is refused: " + e.getMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the key set " + path + ": " + e, e);
    }
  }

  /** Writes {@code signed} to {@code path}, replacing a file that is there. */
  static void write(Path path, SignedKeySet signed) {
    Path absolute = path.toAbsolutePath();
    try {
      Path temp = Files.createTempFile(absolute.getParent(), ".keyset-", ".part");
      try {
        Files.write(temp, signed.toBytes());
        try {
          // Public: cosigners and the publishing operator read it, and it holds no secret.
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system: the default mode is all there is.
        }
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the key set " + path + ": " + e, e);
    }
  }
}
