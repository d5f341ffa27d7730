package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.announcedKey;
import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.envelope;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.http.ReprDigest;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conditional GET and HEAD on the instance read API (RFC 9110 §13.1.2; FAULTS A11, A12, A14, A15,
 * C12). Nothing is written after setup, so one pair of replicas serves every test.
 */
class ConditionalGetTest {

  private static final String CONFIG = "/v1/instances/acme-prod/config/core";
  private static final String CHECKSUMS = "/v1/instances/acme-prod/checksums";

  @TempDir static Path dataDir;

  private static ServerFixture replicaA;
  private static ServerFixture replicaB;
  private static String token;

  @BeforeAll
  static void startReplicas() {
    replicaA = ServerFixture.start(dataDir);
    replicaA.createNamespace("core");
    replicaA.createNamespace("features");
    token = replicaA.createInstance("acme-prod", "live");
    HttpTestSupport.stage(
        replicaA, "core", "default", "{\"seats\":{\"crm\":25},\"name\":\"Acme\",\"list\":[3,1,2]}");
    HttpTestSupport.stage(replicaA, "features", "default", "{\"beta\":true}");
    HttpTestSupport.publish(replicaA, "core");
    HttpTestSupport.publish(replicaA, "features");
    // A second replica over the same data directory: FAULTS A11(c).
    replicaB = ServerFixture.start(dataDir);
  }

  @AfterAll
  static void stopReplicas() {
    if (replicaB != null) {
      replicaB.close();
    }
    if (replicaA != null) {
      replicaA.close();
    }
  }

  private static HttpResponse<byte[]> get(String path, String... headers) {
    return replicaA.get(path, token, headers);
  }

  private static String currentEtag() {
    return header(get(CONFIG), "ETag");
  }

  private static RawHttp.Response raw(String method, String path, String... headerLines) {
    List<String> lines = new ArrayList<>(List.of(headerLines));
    lines.add("Authorization: Bearer " + token);
    return RawHttp.request(replicaA.server().port(), method, path, lines.toArray(String[]::new));
  }

  // ------------------------------------------------------------------ validators of the 200

