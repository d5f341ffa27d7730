package io.holdfast.cli.keys;

import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.SignedKeySet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code holdfast keys inspect}: a signed key set, readably, with its signatures checked. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Print a signed key set: version, issue and expiry, the root, the signing keys and their"
          + " windows, revoked key ids, and each signature with whether it verifies.",
      "With --root, verify it as a client pinning that root would, and exit "
          + KeysCommand.EXIT_UNTRUSTED
          + " if it would be refused."
    })
final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The signed key set.")
  Path file;

  @Option(
      names = "--root",
      paramLabel = "ROOT.JSON",
      description =
          "The root to verify against (default: the root the key set names, which cannot show"
              + " whether the outgoing root of a rotation signed).")
  Path root;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    SignedKeySet signed = KeySetFile.read(file);
    RootKeys trusted = root == null ? signed.keySet().root() : RootFile.read(root);
    PrintWriter stdout = spec.commandLine().getOut();
    KeySetText.print(stdout, signed.keySet(), now);
    SignatureReport report = new SignatureReport(signed, trusted, now);
    report.print(stdout);
    if (root == null) {
      stdout.println(
          "(checked against the root the key set names; give --root <root.json> to check it as a"
              + " client pinning your root would)");
      return 0;
    }
    return report.accepted() ? 0 : KeysCommand.EXIT_UNTRUSTED;
  }
}
