package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.envelope;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.ServerFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas over one data directory converge: what is published through one is served by the
 * other, byte for byte, with the same ETag and signature (DESIGN invariant 3; FAULTS I9, I11, A11,
 * D5).
 *
 * <p>The {@code @Test}s share one pair of replicas (JUnit Jupiter lifecycle); the property starts
 * its own pair once for all its tries (jqwik lifecycle).
 */
class ReplicaConvergenceTest {

  private static final Duration CONVERGENCE = Duration.ofSeconds(1);
  private static final Duration POLL = Duration.ofMillis(20);

  @TempDir static Path dataDir;

  private static ServerFixture replicaA;
  private static ServerFixture replicaB;
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  @BeforeAll
  static void startReplicas() {
    replicaA = ServerFixture.start(dataDir);
    replicaB = ServerFixture.start(dataDir);
  }

  @AfterAll
  static void stopReplicas() {
    closeAll(replicaB, replicaA);
  }

  private static void closeAll(ServerFixture... replicas) {
    for (ServerFixture replica : replicas) {
      if (replica != null) {
        replica.close();
      }
    }
  }

  /** Waits until {@code replica} serves exactly {@code expected}, then returns its answer. */
  private static HttpResponse<byte[]> awaitIdentical(
      ServerFixture replica, String path, String token, HttpResponse<byte[]> expected) {
    AtomicReference<HttpResponse<byte[]>> last = new AtomicReference<>();
    await()
        .atMost(CONVERGENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              HttpResponse<byte[]> response = replica.get(path, token);
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(header(response, "ETag")).isEqualTo(header(expected, "ETag"));
              last.set(response);
            });
    return last.get();
  }

  /**
   * The same bytes and validators from both. Signatures are compared by validity, not equality: a
   * replica signs each rebuild's new documents together, so replicas with different histories send
   * different, equally valid signatures (docs/protocol.md).
   */
  private static void assertSameRepresentation(
      ServerFixture signer, HttpResponse<byte[]> a, HttpResponse<byte[]> b) {
    assertThat(b.body()).isEqualTo(a.body());
    for (String name :
        List.of("ETag", "Repr-Digest", "Holdfast-Revision", "Content-Type", "Cache-Control")) {
      assertThat(header(b, name)).as(name).isEqualTo(header(a, name));
    }
    assertThat(header(a, "ETag")).isEqualTo(ContentHash.of(a.body()).entityTag().toHeaderValue());
    VerificationKey key = HttpTestSupport.announcedKey(signer);
    for (HttpResponse<byte[]> response : List.of(a, b)) {
      assertThat(
              key.verifies(
                  response.body(), SignatureHeader.parse(header(response, "Holdfast-Signature"))))
          .as("the signature of %s", response.uri())
          .isTrue();
    }
  }

  @Test
  void
      I9_publishThroughA_isServedByBWithIdenticalBytesAndEtag_andAValidSignature_withinOneSecond() {
    int n = SEQUENCE.incrementAndGet();
    String ns = "conv-" + n;
    String instance = "conv-inst-" + n;
    replicaA.createNamespace(ns);
    String token = replicaA.createInstance(instance, "live");
    String path = "/v1/instances/" + instance + "/config/" + ns;
    HttpTestSupport.stage(replicaA, ns, "default", "{\"seats\":{\"crm\":10}}");
    long first = HttpTestSupport.publish(replicaA, ns);
    HttpResponse<byte[]> onA = replicaA.get(path, token);
    assertThat(HttpTestSupport.envelope(onA.body()).revision()).isEqualTo(first);

    // B learns of the instance, its credential and the document from the shared store alone.
    assertSameRepresentation(replicaA, onA, awaitIdentical(replicaB, path, token, onA));

    HttpTestSupport.stage(replicaA, ns, "default", "{\"seats\":{\"crm\":12}}");
    long second = HttpTestSupport.publish(replicaA, ns);
    HttpResponse<byte[]> newOnA = replicaA.get(path, token);
    assertThat(Long.parseLong(header(newOnA, "Holdfast-Revision"))).isEqualTo(second);
    HttpResponse<byte[]> newOnB = awaitIdentical(replicaB, path, token, newOnA);
    assertSameRepresentation(replicaA, newOnA, newOnB);
    assertThat(envelope(newOnB.body()).content()).isEqualTo(json("{\"seats\":{\"crm\":12}}"));

    String checksums = "/v1/instances/" + instance + "/checksums";
    assertSameRepresentation(
        replicaA,
        replicaA.get(checksums, token),
        awaitIdentical(replicaB, checksums, token, replicaA.get(checksums, token)));
  }

  @Test
  void I9_writesThroughB_areServedByA() {
    int n = SEQUENCE.incrementAndGet();
    String ns = "back-" + n;
    replicaB.createNamespace(ns);
    String token = replicaB.createInstance("back-inst-" + n, "beta");
    HttpTestSupport.stage(replicaB, ns, "ring:beta", "{\"from\":\"b\"}");
    HttpTestSupport.publish(replicaB, ns);
    String path = "/v1/instances/back-inst-" + n + "/config/" + ns;
    HttpResponse<byte[]> onB = replicaB.get(path, token);

    assertSameRepresentation(replicaA, onB, awaitIdentical(replicaA, path, token, onB));
  }

  @Test
  void A11_etagFromEitherReplica_is304OnTheOther() {
    int n = SEQUENCE.incrementAndGet();
    String ns = "tag-" + n;
    replicaA.createNamespace(ns);
    String token = replicaA.createInstance("tag-inst-" + n, "live");
    HttpTestSupport.stage(replicaA, ns, "default", "{\"k\":\"v\"}");
    HttpTestSupport.publish(replicaA, ns);
    String path = "/v1/instances/tag-inst-" + n + "/config/" + ns;
    HttpResponse<byte[]> onA = replicaA.get(path, token);
    HttpResponse<byte[]> onB = awaitIdentical(replicaB, path, token, onA);

    assertThat(replicaB.get(path, token, "If-None-Match", header(onA, "ETag")).statusCode())
        .isEqualTo(304);
    assertThat(replicaA.get(path, token, "If-None-Match", header(onB, "ETag")).statusCode())
        .isEqualTo(304);
  }

  @Test
  void bothReplicasAnnounceTheSameKeyAndReadyRevision() {
    HttpResponse<byte[]> keysA = replicaA.get("/v1/keys", null);
    HttpResponse<byte[]> keysB = replicaB.get("/v1/keys", null);
    assertThat(keysB.body()).isEqualTo(keysA.body());
    assertThat(header(keysB, "ETag")).isEqualTo(header(keysA, "ETag"));
    assertThat(HttpTestSupport.announcedKey(replicaA).keyId())
        .isEqualTo(replicaA.server().verificationKey().keyId());

    replicaA.createNamespace("ready-" + SEQUENCE.incrementAndGet());
    long revisionA = json(replicaA.get("/health/ready", null)).get("revision").asLong();
    await()
        .atMost(CONVERGENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .untilAsserted(
            () ->
                assertThat(json(replicaB.get("/health/ready", null)).get("revision").asLong())
                    .isEqualTo(revisionA));
  }

  @Test
  void D5_rotatedCredential_isRejectedOnEveryReplica_andTheNewOneAccepted() {
    int n = SEQUENCE.incrementAndGet();
    String instance = "rot-" + n;
    String oldToken = replicaA.createInstance(instance, "live");
    String path = "/v1/instances/" + instance + "/checksums";
    await()
        .atMost(CONVERGENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .untilAsserted(() -> assertThat(replicaB.get(path, oldToken).statusCode()).isEqualTo(200));

    String newToken =
        replicaA
            .admin("POST", "/v1/admin/instances/" + instance + "/credential", null)
            .get("credential")
            .asText();

    assertProblem(replicaA.get(path, oldToken), ProblemType.UNAUTHENTICATED);
    await()
        .atMost(CONVERGENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              assertThat(replicaB.get(path, oldToken).statusCode()).isEqualTo(401);
              assertThat(replicaB.get(path, newToken).statusCode()).isEqualTo(200);
            });
  }

  // ------------------------------------------------------------------ property (jqwik lifecycle)

  private static Path propertyDir;
  private static ServerFixture propertyA;
  private static ServerFixture propertyB;
  private static String propertyToken;

  @BeforeContainer
  static void startPropertyReplicas() throws IOException {
    propertyDir = Files.createTempDirectory("holdfast-convergence-");
    propertyA = ServerFixture.start(propertyDir);
    propertyB = ServerFixture.start(propertyDir);
    propertyA.createNamespace("prop");
    propertyToken = propertyA.createInstance("prop-inst", "live");
  }

  @AfterContainer
  static void stopPropertyReplicas() throws IOException {
    closeAll(propertyB, propertyA);
    if (propertyDir != null) {
      try (Stream<Path> files = Files.walk(propertyDir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }

  @Property(tries = 25)
  void identicalContentGivesIdenticalEtagsOnTwoSeparatelyStartedServers(
      @ForAll("documents") Map<String, Object> document) {
    String text = toJson(document);
    HttpResponse<byte[]> staged =
        propertyA.sendJson(
            "PUT", "/v1/admin/namespaces/prop/layers/default", propertyA.adminToken(), text);
    assertThat(staged.statusCode()).as(text(staged)).isEqualTo(200);
    HttpResponse<byte[]> published =
        propertyA.sendJson(
            "POST",
            "/v1/admin/namespaces/prop/publish",
            propertyA.adminToken(),
            "{\"message\":\"property\"}");
    // The same document twice in a row is nothing to publish; the served one is then unchanged.
    assertThat(published.statusCode()).as(text(published)).isIn(200, 409);

    String path = "/v1/instances/prop-inst/config/prop";
    HttpResponse<byte[]> onA = propertyA.get(path, propertyToken);
    assertThat(onA.statusCode()).isEqualTo(200);
    assertThat(envelope(onA.body()).content()).isEqualTo(json(text));

    HttpResponse<byte[]> onB = awaitIdentical(propertyB, path, propertyToken, onA);
    assertSameRepresentation(propertyA, onA, onB);
  }

  @Provide
  Arbitrary<Map<String, Object>> documents() {
    return objects(2);
  }

  private static Arbitrary<Map<String, Object>> objects(int depth) {
    Arbitrary<String> keys =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars('-', '_', 'é')
            .ofMinLength(1)
            .ofMaxLength(6);
    Arbitrary<Object> ints = Arbitraries.integers().between(-1_000_000, 1_000_000).map(i -> i);
    Arbitrary<Object> strings =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars('é', '€', '中', '\u2028', '\n')
            .ofMaxLength(12)
            .map(s -> s);
    Arbitrary<Object> booleans = Arbitraries.of(true, false).map(b -> b);
    List<Arbitrary<Object>> choices =
        depth == 0
            ? List.of(ints, strings, booleans)
            : List.of(ints, strings, booleans, objects(depth - 1).<Object>map(m -> m));
    Arbitrary<Object> values = Arbitraries.oneOf(choices);
    return Arbitraries.maps(keys, values).ofMaxSize(5);
  }

  private static String toJson(Map<String, Object> document) {
    try {
      return ServerFixture.JSON.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
