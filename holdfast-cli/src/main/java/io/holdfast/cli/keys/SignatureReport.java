package io.holdfast.cli.keys;

import io.holdfast.protocol.keyset.KeySetVerdict;
import io.holdfast.protocol.keyset.KeySetVerifier;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.RootSignature;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the signatures on a key set amount to, for the people holding root keys: which verify, how
 * many of each root's keys signed against its threshold, and the verdict {@link KeySetVerifier}
 * gives from the trusted root. The verifier stops at the first refusal; the counts show everything
 * that is still missing, so a holder knows how many more signatures to collect.
 */
final class SignatureReport {

  private final SignedKeySet signed;
  private final RootKeys trusted;
  private final KeySetVerdict verdict;

  /**
   * @param trusted the root the signatures must satisfy (for a first key set, or one under an
   *     unchanged root, the same root the key set names)
   */
  SignatureReport(SignedKeySet signed, RootKeys trusted, Instant now) {
    this.signed = signed;
    this.trusted = trusted;
    this.verdict = new KeySetVerifier(trusted).verify(signed, null, now);
  }

  KeySetVerdict verdict() {
    return verdict;
  }

  boolean accepted() {
    return verdict instanceof KeySetVerdict.Accepted;
  }

  /** Whether the only thing wrong is that too few keys signed: more holders can still cosign. */
  boolean awaitsSignatures() {
    return verdict instanceof KeySetVerdict.Refused refused
        && (refused.reason() == KeySetVerdict.Reason.THRESHOLD_NOT_MET
            || refused.reason() == KeySetVerdict.Reason.NEW_ROOT_THRESHOLD_NOT_MET)
        && signatures().stream().allMatch(line -> line.state != SignatureState.DOES_NOT_VERIFY);
  }

  private boolean rotation() {
    return !signed.keySet().root().equals(trusted);
  }

  void print(PrintWriter out) {
    out.println("signatures:");
    for (SignatureLine line : signatures()) {
      out.println("  " + line.keyId + "  " + line.state.text);
    }
    out.println("  " + thresholdLine(rotation() ? "trusted root" : "root", trusted));
    if (rotation()) {
      out.println("  " + thresholdLine("new root the key set names", signed.keySet().root()));
    }
    out.println("verdict: " + verdictText());
  }

  String verdictText() {
    return switch (verdict) {
      case KeySetVerdict.Accepted accepted ->
          "accepted: version "
              + accepted.trusted().version()
              + " is trusted under root "
              + RootText.ids(trusted)
              + (rotation() ? " and rotates it to " + RootText.ids(signed.keySet().root()) : "");
      case KeySetVerdict.Refused refused ->
          "refused (" + refused.reason() + "): " + refused.message();
    };
  }

  private String thresholdLine(String name, RootKeys root) {
    int count = 0;
    for (SignatureLine line : signatures()) {
      if (line.state == SignatureState.VERIFIES && root.key(line.keyId).isPresent()) {
        count++;
      }
    }
    String text =
        name
            + " "
            + RootText.ids(root)
            + ": "
            + count
            + " of "
            + root.keys().size()
            + " keys signed; threshold "
            + root.threshold();
    return count >= root.threshold()
        ? text + " met"
        : text + " not met, " + (root.threshold() - count) + " more needed";
  }

  private List<SignatureLine> signatures() {
    List<SignatureLine> lines = new ArrayList<>();
    byte[] message = signed.signedMessage();
    for (RootSignature signature : signed.signatures()) {
      Optional<VerificationKey> key =
          trusted.key(signature.keyId()).or(() -> signed.keySet().root().key(signature.keyId()));
      SignatureState state;
      if (key.isEmpty()) {
        state = SignatureState.UNKNOWN_KEY;
      } else if (key.get()
          .verifies(
              message,
              new SignatureHeader(
                  signature.keyId(), SignatureHeader.ED25519, signature.signature()))) {
        state = SignatureState.VERIFIES;
      } else {
        state = SignatureState.DOES_NOT_VERIFY;
      }
      lines.add(new SignatureLine(signature.keyId(), state));
    }
    return lines;
  }

  private record SignatureLine(String keyId, SignatureState state) {}

  private enum SignatureState {
    VERIFIES("verifies"),
    DOES_NOT_VERIFY("DOES NOT VERIFY: the key set was changed after it was signed"),
    UNKNOWN_KEY("by a key not in the root(s) checked");

    private final String text;

    SignatureState(String text) {
      this.text = text;
    }
  }
}
