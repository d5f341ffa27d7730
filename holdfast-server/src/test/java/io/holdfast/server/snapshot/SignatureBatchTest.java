package io.holdfast.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.SignatureTree;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rebuild's documents signed together, each document's {@code Holdfast-Signature} value made when
 * first asked for (issue 21): the values are those of {@link SignatureTree#sign}, verify, and are
 * the same whichever threads ask first.
 */
class SignatureBatchTest {

  private static final Instant ISSUED = Instant.parse("2026-12-07T10:00:00Z");

  private static DocumentSigner signer;

  @BeforeAll
  static void keys() throws NoSuchAlgorithmException {
    signer = new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
  }

  @Test
  void everyDocumentOfABatch_getsTheValueOfTheTree_andItVerifies() {
    SignatureBatch batch = new SignatureBatch(37);
    List<ServedDocument> documents = new ArrayList<>();
    for (int i = 0; i < 37; i++) {
      documents.add(batch.add(body(i), i, ISSUED));
    }

    assertThat(batch.sign(signer)).isEqualTo(37);

    List<byte[]> digests = documents.stream().map(ServedDocument::sha256).toList();
    List<SignatureHeader> expected = SignatureTree.sign(signer, digests);
    for (int i = 0; i < documents.size(); i++) {
      ServedDocument document = documents.get(i);
      assertThat(document.signature()).isEqualTo(expected.get(i).toHeaderValue());
      assertThat(verifies(document)).as("document %d", i).isTrue();
      assertThat(document.signature())
          .as("asked again: the value made the first time")
          .isSameAs(document.signature());
    }
  }

  @Test
  void oneDocumentAskedByManyThreadsAtOnce_givesEachTheSameValue() throws Exception {
    SignatureBatch batch = new SignatureBatch(64);
    List<ServedDocument> documents = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      documents.add(batch.add(body(i), 1, ISSUED));
    }
    batch.sign(signer);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      for (ServedDocument document : documents) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          answers.add(
              threads.submit(
                  () -> {
                    start.await();
                    return document.signature();
                  }));
        }
        start.countDown();
        String first = answers.get(0).get();
        for (Future<String> answer : answers) {
          assertThat(answer.get()).isEqualTo(first);
        }
        assertThat(document.signature()).isEqualTo(first);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void documentsAddedFromParallelWorkers_spanningManyChunks_allVerify() throws Exception {
    int count = 5000;
    SignatureBatch batch = new SignatureBatch(count + 100);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    List<ServedDocument> documents;
    try {
      List<Future<ServedDocument>> adding = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        adding.add(threads.submit(() -> batch.add(body(n), 1, ISSUED)));
      }
      documents = new ArrayList<>();
      for (Future<ServedDocument> added : adding) {
        documents.add(added.get());
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(batch.sign(signer)).isEqualTo(count);

    assertThat(documents).allMatch(SignatureBatchTest::verifies);
  }

  @Test
  void aDocumentNeverSigned_aBatchSignedTwice_andOneOverItsBound_areRefused() {
    SignatureBatch batch = new SignatureBatch(1);
    ServedDocument document = batch.add(body(1), 1, ISSUED);
    assertThatThrownBy(document::signature)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("never signed");
    assertThatThrownBy(() -> batch.add(body(2), 1, ISSUED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("more documents than the batch was made for (1)");

    assertThat(batch.sign(signer)).isEqualTo(1);
    String value = document.signature();
    assertThatThrownBy(() -> batch.sign(signer))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already signed");
    assertThatThrownBy(() -> batch.add(body(3), 1, ISSUED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already signed");
    assertThat(document.signature()).isEqualTo(value);
  }

  @Test
  void anEmptyBatch_signsNothing() {
    assertThat(new SignatureBatch(0).sign(signer)).isZero();
    assertThat(new SignatureBatch(10).sign(signer)).isZero();
  }

  private static boolean verifies(ServedDocument document) {
    return signer
        .verificationKey()
        .verifies(document.body(), SignatureHeader.parse(document.signature()));
  }

  private static byte[] body(int i) {
    return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
  }
}
