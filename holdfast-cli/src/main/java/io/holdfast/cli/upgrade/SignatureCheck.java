package io.holdfast.cli.upgrade;

import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.SignatureTree;
import io.holdfast.protocol.signature.VerificationKey;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Whether an answer's {@code Holdfast-Signature} verifies over its body under a trusted key, as the
 * SDK and the probe check it. Two replicas may sign the same bytes differently (another key,
 * another batch), so signatures are never compared with each other, only verified.
 *
 * <p>Each Ed25519 verification is remembered ({@link SignatureVerdicts}) by what it depends on: the
 * key, the algorithm, the signed message and the signature. Why: a replica signs a whole rebuild's
 * documents with one {@code ed25519-tree} signature, so the documents of one batch lead, through
 * their proofs, to the same signed root, and verifying it once per distinct root and signature
 * instead of once per document and replica takes the check's largest cost away. A current replica's
 * answer with the candidate's bytes and signature field leads to the very message and signature
 * just verified for the candidate, so it costs a few hashes; one with another signature (another
 * key, another batch, or a forged one) is a different entry and is verified on its own. The proof
 * is walked from this body every time, so a body never borrows another's verdict.
 *
 * <p>Thread-safe.
 */
final class SignatureCheck {

  /** Distinct roots in flight are few (one per batch a replica signed); plain signatures churn. */
  static final int REMEMBERED_VERDICTS = 4096;

  private final Map<String, VerificationKey> trusted;
  private final SignatureVerdicts verdicts = new SignatureVerdicts(REMEMBERED_VERDICTS);

  SignatureCheck(Collection<VerificationKey> keys) {
    this.trusted =
        keys.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    VerificationKey::keyId, Function.identity(), (a, b) -> a));
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("no trusted key to verify signatures with");
    }
  }

  /** The key ids trusted, for the report. */
  Collection<String> keyIds() {
    return trusted.keySet();
  }

  /** How many Ed25519 verifications were actually run, the rest having been remembered. */
  long verifications() {
    return verdicts.computed();
  }

  /** Why the answer's signature fails, or {@code null} when it verifies. */
  String problem(Reading answer) {
    String field = answer.header(HoldfastHeaders.SIGNATURE);
    if (field == null) {
      return "no " + HoldfastHeaders.SIGNATURE + " header";
    }
    SignatureHeader header;
    try {
      header = SignatureHeader.parse(field);
    } catch (IllegalArgumentException e) {
      return "malformed " + HoldfastHeaders.SIGNATURE + ": " + e.getMessage();
    }
    VerificationKey key = trusted.get(header.keyId());
    if (key == null) {
      return "signed by key " + header.keyId() + ", which is not trusted";
    }
    return verifies(key, answer.body(), header)
        ? null
        : "the signature by " + header.keyId() + " does not verify over the body";
  }

  private boolean verifies(VerificationKey key, byte[] body, SignatureHeader header) {
    byte[] message = signedMessage(body, header);
    if (message == null) {
      return key.verifies(body, header); // an algorithm or proof no key accepts: false, uncached
    }
    SignatureVerdicts.Signed signed =
        new SignatureVerdicts.Signed(
            header.keyId(),
            header.algorithm(),
            // A tree message is a context and a root, 48 bytes; a plain one is the whole body, so
            // it is remembered by its hash (SHA-256 is collision resistant, as the tree assumes).
            ContentHash.of(message).sha256(),
            header.signature());
    return verdicts.verdict(signed, () -> key.verifies(body, header));
  }

  /**
   * The bytes the signature covers, as {@link VerificationKey#verifies} derives them, or {@code
   * null} when the header cannot verify whatever the key.
   */
  private static byte[] signedMessage(byte[] body, SignatureHeader header) {
    if (SignatureHeader.ED25519.equals(header.algorithm())) {
      return header.proof().length == 0 ? body : null;
    }
    if (SignatureHeader.ED25519_TREE.equals(header.algorithm())) {
      return SignatureTree.signedMessageFor(body, header.proof());
    }
    return null;
  }
}
