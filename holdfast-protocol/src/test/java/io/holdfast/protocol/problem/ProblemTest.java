package io.holdfast.protocol.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProblemTest {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  @ParameterizedTest
  @EnumSource(ProblemType.class)
  void toBytes_hasTypeTitleStatusAndDetail(ProblemType type) throws Exception {
    JsonNode body = MAPPER.readTree(new Problem(type, "what exactly went wrong").toBytes());

    assertThat(body.get("type").asText()).isEqualTo("urn:holdfast:problem:" + type.slug());
    assertThat(body.get("title").asText()).isEqualTo(type.title()).isNotBlank();
    assertThat(body.get("status").isInt()).isTrue();
    assertThat(body.get("status").asInt()).isEqualTo(type.status()).isBetween(400, 599);
    assertThat(body.get("detail").asText()).isEqualTo("what exactly went wrong");
    assertThat(body.has("instance")).isFalse();
    assertThat(body.size()).isEqualTo(4);
  }

  @Test
  void toBytes_includesInstanceWhenGiven() throws Exception {
    Problem problem =
        new Problem(
            ProblemType.NAMESPACE_NOT_FOUND, "no namespace 'x'", "/v1/instances/i/config/x");

    JsonNode body = MAPPER.readTree(problem.toBytes());

    assertThat(body.get("instance").asText()).isEqualTo("/v1/instances/i/config/x");
    assertThat(body.get("status").asInt()).isEqualTo(404);
  }

  @Test
  void toBytes_isCanonicalText() {
    Problem problem = new Problem(ProblemType.DOCUMENT_TOO_LARGE, "the body is 2000000 bytes");

    assertThat(new String(problem.toBytes(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"detail\":\"the body is 2000000 bytes\",\"status\":413,\"title\":\"Document too large\","
                + "\"type\":\"urn:holdfast:problem:document-too-large\"}");
  }

  @Test
  void detailWithSpecialCharacters_isEscapedAndPreserved() throws Exception {
    String detail = "bad \"quote\" and \\ backslash\nand \u00e9";

    JsonNode body = MAPPER.readTree(new Problem(ProblemType.INVALID_REQUEST, detail).toBytes());

    assertThat(body.get("detail").asText()).isEqualTo(detail);
  }

  @Test
  void everyTypeHasItsOwnUri() {
    Set<String> uris = new HashSet<>();
    Arrays.stream(ProblemType.values()).forEach(t -> uris.add(t.uri()));

    assertThat(uris).hasSize(ProblemType.values().length);
    assertThat(uris)
        .allMatch(
            u ->
                u.startsWith(ProblemType.URI_PREFIX)
                    && u.length() > ProblemType.URI_PREFIX.length());
  }

  @Test
  void selectedStatuses() {
    assertThat(ProblemType.DUPLICATE_KEY.status()).isEqualTo(400);
    assertThat(ProblemType.INVALID_PRECONDITION.status()).isEqualTo(400);
    assertThat(ProblemType.UNAUTHENTICATED.status()).isEqualTo(401);
    assertThat(ProblemType.FORBIDDEN.status()).isEqualTo(403);
    assertThat(ProblemType.UNSUPPORTED_MEDIA_TYPE.status()).isEqualTo(415);
    assertThat(ProblemType.STORE_UNAVAILABLE.status()).isEqualTo(503);
    assertThat(ProblemType.INTERNAL_ERROR.status()).isEqualTo(500);
  }

  @Test
  void constructor_rejectsNullTypeOrDetail() {
    assertThatThrownBy(() -> new Problem(null, "d")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Problem(ProblemType.FORBIDDEN, null))
        .isInstanceOf(NullPointerException.class);
  }
}
