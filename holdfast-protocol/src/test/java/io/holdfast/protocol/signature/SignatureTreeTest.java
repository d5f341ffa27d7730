package io.holdfast.protocol.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.protocol.http.ContentHash;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureTreeTest {

  private static DocumentSigner signer;
  private static DocumentSigner otherSigner;

  @BeforeAll
  static void generateKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    signer = new DocumentSigner(generator.generateKeyPair());
    KeyPair other = generator.generateKeyPair();
    otherSigner = new DocumentSigner(other);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 8, 13, 100})
  void everyDocumentOfATree_verifiesWithItsOwnProof(int size) {
    List<byte[]> bodies = bodies(size);

    List<SignatureHeader> headers = SignatureTree.sign(signer, digests(bodies));

    assertThat(headers).hasSize(size);
    for (int i = 0; i < size; i++) {
      SignatureHeader header = SignatureHeader.parse(headers.get(i).toHeaderValue());
      assertThat(header.algorithm()).isEqualTo("ed25519-tree");
      assertThat(signer.verificationKey().verifies(bodies.get(i), header))
          .as("document %d of %d", i, size)
          .isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 8, 13, 100, 1025})
  void headerValues_areTheHeadersOfSign_characterForCharacter(int size) {
    List<byte[]> digests = new ArrayList<>(digests(bodies(size)));
    Collections.shuffle(digests, new Random(size));

    List<String> values = SignatureTree.signHeaderValues(signer, digests);
    List<SignatureHeader> headers = SignatureTree.sign(signer, digests);

    // Ed25519 is deterministic, so both calls sign the same root with the same bytes.
    assertThat(values).hasSize(size);
    for (int i = 0; i < size; i++) {
      assertThat(values.get(i))
          .as("document %d of %d", i, size)
          .isEqualTo(headers.get(i).toHeaderValue());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 100, 1025})
  void aSignedTree_makesEachHeaderValueWhenAsked_theSameAsSignsHeaders(int size) throws Exception {
    List<byte[]> digests = new ArrayList<>(digests(bodies(size)));
    Collections.shuffle(digests, new Random(size));

    SignatureTree.SignedTree tree = SignatureTree.signTree(signer, digests);
    List<SignatureHeader> headers = SignatureTree.sign(signer, digests);

    assertThat(tree.size()).isEqualTo(size);
    // From two threads at once, in opposite orders: the values do not depend on who asks first.
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<List<String>> forwards =
          threads.submit(() -> IntStream.range(0, size).mapToObj(tree::headerValue).toList());
      Future<List<String>> backwards =
          threads.submit(
              () -> {
                String[] values = new String[size];
                for (int i = size - 1; i >= 0; i--) {
                  values[i] = tree.headerValue(i);
                }
                return List.of(values);
              });
      List<String> expected = headers.stream().map(SignatureHeader::toHeaderValue).toList();
      assertThat(forwards.get()).isEqualTo(expected);
      assertThat(backwards.get()).isEqualTo(expected);
    } finally {
      threads.shutdownNow();
    }
    assertThatThrownBy(() -> tree.headerValue(size)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aSignedTree_needsADocument() {
    assertThatThrownBy(() -> SignatureTree.signTree(signer, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTreeCostsOneSignature_everyHeaderCarriesTheSameOne() {
    List<SignatureHeader> headers = SignatureTree.sign(signer, digests(bodies(50)));

    assertThat(
            headers.stream()
                .map(h -> java.util.Base64.getEncoder().encodeToString(h.signature()))
                .distinct())
        .hasSize(1);
    // A proof has one step per level at most: 50 leaves make 6 levels above them.
    assertThat(headers)
        .allSatisfy(h -> assertThat(h.proof().length).isLessThanOrEqualTo(6 * 33).isPositive());
  }

  @Test
  void aTreeOfOneDocument_hasAnEmptyProof() {
    SignatureHeader header = SignatureTree.sign(signer, digests(bodies(1))).get(0);

    assertThat(header.proof()).isEmpty();
    assertThat(header.toHeaderValue()).doesNotContain("proof=");
  }

  @Test
  void theSameDocumentsInAnotherOrder_getTheSameHeaders() {
    List<byte[]> bodies = bodies(20);
    List<SignatureHeader> first = SignatureTree.sign(signer, digests(bodies));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(3));
    List<byte[]> shuffled = order.stream().map(bodies::get).toList();

    List<SignatureHeader> second = SignatureTree.sign(signer, digests(shuffled));

    for (int i = 0; i < 20; i++) {
      assertThat(second.get(i)).isEqualTo(first.get(order.get(i)));
    }
  }

  @Test
  void aChangedBody_doesNotVerify() {
    List<byte[]> bodies = bodies(8);
    SignatureHeader header = SignatureTree.sign(signer, digests(bodies)).get(3);
    byte[] tampered = bodies.get(3).clone();
    tampered[tampered.length - 3] ^= 1;

    assertThat(signer.verificationKey().verifies(tampered, header)).isFalse();
  }

  @Test
  void anotherDocumentsProof_doesNotVerifyThisBody() {
    List<byte[]> bodies = bodies(8);
    List<SignatureHeader> headers = SignatureTree.sign(signer, digests(bodies));

    assertThat(signer.verificationKey().verifies(bodies.get(2), headers.get(5))).isFalse();
  }

  @Test
  void aProofWithAFlippedSide_aChangedSibling_aMissingStep_orABadSideByte_doesNotVerify() {
    List<byte[]> bodies = bodies(8);
    SignatureHeader header = SignatureTree.sign(signer, digests(bodies)).get(4);
    byte[] proof = header.proof();
    assertThat(proof).hasSize(3 * 33);

    byte[] flipped = proof.clone();
    flipped[33] ^= 1;
    byte[] sibling = proof.clone();
    sibling[40] ^= 1;
    byte[] shorter = java.util.Arrays.copyOf(proof, 2 * 33);
    byte[] badSide = proof.clone();
    badSide[0] = 7;
    byte[] ragged = java.util.Arrays.copyOf(proof, proof.length - 1);

    for (byte[] forged : List.of(flipped, sibling, shorter, badSide, ragged)) {
      SignatureHeader forgedHeader =
          new SignatureHeader(header.keyId(), header.algorithm(), header.signature(), forged);
      assertThat(signer.verificationKey().verifies(bodies.get(4), forgedHeader)).isFalse();
    }
  }

  @Test
  void aProofLongerThanTheLimit_isRefusedWithoutHashing() {
    byte[] body = bodies(1).get(0);
    SignatureHeader header = SignatureTree.sign(signer, digests(List.of(body))).get(0);
    byte[] huge = new byte[(SignatureTree.MAX_STEPS + 1) * 33];

    assertThat(
            signer
                .verificationKey()
                .verifies(
                    body,
                    new SignatureHeader(
                        header.keyId(), header.algorithm(), header.signature(), huge)))
        .isFalse();
  }

  @Test
  void aTreeSignature_presentedAsAPlainOne_orAPlainOneWithAProof_doesNotVerify() {
    List<byte[]> bodies = bodies(4);
    SignatureHeader tree = SignatureTree.sign(signer, digests(bodies)).get(1);
    SignatureHeader plain = signer.sign(bodies.get(1));

    assertThat(
            signer
                .verificationKey()
                .verifies(
                    bodies.get(1),
                    new SignatureHeader(
                        tree.keyId(), SignatureHeader.ED25519, tree.signature(), tree.proof())))
        .isFalse();
    assertThat(
            signer
                .verificationKey()
                .verifies(
                    bodies.get(1),
                    new SignatureHeader(tree.keyId(), SignatureHeader.ED25519, tree.signature())))
        .isFalse();
    assertThat(
            signer
                .verificationKey()
                .verifies(
                    bodies.get(1),
                    new SignatureHeader(
                        plain.keyId(), SignatureHeader.ED25519, plain.signature(), tree.proof())))
        .isFalse();
    // A one-document tree has no proof, yet its signature is over the root, not the body.
    SignatureHeader single = SignatureTree.sign(signer, digests(List.of(bodies.get(0)))).get(0);
    assertThat(
            signer
                .verificationKey()
                .verifies(
                    bodies.get(0),
                    new SignatureHeader(
                        single.keyId(), SignatureHeader.ED25519, single.signature())))
        .isFalse();
  }

  @Test
  void anotherKeysTree_doesNotVerify() {
    List<byte[]> bodies = bodies(4);
    SignatureHeader header = SignatureTree.sign(otherSigner, digests(bodies)).get(0);
    SignatureHeader claimed =
        new SignatureHeader(
            signer.verificationKey().keyId(),
            header.algorithm(),
            header.signature(),
            header.proof());

    assertThat(signer.verificationKey().verifies(bodies.get(0), header)).isFalse();
    assertThat(signer.verificationKey().verifies(bodies.get(0), claimed)).isFalse();
  }

  private static List<byte[]> bodies(int n) {
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      bodies.add(
          ("{\"content\":{\"n\":" + i + "},\"instance\":\"i-" + i + "\"}")
              .getBytes(StandardCharsets.UTF_8));
    }
    return bodies;
  }

  private static List<byte[]> digests(List<byte[]> bodies) {
    return bodies.stream().map(b -> ContentHash.of(b).sha256()).toList();
  }
}
