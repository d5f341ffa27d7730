package io.holdfast.cli.keys;

import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code holdfast keys init-root}: a new root of N Ed25519 keys, any K of which must sign. */
@Command(
    name = "init-root",
    mixinStandardHelpOptions = true,
    description = {
      "Create a root of trust: N private root keys (root-key-1.pem …, mode 0600) and root.json,"
          + " the public root (key ids, public keys, threshold) that sign-keyset and clients use.",
      "Existing files are never overwritten. Move each private key to its holder's offline"
          + " storage; they never belong on a replica."
    })
final class InitRootCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write into; created (mode 0700) if missing.")
  Path out;

  @Option(
      names = "--keys",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "How many root keys, 1 to " + RootKeys.MAX_KEYS + " (default ${DEFAULT-VALUE}).")
  int keys;

  @Option(
      names = "--threshold",
      paramLabel = "K",
      defaultValue = "1",
      description = "How many of them must sign each key set, 1 to N (default ${DEFAULT-VALUE}).")
  int threshold;

  @Override
  public Integer call() {
    if (keys < 1 || keys > RootKeys.MAX_KEYS) {
      throw new IllegalArgumentException(
          "--keys must be from 1 to " + RootKeys.MAX_KEYS + ", was " + keys);
    }
    if (threshold < 1 || threshold > keys) {
      throw new IllegalArgumentException(
          "--threshold must be from 1 to --keys (" + keys + "), was " + threshold);
    }
    createDirectory();
    List<Path> keyFiles = new ArrayList<>();
    for (int i = 1; i <= keys; i++) {
      keyFiles.add(out.resolve("root-key-" + i + ".pem"));
    }
    Path rootFile = out.resolve("root.json");
    // Checked before anything is written, so a refusal leaves the directory as it was.
    for (Path file : concat(keyFiles, rootFile)) {
      if (Files.exists(file)) {
        throw new IllegalArgumentException(
            file + " exists; init-root never overwrites a root. Choose another --out");
      }
    }
    List<VerificationKey> publicKeys = new ArrayList<>();
    PrintWriter stdout = spec.commandLine().getOut();
    for (Path file : keyFiles) {
      KeyPair pair = RootKeyFile.generate();
      RootKeyFile.create(file, pair);
      VerificationKey key = VerificationKey.of(pair.getPublic());
      publicKeys.add(key);
      stdout.println("wrote " + file + "  private root key " + key.keyId() + " (mode 0600)");
    }
    RootKeys root = RootKeys.of(threshold, publicKeys);
    RootFile.create(rootFile, root);
    stdout.println(
        "wrote "
            + rootFile
            + "  the public root: "
            + threshold
            + " of "
            + keys
            + " keys must sign");
    stdout.println();
    stdout.println(
        "The private root keys belong offline: move each root-key-*.pem to its holder's offline"
            + " storage (an encrypted USB key, a safe) and delete it here. Never copy one to a"
            + " replica. root.json is public: give it to whoever signs key sets and to the"
            + " applications that pin the root.");
    return 0;
  }

  private void createDirectory() {
    try {
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
      }
      if (!Files.exists(out)) {
        if (out.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix")) {
          Files.createDirectories(
              out,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(out);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create --out " + out + ": " + e, e);
    }
  }

  private static List<Path> concat(List<Path> files, Path last) {
    List<Path> all = new ArrayList<>(files);
    all.add(last);
    return all;
  }
}
