package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceReadSmokeTest {

  @Test
  void publishedLayerIsServedWithEtagAndA304OnMatch(@TempDir Path dir) {
    try (ServerFixture server = ServerFixture.start(dir)) {
      server.createNamespace("core");
      String token = server.createInstance("acme-prod", "live");
      server.publishLayer("core", "default", "{\"b\":1,\"a\":{\"y\":2,\"x\":1}}");
      HttpResponse<byte[]> first = server.get("/v1/instances/acme-prod/config/core", token);
      assertThat(first.statusCode()).isEqualTo(200);
      String etag = first.headers().firstValue("ETag").orElseThrow();
      assertThat(new String(first.body()))
          .contains("\"content\":{\"a\":{\"x\":1,\"y\":2},\"b\":1}");
      HttpResponse<byte[]> second =
          server.get("/v1/instances/acme-prod/config/core", token, "If-None-Match", etag);
      assertThat(second.statusCode()).isEqualTo(304);
      assertThat(second.headers().firstValue("ETag")).contains(etag);
      assertThat(second.body()).isEmpty();
    }
  }
}
