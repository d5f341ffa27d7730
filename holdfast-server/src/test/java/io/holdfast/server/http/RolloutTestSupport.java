package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.envelope;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/**
 * Requests the change-request and rollout tests share: a replica with a chosen number of required
 * approvals (the rollout engine's timer is off, so {@link #tick} drives it), a crew of admin
 * credentials, change bodies, actions, what an instance is served, and a fingerprint of everything
 * a rejected request must leave alone.
 */
final class RolloutTestSupport {

  static final String CHANGES = "/v1/admin/changes";
  static final String ROLLOUTS = "/v1/admin/rollouts";
  static final String FREEZE = "/v1/admin/rollouts/freeze";

  /** The default rings, in rollout order. */
  static final List<String> RINGS = List.of("test", "dev", "beta", "live");

  private RolloutTestSupport() {}

  /** A replica over {@code dir} whose changes need {@code approvals} approvals. */
  static ServerFixture start(Path dir, int approvals) {
    return ServerFixture.startConfigured(dir, b -> b.rolloutApprovals(approvals));
  }

  /**
   * One admin credential per role, plus a second publisher for two-person approval. Their actors
   * are {@code admin:<name>}.
   */
  record Crew(
      String viewer, String editor, String publisher, String secondPublisher, String admin) {

    static final String EDITOR = "admin:as-editor";
    static final String PUBLISHER = "admin:as-publisher";
    static final String SECOND_PUBLISHER = "admin:as-publisher-2";
    static final String ADMIN = "admin:as-admin";

    static Crew create(ServerFixture server) {
      return new Crew(
          HttpTestSupport.createCredential(server, "as-viewer", "viewer"),
          HttpTestSupport.createCredential(server, "as-editor", "editor"),
          HttpTestSupport.createCredential(server, "as-publisher", "publisher"),
          HttpTestSupport.createCredential(server, "as-publisher-2", "publisher"),
          HttpTestSupport.createCredential(server, "as-admin", "admin"));
    }
  }

  // ------------------------------------------------------------------ bodies

  /** An edit that sets a layer's content. */
  static String edit(String namespace, String scope, String content) {
    return "{\"namespace\":\""
        + namespace
        + "\",\"scope\":\""
        + scope
        + "\",\"content\":"
        + content
        + "}";
  }

  /** An edit that removes a layer. */
  static String removal(String namespace, String scope) {
    return "{\"namespace\":\"" + namespace + "\",\"scope\":\"" + scope + "\",\"remove\":true}";
  }

  static String body(String description, String... edits) {
    return "{\"description\":\"" + description + "\",\"edits\":[" + String.join(",", edits) + "]}";
  }

  static String reason(String why) {
    return "{\"reason\":\"" + why + "\"}";
  }

  // ------------------------------------------------------------------ requests

  /** Creates a change as {@code token}; requires 201 with its Location, and returns the view. */
  static JsonNode create(ServerFixture server, String token, String... edits) {
    HttpResponse<byte[]> response =
        server.sendJson("POST", CHANGES, token, body("test change", edits));
    assertThat(response.statusCode()).as("create: %s", text(response)).isEqualTo(201);
    JsonNode change = json(response);
    assertThat(header(response, "Location")).isEqualTo(CHANGES + "/" + change.get("id").asLong());
    return change;
  }

  /** POSTs an action ({@code approve}, {@code promote}, ...) with an optional JSON body. */
  static HttpResponse<byte[]> act(
      ServerFixture server, String token, long id, String action, String json) {
    String path = CHANGES + "/" + id + "/" + action;
    return json == null
        ? server.send("POST", path, token, null)
        : server.sendJson("POST", path, token, json);
  }

  /** An action that must succeed; returns the change view it answers with. */
  static JsonNode perform(ServerFixture server, String token, long id, String action, String json) {
    HttpResponse<byte[]> response = act(server, token, id, action, json);
    assertThat(response.statusCode())
        .as("%s of change %s: %s", action, id, text(response))
        .isEqualTo(200);
    return json(response);
  }

  /** The change as a viewer sees it. */
  static JsonNode change(ServerFixture server, long id) {
    return server.admin("GET", CHANGES + "/" + id, null);
  }

  static String state(ServerFixture server, long id) {
    return change(server, id).get("state").asText();
  }

  /** One pass of the rollout engine; the lines it returns say what it did. */
  static List<String> tick(ServerFixture server) {
    return server.server().rolloutEngine().tick();
  }

  /**
   * Marks the rings as allowed to be empty, so that a change passes each once baked although no
   * instance there reports: what tests whose instances run no SDK client need. By default such a
   * ring holds a change until its ack deadline and then fails it (see {@code
   * UnreportedRingRolloutTest}).
   */
  static void allowEmpty(ServerFixture server, List<String> rings) {
    for (String ring : rings) {
      server.admin("PATCH", "/v1/admin/rings/" + ring, "{\"gate\":{\"allowEmpty\":true}}");
    }
  }

  /** What the instance is served for the namespace, read with its own credential. */
  static Envelope served(ServerFixture server, String instance, String token, String namespace) {
    HttpResponse<byte[]> response =
        server.get("/v1/instances/" + instance + "/config/" + namespace, token);
    assertThat(response.statusCode())
        .as("config of %s: %s", instance, text(response))
        .isEqualTo(200);
    Envelope envelope = envelope(response.body());
    assertThat(Long.parseLong(header(response, "Holdfast-Revision")))
        .isEqualTo(envelope.revision());
    return envelope;
  }

  /** The namespace's history, newest first, as the admin API lists it. */
  static JsonNode history(ServerFixture server, String namespace) {
    return server
        .admin("GET", "/v1/admin/namespaces/" + namespace + "/history", null)
        .get("history");
  }

  /** The audit entries about one target, newest first. */
  static JsonNode audit(ServerFixture server, String target) {
    return server.admin("GET", "/v1/admin/audit?limit=1000&target=" + target, null).get("entries");
  }

  /** How many rows the audit log holds; the chain must verify. */
  static long auditCount(ServerFixture server) {
    JsonNode verification = server.admin("GET", "/v1/admin/audit/verify", null);
    assertThat(verification.get("intact").asBoolean()).as("audit chain: %s", verification).isTrue();
    return verification.get("checked").asLong();
  }

  /**
   * Everything a rejected request must leave alone: the store's revision, every list, the
   * namespace's layers, drafts and history (see {@link HttpTestSupport#fingerprint}), every change
   * request, the rollout settings and freeze, and the number of audit rows.
   */
  static String fingerprint(ServerFixture server, String namespace) {
    return HttpTestSupport.fingerprint(server, namespace)
        + CHANGES
        + " = "
        + server.admin("GET", CHANGES + "?limit=500", null)
        + "\n"
        + ROLLOUTS
        + " = "
        + server.admin("GET", ROLLOUTS, null)
        + "\n"
        + "audit rows = "
        + auditCount(server)
        + "\n";
  }
}
