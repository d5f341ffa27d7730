package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import io.holdfast.server.snapshot.ServedDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator headers built once per document ({@link DocumentHeaders}) are byte for byte those
 * of the document served, each once, on the 200 and the 304 alike, and a publish serves the new
 * document's at once (the memory is per snapshot). A revalidation that is not the current tag sent
 * back verbatim still goes through the full If-None-Match parse.
 */
class PreEncodedHeadersTest {

  private static final String CONFIG = "/v1/instances/pre-1/config/core";
  private static final String CHECKSUMS = "/v1/instances/pre-1/checksums";

  @TempDir static Path dataDir;

  private static ServerFixture replica;
  private static String token;

  @BeforeAll
  static void start() {
    replica = ServerFixture.start(dataDir);
    replica.createNamespace("core");
    token = replica.createInstance("pre-1", "live");
    HttpTestSupport.stage(replica, "core", "default", "{\"limit\":1}");
    HttpTestSupport.publish(replica, "core");
  }

  @AfterAll
  static void stop() {
    replica.close();
  }

  private static RawHttp.Response raw(String path, String... headerLines) {
    List<String> lines = new ArrayList<>(List.of(headerLines));
    lines.add("Authorization: Bearer " + token);
    return RawHttp.request(replica.server().port(), "GET", path, lines.toArray(String[]::new));
  }

  private static ServedDocument served() {
    return replica.server().snapshots().current().instance("pre-1").document("core");
  }

  private static void assertValidatorsOf(RawHttp.Response response, ServedDocument document) {
    assertThat(response.all("ETag")).containsExactly(document.etagHeaderValue());
    assertThat(response.all("Holdfast-Revision")).containsExactly(document.revisionHeaderValue());
    if (response.status() == 200) {
      assertThat(response.all("Repr-Digest")).containsExactly(document.reprDigest());
      assertThat(response.all("Holdfast-Signature")).containsExactly(document.signature());
      assertThat(response.rest()).isEqualTo(document.body());
    } else {
      assertThat(response.all("Repr-Digest")).isEmpty();
      assertThat(response.all("Holdfast-Signature")).isEmpty();
    }
  }

  @Test
  void theDocumentsOwnValidators_areSentOnceEach_on200And304_andANewPublishSendsTheNewOnes() {
    ServedDocument first = served();
    RawHttp.Response ok = raw(CONFIG);
    assertThat(ok.status()).isEqualTo(200);
    assertValidatorsOf(ok, first);
    assertThat(ok.all("Cache-Control")).containsExactly("private, no-cache");
    RawHttp.Response notModified = raw(CONFIG, "If-None-Match: " + first.etagHeaderValue());
    assertThat(notModified.status()).isEqualTo(304);
    assertValidatorsOf(notModified, first);

    HttpTestSupport.stage(replica, "core", "default", "{\"limit\":2}");
    HttpTestSupport.publish(replica, "core");
    ServedDocument second = served();
    assertThat(second.etagHeaderValue()).isNotEqualTo(first.etagHeaderValue());

    RawHttp.Response changed = raw(CONFIG, "If-None-Match: " + first.etagHeaderValue());
    assertThat(changed.status()).isEqualTo(200);
    assertValidatorsOf(changed, second);
    RawHttp.Response checksums = raw(CHECKSUMS);
    assertThat(checksums.status()).isEqualTo(200);
    assertThat(checksums.all("ETag"))
        .containsExactly(
            replica.server().snapshots().current().instance("pre-1").checksums().etagHeaderValue());
  }

  @Test
  void aWeakOrListedOrStarCondition_stillMatches_andAMalformedOneIsStill400() {
    String etag = served().etagHeaderValue();
    assertThat(raw(CONFIG, "If-None-Match: W/" + etag).status()).isEqualTo(304);
    assertThat(raw(CONFIG, "If-None-Match: \"other\", " + etag).status()).isEqualTo(304);
    assertThat(raw(CONFIG, "If-None-Match: " + etag, "If-None-Match: \"other\"").status())
        .isEqualTo(304);
    assertThat(raw(CONFIG, "If-None-Match: *").status()).isEqualTo(304);
    assertThat(raw(CONFIG, "If-None-Match: \"other\"").status()).isEqualTo(200);
    assertThat(raw(CONFIG, "If-None-Match: " + etag.substring(1)).status()).isEqualTo(400);
  }
}
