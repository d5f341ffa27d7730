package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static io.holdfast.server.http.KeySetFixtures.keySet;
import static io.holdfast.server.http.KeySetFixtures.pair;
import static io.holdfast.server.http.KeySetFixtures.root;
import static io.holdfast.server.http.KeySetFixtures.signed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.KeySetVerdict;
import io.holdfast.protocol.keyset.KeySetVerifier;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.keyset.PublishedKeySets;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica side of key sets (issue 19): {@code PUT /v1/admin/keyset} stores a root-signed key
 * set only if a client holding the stored chain would trust it next, and {@code GET /v1/keyset} and
 * its chain serve the stored ones byte for byte, to this replica at once and to the others on the
 * same store within their refresh interval. Real replicas on a real SQLite file.
 */
class KeySetApiTest {

  private static final String TOKEN = "keyset-test-admin-token-0123456789";

  @TempDir Path hostA;
  @TempDir Path hostB;

  private final List<ServerFixture> replicas = new ArrayList<>();
  private final KeyPair rootA = pair();
  private final KeyPair signing = pair();

  @AfterEach
  void stop() {
    replicas.forEach(ServerFixture::close);
  }

  /** A replica on host A's SQLite file, polling the store every {@code refresh}. */
  private ServerFixture replica(Path dataDir, Duration refresh) {
    ServerFixture replica =
        ServerFixture.startConfigured(
            dataDir,
            config ->
                config
                    .jdbcUrl("jdbc:sqlite:" + hostA.resolve("shared.db"))
                    .adminToken(TOKEN)
                    .refreshInterval(refresh));
    replicas.add(replica);
    return replica;
  }

  /** A replica whose poller all but never runs: what it serves at once, a publish made it serve. */
  private ServerFixture replica() {
    return replica(hostA, Duration.ofMinutes(10));
  }

  private static HttpResponse<byte[]> publish(ServerFixture replica, byte[] body) {
    return replica.send("PUT", "/v1/admin/keyset", TOKEN, body, "Content-Type", "application/json");
  }

  private static HttpResponse<byte[]> chain(ServerFixture replica, String after) {
    return replica.get("/v1/keyset/chain?after=" + after, null);
  }

  private static List<byte[]> chainBodies(ServerFixture replica, String after) {
    HttpResponse<byte[]> response = chain(replica, after);
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    List<byte[]> bodies = new ArrayList<>();
    for (JsonNode keySet : json(response).get("keySets")) {
      bodies.add(keySet.toString().getBytes(StandardCharsets.UTF_8));
    }
    return bodies;
  }

  @Test
  void aPublishedKeySet_isServedByteForByte_withAStrongEtag_andA304() {
    ServerFixture replica = replica();
    assertProblem(replica.get("/v1/keyset", null), ProblemType.KEYSET_NOT_FOUND);
    byte[] v1 = signed(keySet(1, root(1, rootA), signing), rootA);

    HttpResponse<byte[]> created = publish(replica, v1);
    assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
    assertThat(json(created).get("version").asLong()).isEqualTo(1);
    assertThat(json(created).get("created").asBoolean()).isTrue();

    HttpResponse<byte[]> served = replica.get("/v1/keyset", null);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(v1);
    assertThat(served.headers().firstValue("Content-Type")).hasValue("application/json");
    String etag = served.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).startsWith("\"").endsWith("\"");
    HttpResponse<byte[]> again = replica.get("/v1/keyset", null, "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("Content-Length")).as("FAULTS A15").isEmpty();
    assertThat(replica.get("/v1/keyset", null, "If-None-Match", "\"other\"").statusCode())
        .isEqualTo(200);

    HttpResponse<byte[]> repeated = publish(replica, v1);
    assertThat(repeated.statusCode()).as("a retried publish").isEqualTo(200);
    assertThat(json(repeated).get("created").asBoolean()).isFalse();

    byte[] v2 = signed(keySet(2, root(1, rootA), signing), rootA);
    assertThat(publish(replica, v2).statusCode()).isEqualTo(201);
    HttpResponse<byte[]> newer = replica.get("/v1/keyset", null, "If-None-Match", etag);
    assertThat(newer.statusCode()).isEqualTo(200);
    assertThat(newer.body()).isEqualTo(v2);

    JsonNode audit =
        replica.admin("GET", "/v1/admin/audit?action=keyset.publish", null).get("entries");
    assertThat(audit).hasSize(2);
    assertThat(audit.toString()).contains("keyset:1", "keyset:2");
  }