  @Test
  void servedDocument_carriesContentAddressedEtag_verifiableDigest_andSignatureByAnnouncedKey() {
    HttpResponse<byte[]> response = get(CONFIG);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "Content-Type"))
        .isEqualTo("application/vnd.holdfast.envelope+json");
    byte[] body = response.body();
    assertThat(header(response, "ETag"))
        .isEqualTo(ContentHash.of(body).entityTag().toHeaderValue());
    assertThat(EntityTag.parse(header(response, "ETag")).weak()).isFalse();
    assertThat(ReprDigest.verify(header(response, "Repr-Digest"), body)).isTrue();

    VerificationKey key = announcedKey(replicaA);
    SignatureHeader signature = SignatureHeader.parse(header(response, "Holdfast-Signature"));
    assertThat(signature.keyId()).isEqualTo(key.keyId());
    assertThat(signature.algorithm()).isEqualTo(SignatureHeader.ED25519_TREE);
    assertThat(key.verifies(body, signature)).isTrue();
    byte[] tampered = body.clone();
    tampered[tampered.length - 2] ^= 1;
    assertThat(key.verifies(tampered, signature))
        .as("the signature covers the exact bytes")
        .isFalse();

    Envelope envelope = envelope(body);
    assertThat(envelope.instance()).isEqualTo("acme-prod");
    assertThat(envelope.namespace()).isEqualTo("core");
    assertThat(envelope.revision())
        .isEqualTo(Long.parseLong(header(response, "Holdfast-Revision")));
    assertThat(envelope.content())
        .isEqualTo(json("{\"list\":[3,1,2],\"name\":\"Acme\",\"seats\":{\"crm\":25}}"));
  }

  @Test
  void A11_repeatedGets_giveTheSameEtagAndBytes() {
    HttpResponse<byte[]> first = get(CONFIG);
    HttpResponse<byte[]> second = get(CONFIG);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(header(second, "ETag")).isEqualTo(header(first, "ETag"));
    assertThat(header(second, "Holdfast-Signature")).isEqualTo(header(first, "Holdfast-Signature"));
  }

  @Test
  void A11_differentNamespaces_haveDifferentEtags() {
    HttpResponse<byte[]> core = get(CONFIG);
    HttpResponse<byte[]> features = get("/v1/instances/acme-prod/config/features");
    assertThat(features.statusCode()).isEqualTo(200);
    assertThat(header(features, "ETag")).isNotEqualTo(header(core, "ETag"));
  }

  // ------------------------------------------------------------------ If-None-Match matching

  @Test
  void A14_exactTag_is304WithSameEtagAndNoBody() {
    String etag = currentEtag();
    HttpResponse<byte[]> response = get(CONFIG, "If-None-Match", etag);
    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(header(response, "ETag")).isEqualTo(etag);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void A14_listContainingTheTag_is304() {
    String etag = currentEtag();
    HttpResponse<byte[]> response =
        get(CONFIG, "If-None-Match", "\"stale-1\", " + etag + " , W/\"stale-2\"");
    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(header(response, "ETag")).isEqualTo(etag);
  }

  @Test
  void A14_star_is304WhenTheNamespaceExists() {
    HttpResponse<byte[]> response = get(CONFIG, "If-None-Match", "*");
    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(header(response, "ETag")).isEqualTo(currentEtag());
  }

  @Test
  void A14_star_onAMissingNamespace_is404NotA304() {
    HttpResponse<byte[]> response =
        get("/v1/instances/acme-prod/config/nope", "If-None-Match", "*");
    assertProblem(response, ProblemType.NAMESPACE_NOT_FOUND);
  }

  @Test
  void A11_A14_weakFormOfTheStrongTag_is304ByWeakComparison() {
    String etag = currentEtag();
    HttpResponse<byte[]> response = get(CONFIG, "If-None-Match", "W/" + etag);
    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(header(response, "ETag")).as("the 304 still carries the strong tag").isEqualTo(etag);
  }

  @Test
  void A11_A14_suffixedTagsFromIntermediaries_doNotMatch() {
    String opaque = EntityTag.parse(currentEtag()).opaque();
    HttpResponse<byte[]> response =
        get(
            CONFIG,
            "If-None-Match",
            "\"" + opaque + "-gzip\", \"" + opaque + "--gzip\", W/\"" + opaque + "x\"");
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void A14_nonMatchingList_is200WithTheFullDocument() {
    HttpResponse<byte[]> unconditional = get(CONFIG);
    HttpResponse<byte[]> response = get(CONFIG, "If-None-Match", "\"a\", W/\"b\", \"c\"");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(unconditional.body());
    assertThat(header(response, "ETag")).isEqualTo(header(unconditional, "ETag"));
  }

  @Test
  void A12_requestWithoutIfNoneMatch_isNeverA304() {
    HttpResponse<byte[]> response = get(CONFIG);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isNotEmpty();
  }

  @Test
  void A14_tagWithACommaInsideItsQuotes_isOneTag() {
    HttpResponse<byte[]> alone = get(CONFIG, "If-None-Match", "\"a,b\"");
    assertThat(alone.statusCode()).as("one well-formed tag that does not match").isEqualTo(200);

    HttpResponse<byte[]> listed = get(CONFIG, "If-None-Match", "\"a,b\", " + currentEtag());
    assertThat(listed.statusCode()).isEqualTo(304);
  }

  @Test
  void C12_repeatedIfNoneMatchLines_areOneList() {
    RawHttp.Response response =
        raw("GET", CONFIG, "If-None-Match: \"other\"", "If-None-Match: " + currentEtag());
    assertThat(response.status()).isEqualTo(304);
  }

  @ParameterizedTest(name = "[{index}] If-None-Match: {0}")
  @ValueSource(
      strings = {
        "abc", // unquoted
        "@@@ garbage ###", // garbage
        "*, \"x\"", // star mixed with tags
        "\"x\", *", // tags mixed with star
        "\"abc", // unterminated quote
        "W/abc", // weak marker without quotes
        "\"a\" \"b\"", // missing comma
        "\"a b\"", // space is not an etagc
        "w/\"abc\"", // the weak marker is case-sensitive
        ",", // only an empty element
      })
  void A14_malformedIfNoneMatch_is400InvalidPrecondition_never5xx(String value) {
    RawHttp.Response response = raw("GET", CONFIG, "If-None-Match: " + value);
    assertProblem(response, ProblemType.INVALID_PRECONDITION);
  }

  @Test
  void A14_emptyIfNoneMatch_is400() {
    RawHttp.Response response = raw("GET", CONFIG, "If-None-Match: ");
    assertProblem(response, ProblemType.INVALID_PRECONDITION);
  }

  @Test
  void A14_C12_tenThousandTags_get431ProblemWithinBoundedTime() {
    StringBuilder tags = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      tags.append(i == 0 ? "" : ", ").append("\"t").append(i).append('"');
    }
    tags.append(", ").append(currentEtag());
    RawHttp.Response response =
        assertTimeout(Duration.ofSeconds(10), () -> raw("GET", CONFIG, "If-None-Match: " + tags));
    assertProblem(response, ProblemType.HEADERS_TOO_LARGE);
    assertThat(get(CONFIG).statusCode()).as("the replica still serves").isEqualTo(200);
  }

  @Test
  void A14_C12_headerOf64KiB_gets4xxWithinBoundedTime() {
    String big = "\"" + "x".repeat(64 * 1024) + "\"";
    RawHttp.Response response =
        assertTimeout(Duration.ofSeconds(10), () -> raw("GET", CONFIG, "If-None-Match: " + big));
    assertProblem(response, ProblemType.HEADERS_TOO_LARGE);
    assertThat(get(CONFIG).statusCode()).as("the replica still serves").isEqualTo(200);
  }

  // ------------------------------------------------------------------ header parity (A15)

  @Test
  void A15_304RepeatsEtagCacheControlAndRevisionOfThe200_withoutBodyOrZeroContentLength() {
    RawHttp.Response ok = raw("GET", CONFIG);
    assertThat(ok.status()).isEqualTo(200);
    String etag = ok.first("ETag").orElseThrow();
    RawHttp.Response notModified = raw("GET", CONFIG, "If-None-Match: " + etag);

    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.all("ETag")).containsExactly(etag);
    assertThat(notModified.all("Cache-Control"))
        .containsExactly("private, no-cache")
        .isEqualTo(ok.all("Cache-Control"));
    assertThat(notModified.all("Holdfast-Revision"))
        .isEqualTo(ok.all("Holdfast-Revision"))
        .hasSize(1);
    assertThat(notModified.all("Vary")).isEqualTo(ok.all("Vary"));
    assertThat(notModified.rest()).as("bytes after the 304's header block").isEmpty();
    assertThat(notModified.all("Transfer-Encoding")).isEmpty();
    // RFC 9110 §8.6: a 304 may carry Content-Length only with the 200's value; never a 0.
    List<String> contentLength = notModified.all("Content-Length");
    assertThat(
            contentLength.isEmpty()
                || contentLength.equals(List.of(Integer.toString(ok.rest().length))))
        .as(
            "Content-Length of the 304 %s is absent or the 200's %s",
            contentLength, ok.rest().length)
        .isTrue();
  }

  @Test
  void A15_every304OfTheReplica_carriesNoContentLength() {
    // The places that answer 304 here: documents, checksums, the keys, Spring Cloud Config (the
    // key set's is in KeySetApiTest). Each must lose the Content-Length: 0 Helidon adds.
    for (String path : List.of(CONFIG, CHECKSUMS, "/v1/keys", "/core/default")) {
      RawHttp.Response ok = raw("GET", path);
      assertThat(ok.status()).as(path).isEqualTo(200);
      RawHttp.Response notModified =
          raw("GET", path, "If-None-Match: " + ok.first("ETag").orElseThrow());

      assertThat(notModified.status()).as(path).isEqualTo(304);
      assertThat(notModified.all("Content-Length")).as(path).isEmpty();
      assertThat(notModified.rest()).as(path).isEmpty();
      assertThat(ok.all("Content-Length"))
          .as("%s: the 200 keeps its length", path)
          .containsExactly(Integer.toString(ok.rest().length));
    }
  }

  @Test
  void A15_headAnswersWithTheHeadersOfGet_andNoBody() {
    RawHttp.Response get = raw("GET", CONFIG);
    RawHttp.Response head = raw("HEAD", CONFIG);

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.rest()).isEmpty();
    assertThat(head.all("Content-Length")).containsExactly(Integer.toString(get.rest().length));
    assertThat(withoutHopAndDate(head)).isEqualTo(withoutHopAndDate(get));
    for (String name :
        List.of(
            "ETag",
            "Cache-Control",
            "Holdfast-Revision",
            "Content-Type",
            "Repr-Digest",
            "Holdfast-Signature")) {
      assertThat(head.all(name)).as(name).isEqualTo(get.all(name)).hasSize(1);
    }
  }

  @Test
  void A15_conditionalHead_is304WithoutBody() {
    RawHttp.Response head = raw("HEAD", CONFIG, "If-None-Match: " + currentEtag());
    assertThat(head.status()).isEqualTo(304);
    assertThat(head.rest()).isEmpty();
    assertThat(head.all("Content-Length")).doesNotContain("0");
  }

  @Test
  void A15_jdkClientReusesTheConnectionAfterA304() {
    String etag = currentEtag();
    for (int i = 0; i < 3; i++) {
      assertThat(get(CONFIG, "If-None-Match", etag).statusCode()).isEqualTo(304);
      HttpResponse<byte[]> full = get(CONFIG);
      assertThat(full.statusCode()).isEqualTo(200);
      assertThat(ContentHash.of(full.body()).entityTag().toHeaderValue()).isEqualTo(etag);
    }
  }

  private static Set<String> withoutHopAndDate(RawHttp.Response response) {
    return response.headers().stream()
        .filter(h -> !h[0].equalsIgnoreCase("Date") && !h[0].equalsIgnoreCase("Connection"))
        .map(h -> h[0].toLowerCase(java.util.Locale.ROOT) + ": " + h[1])
        .collect(Collectors.toSet());
  }

  // ------------------------------------------------------------------ checksums

  @Test
  void checksums_nameEveryNamespacesEtagAndDigest_andAreSigned() throws JsonInputException {
    HttpResponse<byte[]> response = get(CHECKSUMS);
    assertThat(response.statusCode()).isEqualTo(200);
    byte[] body = response.body();
    assertThat(header(response, "ETag"))
        .isEqualTo(ContentHash.of(body).entityTag().toHeaderValue());
    assertThat(ReprDigest.verify(header(response, "Repr-Digest"), body)).isTrue();
    assertThat(
            announcedKey(replicaA)
                .verifies(body, SignatureHeader.parse(header(response, "Holdfast-Signature"))))
        .isTrue();

    Checksums checksums = Checksums.parse(body, HttpTestSupport.STRICT);
    assertThat(checksums.instance()).isEqualTo("acme-prod");
    assertThat(checksums.namespaces()).containsOnlyKeys("core", "features", "subscriptions");
    HttpResponse<byte[]> core = get(CONFIG);
    assertThat(checksums.namespaces().get("core").etag()).isEqualTo(header(core, "ETag"));
    assertThat(checksums.namespaces().get("core").digest()).isEqualTo(header(core, "Repr-Digest"));
    assertThat(checksums.namespaces().get("core").revision())
        .isEqualTo(Long.parseLong(header(core, "Holdfast-Revision")));
  }

  @Test
  void checksums_supportTheSameConditionalLogic() {
    HttpResponse<byte[]> ok = get(CHECKSUMS);
    String etag = header(ok, "ETag");

    HttpResponse<byte[]> exact = get(CHECKSUMS, "If-None-Match", etag);
    assertThat(exact.statusCode()).isEqualTo(304);
    assertThat(header(exact, "ETag")).isEqualTo(etag);
    assertThat(header(exact, "Cache-Control")).isEqualTo(header(ok, "Cache-Control"));
    assertThat(exact.body()).isEmpty();
    assertThat(get(CHECKSUMS, "If-None-Match", "\"x\", " + etag).statusCode()).isEqualTo(304);
    assertThat(get(CHECKSUMS, "If-None-Match", "*").statusCode()).isEqualTo(304);
    assertThat(get(CHECKSUMS, "If-None-Match", "W/" + etag).statusCode()).isEqualTo(304);
    HttpResponse<byte[]> other = get(CHECKSUMS, "If-None-Match", "\"x\"");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.body()).isEqualTo(ok.body());
    assertProblem(get(CHECKSUMS, "If-None-Match", "*, " + etag), ProblemType.INVALID_PRECONDITION);
    assertProblem(get(CHECKSUMS, "If-None-Match", "unquoted"), ProblemType.INVALID_PRECONDITION);

    RawHttp.Response notModified = raw("GET", CHECKSUMS, "If-None-Match: " + etag);
    assertThat(notModified.rest()).isEmpty();
    assertThat(notModified.all("Content-Length")).doesNotContain("0");
  }

  @Test
  void checksums_headMatchesGet() {
    RawHttp.Response get = raw("GET", CHECKSUMS);
    RawHttp.Response head = raw("HEAD", CHECKSUMS);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.rest()).isEmpty();
    assertThat(head.all("Content-Length")).containsExactly(Integer.toString(get.rest().length));
    assertThat(head.all("ETag")).isEqualTo(get.all("ETag"));
  }

  // ------------------------------------------------------------------ across replicas (A11)

  @Test
  void A11_etagFromReplicaA_is304OnReplicaB() {
    HttpResponse<byte[]> fromA = get(CONFIG);
    String etag = header(fromA, "ETag");

    HttpResponse<byte[]> conditionalOnB = replicaB.get(CONFIG, token, "If-None-Match", etag);
    assertThat(conditionalOnB.statusCode()).isEqualTo(304);
    assertThat(header(conditionalOnB, "ETag")).isEqualTo(etag);

    HttpResponse<byte[]> fromB = replicaB.get(CONFIG, token);
    assertThat(fromB.body()).isEqualTo(fromA.body());
    assertThat(header(fromB, "Repr-Digest")).isEqualTo(header(fromA, "Repr-Digest"));
    // Each replica signs the documents of each of its rebuilds together, so replicas with
    // different histories may send different signatures for the same bytes: both verify.
    VerificationKey key = announcedKey(replicaA);
    assertThat(
            key.verifies(fromB.body(), SignatureHeader.parse(header(fromB, "Holdfast-Signature"))))
        .isTrue();
    assertThat(
            key.verifies(fromB.body(), SignatureHeader.parse(header(fromA, "Holdfast-Signature"))))
        .isTrue();

    String checksumsTag = header(get(CHECKSUMS), "ETag");
    assertThat(replicaB.get(CHECKSUMS, token, "If-None-Match", checksumsTag).statusCode())
        .isEqualTo(304);
  }
}
