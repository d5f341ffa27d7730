package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.ServerFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Assertions and small requests shared by the HTTP tests. */
final class HttpTestSupport {

  /** Limits as generous as any client would use, for parsing what the server sent. */
  static final StrictJson STRICT = new StrictJson(1 << 20, 64);

  static final String PROBLEM_JSON = "application/problem+json";

  private HttpTestSupport() {}

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static JsonNode json(HttpResponse<byte[]> response) {
    return ServerFixture.json(response);
  }

  static JsonNode json(byte[] body) {
    try {
      return ServerFixture.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return ServerFixture.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The one value of a header that must be present. */
  static String header(HttpResponse<byte[]> response, String name) {
    return response
        .headers()
        .firstValue(name)
        .orElseThrow(
            () -> new AssertionError("no " + name + " header in " + response.headers().map()));
  }

  static Envelope envelope(byte[] body) {
    try {
      return Envelope.parse(body, STRICT);
    } catch (JsonInputException e) {
      throw new AssertionError("not an envelope: " + new String(body, StandardCharsets.UTF_8), e);
    }
  }

  /** The single signing key a replica announces on {@code GET /v1/keys}. */
  static VerificationKey announcedKey(ServerFixture server) {
    HttpResponse<byte[]> response = server.get("/v1/keys", null);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode keys = json(response).get("keys");
    assertThat(keys).hasSize(1);
    assertThat(keys.get(0).get("algorithm").asText()).isEqualTo("ed25519");
    VerificationKey key = VerificationKey.fromBase64(keys.get(0).get("publicKey").asText());
    assertThat(keys.get(0).get("keyId").asText()).isEqualTo(key.keyId());
    return key;
  }

  /**
   * Asserts an RFC 9457 answer of exactly this problem type: the status, the media type, and a
   * document whose type, title and status match and whose detail says something.
   */
  static JsonNode assertProblem(HttpResponse<byte[]> response, ProblemType type) {
    assertThat(response.statusCode()).as("status of %s", text(response)).isEqualTo(type.status());
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith(PROBLEM_JSON));
    return assertProblemBody(response.body(), type);
  }

  static JsonNode assertProblem(RawHttp.Response response, ProblemType type) {
    assertThat(response.status())
        .as("status of %s", new String(response.rest(), StandardCharsets.UTF_8))
        .isEqualTo(type.status());
    assertThat(response.first("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith(PROBLEM_JSON));
    return assertProblemBody(response.rest(), type);
  }

  private static JsonNode assertProblemBody(byte[] body, ProblemType type) {
    JsonNode problem = json(body);
    assertThat(problem.path("type").asText())
        .as("problem type in %s", problem)
        .isEqualTo(type.uri());
    assertThat(problem.path("title").asText()).isEqualTo(type.title());
    assertThat(problem.path("status").asInt()).isEqualTo(type.status());
    assertThat(problem.path("detail").asText()).as("detail in %s", problem).isNotBlank();
    return problem;
  }

  /** Creates an admin credential with the role and returns its token. */
  static String createCredential(ServerFixture server, String name, String role) {
    JsonNode created =
        server.admin(
            "POST",
            "/v1/admin/credentials",
            "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    assertThat(created.get("role").asText()).isEqualTo(role);
    return created.get("token").asText();
  }

  /** Stages a layer draft as the bootstrap admin. */
  static void stage(ServerFixture server, String namespace, String scope, String json) {
    server.admin("PUT", "/v1/admin/namespaces/" + namespace + "/layers/" + scope, json);
  }

  /** Publishes every draft of the namespace as the bootstrap admin; returns the new revision. */
  static long publish(ServerFixture server, String namespace) {
    return server
        .admin(
            "POST",
            "/v1/admin/namespaces/" + namespace + "/publish",
            "{\"message\":\"test publish\"}")
        .get("revision")
        .asLong();
  }

  /**
   * The store's newest revision, read through the admin API (the diff endpoint's default {@code
   * to}); a write that slipped through would raise it.
   */
  static long storeRevision(ServerFixture server, String anyNamespace) {
    return server
        .admin("GET", "/v1/admin/namespaces/" + anyNamespace + "/diff?from=1", null)
        .get("to")
        .asLong();
  }

  /**
   * Everything the admin API shows about the store's state: the newest revision and every list,
   * plus the layers, drafts and history of one namespace. Equal fingerprints mean nothing changed.
   */
  static String fingerprint(ServerFixture server, String namespace) {
    StringBuilder sb = new StringBuilder();
    sb.append("revision=").append(storeRevision(server, namespace)).append('\n');
    for (String path :
        new String[] {
          "/v1/admin/rings",
          "/v1/admin/instances",
          "/v1/admin/namespaces",
          "/v1/admin/credentials",
          "/v1/admin/blackouts",
          "/v1/admin/namespaces/" + namespace + "/layers",
          "/v1/admin/namespaces/" + namespace + "/history"
        }) {
      JsonNode answer = server.admin("GET", path, null);
      if (path.equals("/v1/admin/credentials")) {
        // When a credential was last used is bookkeeping, moved by the very requests compared.
        answer
            .get("credentials")
            .forEach(
                c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove("lastUsedAt"));
      }
      sb.append(path).append(" = ").append(answer).append('\n');
    }
    return sb.toString();
  }
}
