package io.holdfast.server.datadir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.server.ServerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything a replica creates is its owner's alone, whatever the umask: the database and its
 * {@code -wal} and {@code -shm} files, the signing key, the admin-token file and the lock file are
 * 0600, a data directory it creates is 0700. A signing key that others may read makes the replica
 * refuse to start, naming the file and the fix.
 */
class FileModesTest {

  @TempDir Path root;

  private static Map<String, String> modes(Path directory) throws IOException {
    Map<String, String> modes = new TreeMap<>();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.toList()) {
        modes.put(
            directory.relativize(file).toString(),
            PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      }
    }
    return modes;
  }

  @Test
  void everythingAReplicaCreates_isOwnerOnly() throws IOException {
    Path data = root.resolve("nested").resolve("data");
    try (ServerFixture server = ServerFixture.start(data)) {
      server.createNamespace("core");
      server.publishLayer("core", "default", "{\"a\":1}");

      Map<String, String> modes = modes(root.resolve("nested"));

      assertThat(modes)
          .containsKeys(
              "data",
              "data/holdfast.db",
              "data/holdfast.db-wal",
              "data/holdfast.db-shm",
              "data/signing-key.pem",
              "data/admin-token",
              "data/.init.lock");
      modes.forEach(
          (file, mode) -> {
            if (Files.isDirectory(root.resolve("nested").resolve(file))) {
              assertThat(mode).as("directory %s", file).isEqualTo("rwx------");
            } else {
              assertThat(mode).as("file %s", file).isEqualTo("rw-------");
            }
          });
    }
  }

  @Test
  void aSigningKeyOthersCanRead_stopsTheReplicaFromStarting_sayingWhichFileAndTheFix()
      throws IOException {
    Path data = root.resolve("data");
    ServerFixture.start(data).close();
    Path key = data.resolve("signing-key.pem");

    for (String loose : new String[] {"rw-r--r--", "rw-r-----", "rw----r--"}) {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(loose));
      assertThatThrownBy(() -> ServerFixture.start(data))
          .isInstanceOf(UnsafePermissionsException.class)
          .hasMessageContaining("signing key " + key)
          .hasMessageContaining(loose)
          .hasMessageContaining("chmod 600 " + key);
    }

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    try (ServerFixture server = ServerFixture.start(data)) {
      assertThat(server.get("/v1/admin/rings", server.adminToken()).statusCode())
          .as("starts once it is private")
          .isEqualTo(200);
    }
  }

  @Test
  void aRefusedStart_leavesTheDatabaseClosed_soAFixedStartWorks() throws IOException {
    Path data = root.resolve("data");
    ServerFixture.start(data).close();
    Path key = data.resolve("signing-key.pem");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThatThrownBy(() -> ServerFixture.start(data))
        .isInstanceOf(UnsafePermissionsException.class);

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
    try (ServerFixture server = ServerFixture.start(data)) {
      assertThat(server.get("/v1/admin/rings", server.adminToken()).statusCode()).isEqualTo(200);
    }
  }
}
