package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS C10, injection payloads in values: SQL, JNDI lookups, header splitting, script, template
 * and path payloads are data. They are stored and served byte for byte (in layer values and keys,
 * labels, plans, notes, publish messages and heartbeats), never evaluated ({@code {{7*7}}} stays
 * text, no lookup happens), never copied into a response header, and the store stays intact (every
 * write is a parameterised statement). The console's escaping of the same payloads is {@code
 * ConsolePagesTest.whatOperatorsAndInstancesWrite_isEscaped_onEveryPage}.
 */
class InjectionPayloadsTest {

  private static final List<String> PAYLOADS =
      List.of(
          "' OR 1=1--",
          "'); DROP TABLE instances;--",
          "${jndi:ldap://127.0.0.1/x}",
          "%0d%0aSet-Cookie: hf=1",
          "\r\nSet-Cookie: hf=1\r\n",
          "<script>alert(1)</script>",
          "{{7*7}}",
          "${7*7}",
          "#{7*7}",
          "../../etc/passwd",
          "%s%n%x",
          "\u202Eevil");

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static String token;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    server.createNamespace("core");
    token = server.createInstance("acme-prod", "live");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static void assertNoPayloadInHeaders(HttpResponse<byte[]> response) {
    assertThat(response.headers().map()).doesNotContainKey("set-cookie");
    for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
      for (String value : header.getValue()) {
        assertThat(value)
            .as(header.getKey())
            .doesNotContain("Set-Cookie")
            .doesNotContain("jndi")
            .doesNotContain("<script");
      }
    }
  }

  @Test
  void C10_payloadsInValuesAndKeys_areServedVerbatim_inTheSignedDocument_andNeverInHeaders() {
    ObjectNode layer = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < PAYLOADS.size(); i++) {
      layer.put("value" + i, PAYLOADS.get(i));
      layer.put(PAYLOADS.get(i), i);
    }
    HttpTestSupport.stage(server, "core", "default", layer.toString());
    server.sendJson(
        "POST",
        "/v1/admin/namespaces/core/publish",
        server.adminToken(),
        JsonNodeFactory.instance
            .objectNode()
            .put("message", String.join(" ", PAYLOADS))
            .toString());

    HttpResponse<byte[]> served = server.get("/v1/instances/acme-prod/config/core", token);
    assertThat(served.statusCode()).isEqualTo(200);
    Envelope envelope = HttpTestSupport.envelope(served.body());
    assertThat(envelope.content()).isEqualTo(layer);
    assertThat(envelope.content().get("value6").asText()).isEqualTo("{{7*7}}");
    assertNoPayloadInHeaders(served);

    JsonNode history = server.admin("GET", "/v1/admin/namespaces/core/history", null);
    assertThat(history.toString())
        .contains(json("\"" + "${jndi:ldap://127.0.0.1/x}" + "\"").asText());
    assertThat(history.path("history").path(0).path("message").asText())
        .isEqualTo(String.join(" ", PAYLOADS));
  }

  @Test
  void C10_payloadsInLabelsPlansNotesAndHeartbeats_comeBackVerbatim_andTheStoreStaysIntact() {
    ObjectNode labels = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < PAYLOADS.size(); i++) {
      labels.put("l" + i, PAYLOADS.get(i));
    }
    server.admin(
        "POST",
        "/v1/admin/instances",
        JsonNodeFactory.instance
            .objectNode()
            .put("id", "payloads")
            .put("ring", "live")
            .set("labels", labels)
            .toString());
    server.admin("POST", "/v1/admin/applications", "{\"name\":\"crm\"}");
    HttpResponse<byte[]> created =
        server.sendJson(
            "POST",
            "/v1/admin/subscriptions",
            server.adminToken(),
            JsonNodeFactory.instance
                .objectNode()
                .put("instance", "acme-prod")
                .put("application", "crm")
                .put("quantity", 5)
                .put("validFrom", "2026-01-01T00:00:00Z")
                .put("plan", "' OR 1=1--")
                .put("notes", String.join("|", PAYLOADS))
                .toString());
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location"))
        .hasValueSatisfying(
            location -> assertThat(location).matches("/v1/admin/subscriptions/[0-9a-f-]{36}"));
    assertNoPayloadInHeaders(created);
    ObjectNode heartbeat =
        JsonNodeFactory.instance
            .objectNode()
            .put("sdkVersion", "${jndi:ldap://127.0.0.1/x}")
            .put("sentAt", java.time.Instant.now().toString())
            .put("lastError", String.join("|", PAYLOADS));
    HttpResponse<byte[]> beat =
        server.sendJson("POST", "/v1/instances/acme-prod/heartbeat", token, heartbeat.toString());

    assertThat(server.admin("GET", "/v1/admin/instances/payloads", null).get("labels"))
        .isEqualTo(labels);
    JsonNode subscription = json(created);
    assertThat(subscription.get("plan").asText()).isEqualTo("' OR 1=1--");
    assertThat(subscription.get("notes").asText()).isEqualTo(String.join("|", PAYLOADS));
    assertThat(
            server
                .admin("GET", "/v1/admin/subscriptions/" + subscription.get("id").asText(), null)
                .get("notes")
                .asText())
        .isEqualTo(String.join("|", PAYLOADS));
    assertThat(beat.statusCode()).as(HttpTestSupport.text(beat)).isLessThan(300);
    JsonNode received =
        server.admin("GET", "/v1/admin/instances/acme-prod/heartbeat", null).path("heartbeat");
    assertThat(received.path("sdkVersion").asText()).isEqualTo("${jndi:ldap://127.0.0.1/x}");
    assertThat(received.path("lastError").asText()).isEqualTo(String.join("|", PAYLOADS));
    // Nothing was dropped or matched too widely: both instances, one application, one subscription.
    assertThat(server.admin("GET", "/v1/admin/instances", null).get("instances")).hasSize(2);
    assertThat(server.admin("GET", "/v1/admin/subscriptions", null).get("subscriptions"))
        .hasSize(1);
    assertThat(
            server
                .admin("GET", "/v1/admin/subscriptions?instance=payloads", null)
                .get("subscriptions"))
        .isEmpty();
  }
}
