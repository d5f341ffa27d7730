package io.holdfast.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.signature.VerificationKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitRootCommandTest {

  @TempDir Path dir;

  @Test
  void initRoot_writesOwnerOnlyKeysAndThePublicRoot() throws Exception {
    Path out = dir.resolve("root");

    KeysRun run = KeysRun.of("keys", "init-root", "--out", out, "--keys", 3, "--threshold", 2).ok();

    RootKeys root = RootFile.read(out.resolve("root.json"));
    assertThat(root.threshold()).isEqualTo(2);
    assertThat(root.keys()).hasSize(3);
    for (int i = 1; i <= 3; i++) {
      Path key = out.resolve("root-key-" + i + ".pem");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
          .isEqualTo("rw-------");
      String keyId = VerificationKey.of(RootKeyFile.read(key).getPublic()).keyId();
      assertThat(root.keyIds()).contains(keyId);
      assertThat(run.out()).contains("wrote " + key + "  private root key " + keyId);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rwx------");
    assertThat(run.out()).contains("2 of 3 keys must sign").contains("belong offline");
  }

  @Test
  void rootJson_usesTheMembersOfAKeySetsRoot() throws Exception {
    Path out = dir.resolve("root");
    KeysRun.of("keys", "init-root", "--out", out).ok();

    String json = Files.readString(out.resolve("root.json"));

    assertThat(json).contains("\"keys\"", "\"keyId\"", "\"publicKey\"", "\"threshold\" : 1");
  }

  @Test
  void initRoot_refusesToOverwriteAnExistingRoot_andLeavesItAlone() throws Exception {
    Path out = dir.resolve("root");
    KeysRun.of("keys", "init-root", "--out", out, "--keys", 2).ok();
    byte[] key = Files.readAllBytes(out.resolve("root-key-1.pem"));
    byte[] root = Files.readAllBytes(out.resolve("root.json"));

    KeysRun.of("keys", "init-root", "--out", out, "--keys", 3)
        .refused(out.resolve("root-key-1.pem") + " exists; init-root never overwrites a root");

    assertThat(Files.readAllBytes(out.resolve("root-key-1.pem"))).isEqualTo(key);
    assertThat(Files.readAllBytes(out.resolve("root.json"))).isEqualTo(root);
    assertThat(out.resolve("root-key-3.pem")).doesNotExist();
  }

  @Test
  void initRoot_refusesWhenOnlyRootJsonExists_beforeWritingAnyKey() throws Exception {
    Path out = Files.createDirectories(dir.resolve("root"));
    Files.writeString(out.resolve("root.json"), "{}");

    KeysRun.of("keys", "init-root", "--out", out).refused("root.json exists");

    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.toList()).containsExactly(out.resolve("root.json"));
    }
  }

  @Test
  void badCounts_areRefusedBeforeAnythingIsWritten() {
    Path out = dir.resolve("root");

    KeysRun.of("keys", "init-root", "--out", out, "--keys", 2, "--threshold", 3)
        .refused("--threshold must be from 1 to --keys (2), was 3");
    KeysRun.of("keys", "init-root", "--out", out, "--keys", 17)
        .refused("--keys must be from 1 to 16, was 17");
    KeysRun.of("keys", "init-root", "--out", out, "--threshold", 0)
        .refused("--threshold must be from 1 to --keys (1), was 0");
    KeysRun.of("keys", "init-root", "--out", out, "--keys", "many")
        .refused("Invalid value for option '--keys': 'many' is not an int");

    assertThat(out).doesNotExist();
  }

  @Test
  void outThatIsAFile_isRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");

    KeysRun.of("keys", "init-root", "--out", file).refused("is a file, not a directory");
  }

  @Test
  void rootKeyReadableByOthers_isRefusedWithTheFix() throws Exception {
    Path out = dir.resolve("root");
    KeysRun.of("keys", "init-root", "--out", out).ok();
    Path key = out.resolve("root-key-1.pem");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            out.resolve("root.json"),
            "--root-key",
            key,
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            dir.resolve("ks.json"))
        .refused("is accessible to other users (mode rw-r--r--); run: chmod 600 " + key);
    assertThat(dir.resolve("ks.json")).doesNotExist();
  }

  @Test
  void rootFile_editedToNameAnotherKey_isRefused() throws Exception {
    Path out = dir.resolve("root");
    KeysRun.of("keys", "init-root", "--out", out, "--keys", 2).ok();
    RootKeys root = RootFile.read(out.resolve("root.json"));
    List<String> ids = List.copyOf(root.keyIds());
    Path edited = out.resolve("root.json");
    Files.writeString(edited, Files.readString(edited).replace(ids.get(0), "hf1-0000000000000000"));

    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            edited,
            "--root-key",
            out.resolve("root-key-1.pem"),
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            dir.resolve("ks.json"))
        .refused("keys[0].keyId is 'hf1-0000000000000000', but the public key's id is");
  }
}
