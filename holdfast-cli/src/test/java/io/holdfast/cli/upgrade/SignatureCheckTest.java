package io.holdfast.cli.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.SignatureTree;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The check verifies each distinct signed root once, yet every body must still lead to a root that
 * verifies on its own: a remembered verdict is never lent to a body whose proof leads elsewhere.
 */
class SignatureCheckTest {

  private DocumentSigner signer;
  private DocumentSigner other;

  @BeforeEach
  void keys() throws Exception {
    KeyPairGenerator ed25519 = KeyPairGenerator.getInstance("Ed25519");
    signer = new DocumentSigner(ed25519.generateKeyPair());
    other = new DocumentSigner(ed25519.generateKeyPair());
  }

  @Test
  void documentsOfOneBatch_verifyTheirRootOnce() {
    List<byte[]> bodies = bodies(50);
    List<SignatureHeader> headers = SignatureTree.sign(signer, digests(bodies));
    SignatureCheck check = new SignatureCheck(List.of(signer.verificationKey()));

    for (int i = 0; i < bodies.size(); i++) {
      assertThat(check.problem(signed(bodies.get(i), headers.get(i)))).isNull();
    }
    // The same documents again, as a current replica with the candidate's bytes sends them.
    for (int i = 0; i < bodies.size(); i++) {
      assertThat(check.problem(signed(bodies.get(i), headers.get(i)))).isNull();
    }

    assertThat(check.verifications()).isEqualTo(1);
  }

  @Test
  void anotherBatchOrAnotherKey_isVerifiedOnItsOwn_andAccepted() {
    List<byte[]> bodies = bodies(6);
    List<SignatureHeader> batchA = SignatureTree.sign(signer, digests(bodies));
    List<SignatureHeader> batchB = SignatureTree.sign(signer, digests(bodies.subList(0, 3)));
    List<SignatureHeader> byOther = SignatureTree.sign(other, digests(bodies));
    SignatureCheck check =
        new SignatureCheck(List.of(signer.verificationKey(), other.verificationKey()));

    assertThat(check.problem(signed(bodies.get(0), batchA.get(0)))).isNull();
    assertThat(check.problem(signed(bodies.get(0), batchB.get(0)))).isNull();
    assertThat(check.problem(signed(bodies.get(0), byOther.get(0)))).isNull();

    assertThat(check.verifications()).isEqualTo(3);
  }

  @Test
  void aBodyCarryingAnotherDocumentsValidHeader_failsAfterThatHeaderWasAccepted() {
    List<byte[]> bodies = bodies(4);
    List<SignatureHeader> headers = SignatureTree.sign(signer, digests(bodies));
    SignatureCheck check = new SignatureCheck(List.of(signer.verificationKey()));
    assertThat(check.problem(signed(bodies.get(0), headers.get(0)))).isNull();

    // The same header field, so the same root signature, but this body's path leads elsewhere.
    String borrowed = check.problem(signed(bodies.get(1), headers.get(0)));
    // Re-serialised bytes under the original header: the same.
    byte[] altered =
        (new String(bodies.get(0), StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
    String reserialised = check.problem(signed(altered, headers.get(0)));

    String keyId = signer.verificationKey().keyId();
    assertThat(borrowed).isEqualTo("the signature by " + keyId + " does not verify over the body");
    assertThat(reserialised).isEqualTo(borrowed);
  }

  @Test
  void aForgedSignatureOverARootAlreadyVerified_isVerifiedAndFails() {
    List<byte[]> bodies = bodies(4);
    List<SignatureHeader> headers = SignatureTree.sign(signer, digests(bodies));
    SignatureCheck check = new SignatureCheck(List.of(signer.verificationKey()));
    assertThat(check.problem(signed(bodies.get(2), headers.get(2)))).isNull();

    byte[] signature = headers.get(2).signature();
    signature[0] ^= 1;
    SignatureHeader forged =
        new SignatureHeader(
            headers.get(2).keyId(), headers.get(2).algorithm(), signature, headers.get(2).proof());

    assertThat(check.problem(signed(bodies.get(2), forged))).contains("does not verify");
    assertThat(check.verifications()).isEqualTo(2);
  }

  @Test
  void plainSignatures_areRememberedByBodyAndSignature() {
    byte[] body = bodies(1).get(0);
    SignatureHeader header = signer.sign(body);
    SignatureCheck check = new SignatureCheck(List.of(signer.verificationKey()));

    assertThat(check.problem(signed(body, header))).isNull();
    assertThat(check.problem(signed(body, header))).isNull();
    assertThat(check.problem(signed(bodies(2).get(1), header))).contains("does not verify");

    assertThat(check.verifications()).isEqualTo(2);
  }

  @Test
  void verdicts_keepAtMostTheirCapacity_forgettingTheLeastRecentlyUsed() {
    SignatureVerdicts verdicts = new SignatureVerdicts(2);
    SignatureVerdicts.Signed a = signedEntry(1);
    SignatureVerdicts.Signed b = signedEntry(2);
    SignatureVerdicts.Signed c = signedEntry(3);

    verdicts.verdict(a, () -> true);
    verdicts.verdict(b, () -> false);
    assertThat(verdicts.verdict(a, () -> false)).isTrue(); // remembered, and now the most recent
    verdicts.verdict(c, () -> true); // b goes

    assertThat(verdicts.size()).isEqualTo(2);
    assertThat(verdicts.verdict(b, () -> true)).isTrue(); // computed anew
    assertThat(verdicts.computed()).isEqualTo(4);
  }

  private static SignatureVerdicts.Signed signedEntry(int n) {
    return new SignatureVerdicts.Signed(
        "hf1-test", SignatureHeader.ED25519_TREE, new byte[] {(byte) n}, new byte[] {1, 2});
  }

  private static List<byte[]> bodies(int count) {
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      bodies.add(
          ("{\"instance\":\"i-" + i + "\",\"revision\":7}").getBytes(StandardCharsets.UTF_8));
    }
    return bodies;
  }

  private static List<byte[]> digests(List<byte[]> bodies) {
    return bodies.stream().map(body -> ContentHash.of(body).sha256()).toList();
  }

  private static Reading signed(byte[] body, SignatureHeader header) {
    return new Reading(200, Map.of(HoldfastHeaders.SIGNATURE, header.toHeaderValue()), body);
  }
}
