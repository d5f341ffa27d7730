package io.holdfast.cli.keys;

import io.holdfast.protocol.keyset.KeySetSigner;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.RootSignature;
import io.holdfast.protocol.keyset.SignedKeySet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast keys cosign}: one more root key holder adds a signature to a key set that
 * sign-keyset (or an earlier cosign) wrote, until the threshold is met. The key set itself is not
 * changed: every holder signs the same bytes.
 */
@Command(
    name = "cosign",
    mixinStandardHelpOptions = true,
    description = {
      "Add your root key's signature to a key set written by sign-keyset, until the threshold of"
          + " the root (and, in a root rotation, of the incoming root) is met.",
      "Prints what you are signing, then the signatures and the verdict. --out may be --in."
    })
final class CosignCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--in",
      required = true,
      paramLabel = "FILE",
      description = "The key set to sign.")
  Path in;

  @Option(
      names = "--root",
      required = true,
      paramLabel = "ROOT.JSON",
      description =
          "The root that signs this key set, as you hold it (in a rotation, the outgoing root).")
  Path root;

  @Option(
      names = "--root-key",
      required = true,
      paramLabel = "PEM",
      description = "Your private root key; repeat for several.")
  List<Path> rootKeys;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the key set with the added signatures.")
  Path out;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    SignedKeySet before = KeySetFile.read(in);
    RootKeys trusted = RootFile.read(root);
    SignatureReport existing = new SignatureReport(before, trusted, now);
    if (!existing.accepted() && !existing.awaitsSignatures()) {
      // A broken or foreign signature already on it makes clients refuse the key set whatever is
      // added, and signing it would lend one more name to bytes someone may have altered.
      throw new IllegalArgumentException(
          "not signing " + in + ": the key set would be refused: " + existing.verdictText());
    }
    KeySetSigner signer = RootSigner.of(rootKeys, trusted, before.keySet().root());
    SignedKeySet after = signer.countersign(before);
    PrintWriter stdout = spec.commandLine().getOut();
    KeySetText.print(stdout, after.keySet(), now);
    Set<String> signedBefore = new HashSet<>();
    before.signatures().stream().map(RootSignature::keyId).forEach(signedBefore::add);
    for (RootSignature signature : after.signatures()) {
      if (!signedBefore.contains(signature.keyId())) {
        stdout.println("added the signature of " + signature.keyId());
      }
    }
    if (after.signatures().size() == before.signatures().size()) {
      stdout.println("nothing added: every key given had signed already");
    }
    SignatureReport report = new SignatureReport(after, trusted, now);
    report.print(stdout);
    KeySetFile.write(out, after);
    stdout.println("wrote " + out);
    if (report.accepted()) {
      stdout.println("Publish it to every replica: holdfast keys publish " + out);
    }
    return 0;
  }
}