  @Test
  void refusals_nameTheReason_andChangeNothing() {
    ServerFixture replica = replica();
    KeyPair rootB = pair();
    KeyPair rootC = pair();
    // The first key set must verify under the root it names.
    HttpResponse<byte[]> foreign =
        publish(replica, signed(keySet(1, root(1, rootA), signing), rootB));
    assertThat(assertProblem(foreign, ProblemType.KEYSET_REFUSED).get("detail").asText())
        .contains("the first key set must verify under the root it names", "THRESHOLD_NOT_MET");
    assertProblem(replica.get("/v1/keyset", null), ProblemType.KEYSET_NOT_FOUND);

    RootKeys twoOfThree = root(2, rootA, rootB, rootC);
    byte[] v5 = signed(keySet(5, twoOfThree, signing), rootA, rootB);
    assertThat(publish(replica, v5).statusCode()).isEqualTo(201);

    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    KeySet expired =
        keySet(
            6, twoOfThree, signing, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
    record Refusal(byte[] body, ProblemType type, String reason) {}
    List<Refusal> refusals =
        List.of(
            new Refusal(
                signed(keySet(4, twoOfThree, signing), rootA, rootB),
                ProblemType.KEYSET_CONFLICT,
                "older than the newest published version 5"),
            new Refusal(
                signed(keySet(5, twoOfThree, pair()), rootA, rootB),
                ProblemType.KEYSET_CONFLICT,
                "VERSION_CONFLICT"),
            new Refusal(signed(expired, rootA, rootC), ProblemType.KEYSET_REFUSED, "EXPIRED"),
            new Refusal(
                signed(keySet(6, twoOfThree, signing), rootA),
                ProblemType.KEYSET_REFUSED,
                "THRESHOLD_NOT_MET"),
            new Refusal(
                signed(keySet(6, root(1, rootB), signing), pair()),
                ProblemType.KEYSET_REFUSED,
                "THRESHOLD_NOT_MET"),
            new Refusal(
                signed(keySet(6, twoOfThree, signing), rootB, rootC, pair()),
                ProblemType.KEYSET_REFUSED,
                "UNKNOWN_SIGNER"));
    for (Refusal refusal : refusals) {
      HttpResponse<byte[]> response = publish(replica, refusal.body());
      assertThat(assertProblem(response, refusal.type()).get("detail").asText())
          .contains(refusal.reason());
      assertThat(replica.get("/v1/keyset", null).body()).isEqualTo(v5);
      assertThat(chainBodies(replica, "0")).containsExactly(v5);
    }
    assertThat(replica.admin("GET", "/v1/admin/audit?action=keyset.publish", null).get("entries"))
        .hasSize(1);
  }

  @Test
  void theChain_holdsEveryKeySetAfterAVersion_soAClientWalksARootRotation() {
    ServerFixture replica = replica();
    KeyPair rootB = pair();
    byte[] v1 = signed(keySet(1, root(1, rootA), signing), rootA);
    // The rotation: signed by the outgoing and the incoming root.
    byte[] v2 = signed(keySet(2, root(1, rootB), signing), rootA, rootB);
    byte[] v3 = signed(keySet(3, root(1, rootB), signing), rootB);
    for (byte[] keySet : List.of(v1, v2, v3)) {
      HttpResponse<byte[]> response = publish(replica, keySet);
      assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
    }
    // Signed by the old root alone, after the rotation.
    assertThat(
            assertProblem(
                    publish(replica, signed(keySet(4, root(1, rootB), signing), rootA)),
                    ProblemType.KEYSET_REFUSED)
                .get("detail")
                .asText())
        .contains("THRESHOLD_NOT_MET");

    String exact =
        "{\"keySets\":["
            + new String(v2, StandardCharsets.UTF_8)
            + ","
            + new String(v3, StandardCharsets.UTF_8)
            + "]}";
    assertThat(chain(replica, "1").body())
        .as("embedded byte for byte")
        .isEqualTo(exact.getBytes(StandardCharsets.UTF_8));
    List<byte[]> all = chainBodies(replica, "0");
    assertThat(all).containsExactly(v1, v2, v3);
    assertThat(chainBodies(replica, "1")).containsExactly(v2, v3);
    assertThat(chainBodies(replica, "3")).isEmpty();
    assertThat(chain(replica, "0").headers().firstValue("Content-Type"))
        .hasValue("application/json");

    List<SignedKeySet> walked = new ArrayList<>();
    for (byte[] body : all) {
      walked.add(parse(body));
    }
    KeySetVerdict verdict =
        new KeySetVerifier(root(1, rootA)).verifyChain(walked, null, Instant.now());
    assertThat(verdict).isInstanceOf(KeySetVerdict.Accepted.class);
    assertThat(((KeySetVerdict.Accepted) verdict).trusted().version()).isEqualTo(3);

    for (String bad : List.of("-1", "abc", "", "1e3", "0x10", "99999999999999999999")) {
      assertProblem(chain(replica, bad), ProblemType.INVALID_REQUEST);
    }
    assertProblem(replica.get("/v1/keyset/chain", null), ProblemType.INVALID_REQUEST);
    assertProblem(
        replica.get("/v1/keyset/chain?after=1&after=2", null), ProblemType.INVALID_REQUEST);
  }

  @Test
  void theChain_isCappedAt100_andAClientAsksOnFromTheLast() {
    ServerFixture replica = replica();
    List<byte[]> published = new ArrayList<>();
    for (int version = 1; version <= PublishedKeySets.MAX_CHAIN + 3; version++) {
      byte[] body = signed(keySet(version, root(1, rootA), signing), rootA);
      assertThat(publish(replica, body).statusCode()).isEqualTo(201);
      published.add(body);
    }
    List<byte[]> first = chainBodies(replica, "0");
    assertThat(first).containsExactlyElementsOf(published.subList(0, PublishedKeySets.MAX_CHAIN));
    assertThat(chainBodies(replica, String.valueOf(PublishedKeySets.MAX_CHAIN)))
        .containsExactlyElementsOf(published.subList(PublishedKeySets.MAX_CHAIN, published.size()));
  }

  @Test
  void anotherReplicaOnTheSameStore_servesANewKeySet_withinItsRefreshInterval() {
    ServerFixture a = replica();
    ServerFixture b = replica(hostB, Duration.ofMillis(200));
    assertProblem(b.get("/v1/keyset", null), ProblemType.KEYSET_NOT_FOUND);

    byte[] v1 = signed(keySet(1, root(1, rootA), signing), rootA);
    assertThat(publish(a, v1).statusCode()).isEqualTo(201);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> b.get("/v1/keyset", null).statusCode() == 200);
    assertThat(b.get("/v1/keyset", null).body()).isEqualTo(v1);

    // And the other way round: a publish through B is checked against what A stored.
    byte[] v2 = signed(keySet(2, root(1, rootA), signing), rootA);
    assertThat(publish(b, v2).statusCode()).isEqualTo(201);
    assertProblem(publish(a, v1), ProblemType.KEYSET_CONFLICT);
    assertThat(chainBodies(b, "0")).containsExactly(v1, v2);
  }

