package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent admin edits (issue 6): a layer's draft carries its version as an ETag, and a PUT or
 * DELETE with {@code If-Match} stages only if nobody staged since; otherwise 412 and nothing
 * changes. Without {@code If-Match} the last writer wins, as before.
 */
class DraftConflictTest {

  private static final String LAYER = "/v1/admin/namespaces/core/layers/default";

  @TempDir static Path dataDir;

  private static ServerFixture server;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    server.createNamespace("core");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static HttpResponse<byte[]> put(String json, String... headers) {
    return server.send(
        "PUT",
        LAYER,
        server.adminToken(),
        json.getBytes(StandardCharsets.UTF_8),
        concat(new String[] {"Content-Type", "application/json"}, headers));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void twoEditorsFromTheSameRead_theSecondGets412_andTheFirstEditStands() {
    String read = header(server.get(LAYER, server.adminToken()), "ETag");

    HttpResponse<byte[]> alice = put("{\"limit\":5}", "If-Match", read);
    HttpResponse<byte[]> bob = put("{\"limit\":9}", "If-Match", read);

    assertThat(alice.statusCode()).isEqualTo(200);
    assertThat(header(alice, "ETag")).isNotEqualTo(read);
    assertThat(assertProblem(bob, ProblemType.PRECONDITION_FAILED).get("detail").asText())
        .contains("someone else staged it since");
    HttpResponse<byte[]> now = server.get(LAYER, server.adminToken());
    assertThat(json(now).path("draft").path("content").path("limit").asInt()).isEqualTo(5);
    assertThat(header(now, "ETag")).isEqualTo(header(alice, "ETag"));

    // Bob reads again and reapplies his edit on top.
    assertThat(put("{\"limit\":9}", "If-Match", header(now, "ETag")).statusCode()).isEqualTo(200);
  }

  @Test
  void malformedIfMatch_is400InvalidPrecondition_andChangesNothing() {
    String before = json(server.get(LAYER, server.adminToken())).toString();

    assertProblem(put("{\"limit\":1}", "If-Match", "draft-1"), ProblemType.INVALID_PRECONDITION);
    assertProblem(
        put("{\"limit\":1}", "If-Match", "W/\"draft-1\""), ProblemType.INVALID_PRECONDITION);

    assertThat(json(server.get(LAYER, server.adminToken())).toString()).isEqualTo(before);
  }
}
