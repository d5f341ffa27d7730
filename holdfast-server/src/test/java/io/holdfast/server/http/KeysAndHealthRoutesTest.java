package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public keys endpoint's validators and the health routes' methods. */
class KeysAndHealthRoutesTest {

  @TempDir static Path dataDir;

  private static ServerFixture server;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void keys_carryAContentAddressedEtag_areNotCachedUnrevalidated_andAnswer304WhenItMatches() {
    HttpResponse<byte[]> keys = server.get("/v1/keys", null);
    assertThat(keys.statusCode()).isEqualTo(200);
    String etag = header(keys, "ETag");
    assertThat(etag).isEqualTo(ContentHash.of(keys.body()).entityTag().toHeaderValue());
    // Revalidated on every use, never kept fresh by a cache: a rotated key must not be hidden.
    assertThat(header(keys, "Cache-Control")).isEqualTo("no-cache");

    HttpResponse<byte[]> notModified = server.get("/v1/keys", null, "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(header(notModified, "ETag")).isEqualTo(etag);
    assertProblem(
        server.get("/v1/keys", null, "If-None-Match", "nonsense"),
        ProblemType.INVALID_PRECONDITION);
  }

  @Test
  void keys_answerHeadWithTheHeadersOfGet() {
    HttpResponse<byte[]> get = server.get("/v1/keys", null);
    HttpResponse<byte[]> head = server.send("HEAD", "/v1/keys", null, null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(header(head, "ETag")).isEqualTo(header(get, "ETag"));
    assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(get.body().length));
  }

  @Test
  void healthRoutes_answer405WithAllowForOtherMethods() {
    for (String path : new String[] {"/health/live", "/health/ready"}) {
      HttpResponse<byte[]> post = server.send("POST", path, null, null);
      assertProblem(post, ProblemType.METHOD_NOT_ALLOWED);
      assertThat(header(post, "Allow")).isEqualTo("GET");
    }
  }
}