  @Test
  void hostileBodies_are4xxProblems_neverA500_andChangeNothing() {
    ServerFixture replica = replica();
    byte[] v1 = signed(keySet(1, root(1, rootA), signing), rootA);
    assertThat(publish(replica, v1).statusCode()).isEqualTo(201);

    assertProblem(
        publish(replica, new byte[SignedKeySet.MAX_BYTES + 1]), ProblemType.DOCUMENT_TOO_LARGE);
    assertProblem(
        publish(replica, ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8)),
        ProblemType.NESTING_TOO_DEEP);
    assertProblem(
        publish(replica, "garbage \u0001".getBytes(StandardCharsets.UTF_8)),
        ProblemType.MALFORMED_JSON);
    assertProblem(publish(replica, new byte[0]), ProblemType.MALFORMED_JSON);
    assertProblem(
        publish(replica, "{}".getBytes(StandardCharsets.UTF_8)), ProblemType.MALFORMED_JSON);
    assertProblem(
        publish(replica, "{\"signed\":1,\"signed\":2}".getBytes(StandardCharsets.UTF_8)),
        ProblemType.DUPLICATE_KEY);
    // Valid and signed, but pretty-printed: not the canonical bytes the signatures cover.
    String pretty = json(v1).toPrettyString();
    assertThat(
            assertProblem(
                    publish(replica, pretty.getBytes(StandardCharsets.UTF_8)),
                    ProblemType.MALFORMED_JSON)
                .get("detail")
                .asText())
        .contains("canonical");
    // One flipped bit in a signature.
    byte[] tampered = signed(keySet(2, root(1, rootA), signing), rootA);
    String text = new String(tampered, StandardCharsets.UTF_8);
    int sig = text.indexOf("\"sig\":\"") + 7;
    char flipped = text.charAt(sig) == 'A' ? 'B' : 'A';
    tampered =
        (text.substring(0, sig) + flipped + text.substring(sig + 1))
            .getBytes(StandardCharsets.UTF_8);
    assertThat(
            assertProblem(publish(replica, tampered), ProblemType.KEYSET_REFUSED)
                .get("detail")
                .asText())
        .contains("BAD_SIGNATURE");
    assertProblem(
        replica.send("PUT", "/v1/admin/keyset", TOKEN, v1, "Content-Type", "text/plain"),
        ProblemType.UNSUPPORTED_MEDIA_TYPE);
    assertProblem(
        replica.send("PUT", "/v1/admin/keyset", null, v1, "Content-Type", "application/json"),
        ProblemType.UNAUTHENTICATED);
    assertProblem(replica.send("POST", "/v1/keyset", null, v1), ProblemType.METHOD_NOT_ALLOWED);
    assertProblem(
        replica.send("POST", "/v1/admin/keyset", TOKEN, v1), ProblemType.METHOD_NOT_ALLOWED);

    assertThat(replica.get("/v1/keyset", null).body()).isEqualTo(v1);
    assertThat(chainBodies(replica, "0")).containsExactly(v1);
  }

  private static SignedKeySet parse(byte[] body) {
    try {
      return SignedKeySet.parse(body);
    } catch (io.holdfast.protocol.json.JsonInputException e) {
      throw new AssertionError(e);
    }
  }
}
