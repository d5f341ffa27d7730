package io.holdfast.cli.keys;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code holdfast keys sign-keyset}: build a key set and sign it with root keys held here. */
@Command(
    name = "sign-keyset",
    // Not the standard help mixin: its -V/--version would take --version, which here is the key
    // set's version.
    description = {
      "Build a key set (the online keys that may sign documents, the revoked ones, a version and"
          + " an expiry), sign it with the root keys given, verify it and write it.",
      "With a threshold above the keys given, the file is written with the signatures so far;"
          + " the other holders add theirs with 'holdfast keys cosign'.",
      "A root rotation (--next-root) must be signed by a threshold of both roots.",
      "TIME is an instant (2027-03-01T00:00:00Z) or a duration after the issue time (90d, 36h,"
          + " 30m, P90D)."
    })
final class SignKeySetCommand implements Callable<Integer> {

  /**
   * How long before the issue time a signing key's window starts by default. A key that already
   * signs must stay valid for a client whose clock runs behind the signer's; a window starting at
   * the issue instant would make such a client refuse every document for as long as its clock lags.
   */
  static final Duration DEFAULT_BACKDATE = Duration.ofDays(1);

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = "--root",
      required = true,
      paramLabel = "ROOT.JSON",
      description = "The root that signs this key set (root.json from init-root).")
  Path root;

  @Option(
      names = "--root-key",
      required = true,
      paramLabel = "PEM",
      description = "A private root key signing now; repeat for several.")
  List<Path> rootKeys;

  @Option(
      names = "--next-root",
      paramLabel = "ROOT.JSON",
      description =
          "Rotate the root: the key set names this root, which signs the next key set. Give"
              + " --root-key files of both roots; a threshold of each must sign.")
  Path nextRoot;

  /** One online key and its optional window; picocli starts a new one at each --signing-key. */
  static final class SigningKeyOptions {
    @Option(
        names = "--signing-key",
        required = true,
        paramLabel = "KEY",
        description =
            "An online signing key: the base64 publicKey as a replica's GET /v1/keys lists it,"
                + " or a file: PEM with a PUBLIC KEY block, or the base64 alone. Repeat for several;"
                + " --not-before and"
                + " --not-after after it apply to it.")
    String key;

    @Option(
        names = "--not-before",
        paramLabel = "TIME",
        description =
            "When the key preceding this option starts to be valid (default: one day before issue).")
    String notBefore;

    @Option(
        names = "--not-after",
        paramLabel = "TIME",
        description =
            "When the key preceding this option stops being valid (default: when the key set expires).")
    String notAfter;
  }

  @ArgGroup(exclusive = false, multiplicity = "0..*")
  List<SigningKeyOptions> signingKeys = new ArrayList<>();

  @Option(
      names = "--revoke",
      paramLabel = "KEY_ID",
      description = "A key id clients must never trust again (hf1-…); repeat for several.")
  List<String> revoked = new ArrayList<>();

  @Option(
      names = "--version",
      paramLabel = "N",
      description =
          "The key set's version, higher than any published before (with --previous, default:"
              + " the previous one's plus 1).")
  Long version;

  @Option(
      names = "--previous",
      paramLabel = "FILE",
      description =
          "The key set published before this one: its version must be exceeded, its root must"
              + " sign, and its revocations and recovery marker are carried over.")
  Path previous;

  @Option(
      names = "--expires",
      required = true,
      paramLabel = "TIME",
      description = "When the key set stops being valid; sign and publish the next one before.")
  String expires;

  @Option(
      names = "--recovery-epoch",
      paramLabel = "E",
      description =
          "Fast-forward recovery marker (FAULTS D13): its epoch, 1 for the first recovery. Once"
              + " issued, every later key set repeats the marker (same or higher epoch).")
  Long recoveryEpoch;

  @Option(
      names = "--recovery-key",
      paramLabel = "KEY_ID",
      description = "A key id whose revisions the marker voids; repeat for several.")
  List<String> recoveryKeys = new ArrayList<>();

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the signed key set; an existing file is refused.")
  Path out;

  @Override
  public Integer call() {
    // Whole seconds: the key set's instants read the same wherever they are printed.
    Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    if (Files.exists(out)) {
      throw new IllegalArgumentException(
          "--out " + out + " exists; choose another file (cosign adds signatures to one)");
    }
    RootKeys signingRoot = RootFile.read(root);
    RootKeys namedRoot = signingRoot;
    if (nextRoot != null) {
      namedRoot = RootFile.read(nextRoot);
      if (namedRoot.equals(signingRoot)) {
        throw new IllegalArgumentException(
            "--next-root " + nextRoot + " is the same root as --root; leave --next-root out");
      }
    }
    Optional<KeySetSuccession> succession =
        Optional.ofNullable(previous)
            .map(file -> new KeySetSuccession(KeySetFile.read(file).keySet(), file));
    succession.ifPresent(s -> s.requireSigningRoot(signingRoot));
    long keySetVersion;
    if (succession.isPresent()) {
      keySetVersion = succession.get().version(version);
    } else if (version == null) {
      throw new IllegalArgumentException(
          "give --version, or --previous <the key set published before> to take the next one");
    } else {
      keySetVersion = version;
    }
    var signer = RootSigner.of(rootKeys, signingRoot, namedRoot);
    Instant expiry = time("--expires", expires, issuedAt);
    if (!expiry.isAfter(issuedAt)) {
      throw new IllegalArgumentException(
          "--expires " + expires + " is not after the issue time " + issuedAt);
    }
    KeySet keySet;
    try {
      keySet =
          new KeySet(
              keySetVersion,
              issuedAt,
              expiry,
              signingKeys(issuedAt, expiry),
              succession.map(s -> s.revoked(revoked)).orElseGet(() -> new TreeSet<>(revoked)),
              namedRoot,
              succession.isPresent() ? succession.get().recovery(recovery()) : recovery());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot build the key set: " + e.getMessage());
    }
    SignedKeySet signed = signer.sign(keySet);
    SignatureReport report = new SignatureReport(signed, signingRoot, issuedAt);
    PrintWriter stdout = spec.commandLine().getOut();
    KeySetText.print(stdout, keySet, issuedAt);
    succession.ifPresent(s -> stdout.println("  " + s.describe()));
    report.print(stdout);
    if (!report.accepted() && !report.awaitsSignatures()) {
      throw new IllegalArgumentException(
          "not written: the key set would be refused: " + report.verdictText());
    }
    KeySetFile.write(out, signed);
    stdout.println("wrote " + out);
    if (report.accepted()) {
      stdout.println("Publish it to every replica: holdfast keys publish " + out);
    } else {
      stdout.println(
          "Each further root key holder adds a signature: holdfast keys cosign --in "
              + out
              + " --root "
              + root
              + " --root-key <their key.pem> --out "
              + out);
    }
    return 0;
  }

  private List<KeySet.SigningKey> signingKeys(Instant issuedAt, Instant expiry) {
    List<KeySet.SigningKey> keys = new ArrayList<>();
    for (SigningKeyOptions option : signingKeys) {
      VerificationKey key = SigningKeyArgument.parse(option.key);
      Instant notBefore =
          option.notBefore == null
              ? issuedAt.minus(DEFAULT_BACKDATE)
              : time("--not-before", option.notBefore, issuedAt);
      Instant notAfter =
          option.notAfter == null ? expiry : time("--not-after", option.notAfter, issuedAt);
      if (!notAfter.isAfter(notBefore)) {
        throw new IllegalArgumentException(
            "signing key "
                + key.keyId()
                + ": --not-after "
                + notAfter
                + " is not after --not-before "
                + notBefore);
      }
      keys.add(new KeySet.SigningKey(key, notBefore, notAfter));
    }
    if (keys.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "warning: no --signing-key: clients holding this key set trust no document until"
                  + " the next one");
    }
    return keys;
  }

  private Optional<KeySet.Recovery> recovery() {
    if (recoveryEpoch == null && recoveryKeys.isEmpty()) {
      return Optional.empty();
    }
    if (recoveryEpoch == null || recoveryKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "a recovery marker needs both --recovery-epoch and at least one --recovery-key");
    }
    return Optional.of(new KeySet.Recovery(recoveryEpoch, new TreeSet<>(recoveryKeys)));
  }

  private static Instant time(String option, String text, Instant issuedAt) {
    try {
      return TimeArgument.parse(text).resolve(issuedAt);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage());
    }
  }
}
