package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes, stopping, and restarting a replica over the same data (FAULTS A11(a), A20). */
class LifecycleTest {

  @Test
  void liveAndReadyProbes_answer200_andReadyNamesTheStoreRevision(@TempDir Path dir) {
    try (ServerFixture server = ServerFixture.start(dir)) {
      HttpResponse<byte[]> live = server.get("/health/live", null);
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(header(live, "Content-Type")).isEqualTo("application/json");
      assertThat(json(live).get("status").asText()).isEqualTo("up");

      server.createNamespace("core");
      HttpResponse<byte[]> ready = server.get("/health/ready", null);
      assertThat(ready.statusCode()).isEqualTo(200);
      JsonNode body = json(ready);
      assertThat(body.get("status").asText()).isEqualTo("ready");
      assertThat(body.get("revision").asLong())
          .isEqualTo(HttpTestSupport.storeRevision(server, "core"));
      assertThat(body.get("store").get("healthy").asBoolean()).isTrue();
      assertThat(body.get("store").has("error")).isFalse();
      assertThat(header(ready, "Cache-Control")).isEqualTo("no-store");
    }
  }

  @Test
  void close_stopsListening_andARestartKeepsTheKeyIdTokensAndEtags(@TempDir Path dir) {
    String adminToken;
    String instanceToken;
    String keyId;
    HttpResponse<byte[]> document;
    HttpResponse<byte[]> checksums;
    byte[] keys;
    long revision;
    int port;
    ServerFixture first = ServerFixture.start(dir);
    try {
      first.createNamespace("core");
      instanceToken = first.createInstance("acme-prod", "live");
      HttpTestSupport.stage(first, "core", "default", "{\"seats\":{\"crm\":25}}");
      HttpTestSupport.publish(first, "core");
      adminToken = first.adminToken();
      keyId = HttpTestSupport.announcedKey(first).keyId();
      keys = first.get("/v1/keys", null).body();
      document = first.get("/v1/instances/acme-prod/config/core", instanceToken);
      checksums = first.get("/v1/instances/acme-prod/checksums", instanceToken);
      revision = json(first.get("/health/ready", null)).get("revision").asLong();
      port = first.server().port();
      assertThat(canConnect(port)).isTrue();
    } finally {
      first.close();
    }

    assertThat(canConnect(port)).as("nothing listens on the closed replica's port").isFalse();
    assertThatThrownBy(() -> first.get("/health/live", null)).isInstanceOf(RuntimeException.class);

    try (ServerFixture second = ServerFixture.start(dir)) {
      assertThat(second.adminToken()).isEqualTo(adminToken);
      assertThat(HttpTestSupport.announcedKey(second).keyId()).isEqualTo(keyId);
      assertThat(second.get("/v1/keys", null).body()).isEqualTo(keys);
      assertThat(json(second.get("/health/ready", null)).get("revision").asLong())
          .isEqualTo(revision);

      HttpResponse<byte[]> again = second.get("/v1/instances/acme-prod/config/core", instanceToken);
      assertThat(again.statusCode())
          .as("the instance credential survives the restart")
          .isEqualTo(200);
      assertThat(again.body()).isEqualTo(document.body());
      assertThat(header(again, "ETag")).isEqualTo(header(document, "ETag"));
      // The restarted replica signs its first snapshot as one batch: another signature, as valid.
      assertThat(
              HttpTestSupport.announcedKey(second)
                  .verifies(
                      again.body(),
                      io.holdfast.protocol.signature.SignatureHeader.parse(
                          header(again, "Holdfast-Signature"))))
          .isTrue();
      assertThat(
              second
                  .get(
                      "/v1/instances/acme-prod/config/core",
                      instanceToken,
                      "If-None-Match",
                      header(document, "ETag"))
                  .statusCode())
          .isEqualTo(304);
      HttpResponse<byte[]> checksumsAgain =
          second.get("/v1/instances/acme-prod/checksums", instanceToken);
      assertThat(checksumsAgain.body()).isEqualTo(checksums.body());
      assertThat(header(checksumsAgain, "ETag")).isEqualTo(header(checksums, "ETag"));
      assertThat(second.admin("GET", "/v1/admin/namespaces/core/history", null).get("history"))
          .hasSize(2);
    }
  }

  private static boolean canConnect(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
