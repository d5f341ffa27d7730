package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.http.ReprDigest;
import io.holdfast.server.ServerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS D18, compression side channel (BREACH): a response that carries a secret and reflects what
 * the client sent could leak the secret through its compressed length. Replicas never compress:
 * whatever {@code Accept-Encoding} asks for, documents, problems that echo the request path and
 * answers that carry a credential come as identity bytes, with no {@code Content-Encoding}. Raw
 * sockets, so that no client decodes anything on the way.
 */
class ResponseCompressionTest {

  private static final String[] ASK_FOR_COMPRESSION = {"Accept-Encoding: gzip, deflate, br, zstd"};

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static String token;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    server.createNamespace("core");
    token = server.createInstance("acme-prod", "live");
    server.publishLayer(
        "core", "default", "{\"apiKey\":\"s3cr3t-" + "k".repeat(200) + "\",\"seats\":40}");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static RawHttp.Response get(String path, String bearer) {
    return RawHttp.request(
        server.server().port(),
        "GET",
        path,
        "Authorization: Bearer " + bearer,
        ASK_FOR_COMPRESSION[0]);
  }

  private static void assertIdentity(RawHttp.Response response) {
    assertThat(response.first("Content-Encoding")).isEmpty();
    assertThat(response.first("Content-Length")).hasValue(String.valueOf(response.rest().length));
    assertThat(response.rest()[0]).as("a JSON text, not gzip's magic bytes").isEqualTo((byte) '{');
  }

  @Test
  void D18_aDocumentAskedForCompressed_comesAsIdentityBytes_withTheIdentityDigestAndTag() {
    RawHttp.Response compressedAsked = get("/v1/instances/acme-prod/config/core", token);
    RawHttp.Response plain =
        RawHttp.request(
            server.server().port(),
            "GET",
            "/v1/instances/acme-prod/config/core",
            "Authorization: Bearer " + token);

    assertThat(compressedAsked.status()).isEqualTo(200);
    assertIdentity(compressedAsked);
    assertThat(compressedAsked.rest()).isEqualTo(plain.rest());
    assertThat(compressedAsked.first("ETag")).isEqualTo(plain.first("ETag"));
    assertThat(
            ReprDigest.verify(
                compressedAsked.first("Repr-Digest").orElseThrow(), compressedAsked.rest()))
        .isTrue();
    Envelope envelope = HttpTestSupport.envelope(compressedAsked.rest());
    assertThat(envelope.content().get("apiKey").asText()).startsWith("s3cr3t-");
  }

  @Test
  void D18_aProblemThatReflectsTheRequestPath_comesAsIdentityBytes() {
    String guess = "/v1/instances/acme-prod/config/s3cr3t-guess";
    RawHttp.Response response = get(guess, token);

    assertThat(response.status()).isEqualTo(404);
    assertIdentity(response);
    JsonNode problem = HttpTestSupport.json(response.rest());
    assertThat(problem.get("instance").asText()).isEqualTo(guess);
  }

  @Test
  void D18_aCredentialCreatedUnderAReflectedName_comesAsIdentityBytes() {
    byte[] body =
        "{\"name\":\"hfa-guess-abc\",\"role\":\"viewer\"}".getBytes(StandardCharsets.UTF_8);
    RawHttp.Response response =
        RawHttp.exchange(
            server.server().port(),
            ("POST /v1/admin/credentials HTTP/1.1\r\n"
                    + "Host: x\r\nAuthorization: Bearer "
                    + server.adminToken()
                    + "\r\n"
                    + ASK_FOR_COMPRESSION[0]
                    + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: "
                    + body.length
                    + "\r\nConnection: close\r\n\r\n"
                    + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));

    assertThat(response.status()).isEqualTo(201);
    assertIdentity(response);
    JsonNode created = HttpTestSupport.json(response.rest());
    assertThat(created.get("name").asText()).isEqualTo("hfa-guess-abc");
    assertThat(created.get("token").asText()).startsWith("hfa_");
  }
}
