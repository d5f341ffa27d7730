package io.holdfast.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.model.JsonDiff;
import io.holdfast.server.namespace.Draft;
import io.holdfast.server.namespace.LayerVersion;
import io.holdfast.server.namespace.Namespace;
import io.holdfast.server.store.AdminCredential;
import io.holdfast.server.store.HistoryEntry;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.InstanceTiming;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The admin API's JSON representations. Written out member by member so that nothing is exposed by
 * accident: no credential hash ever leaves the server.
 */
final class JsonViews {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private JsonViews() {}

  static ObjectNode object() {
    return JSON.objectNode();
  }

  static void send(ServerResponse res, Status status, JsonNode body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(CanonicalJson.toBytes(body));
  }

  /** An instance with its own window settings ({@code null} members for none). */
  static ObjectNode instance(Instance instance, InstanceTiming timing) {
    ObjectNode node = object();
    node.put("id", instance.id());
    node.put("ring", instance.ring());
    ObjectNode labels = node.putObject("labels");
    for (Map.Entry<String, String> e : instance.labels().entrySet()) {
      labels.put(e.getKey(), e.getValue());
    }
    node.put("zone", timing.zone().map(ZoneId::getId).orElse(null));
    node.put("changeWindow", timing.window().map(ChangeWindow::format).orElse(null));
    node.put("createdAt", instance.createdAt().toString());
    node.put("updatedAt", instance.updatedAt().toString());
    return node;
  }

  static ObjectNode namespace(Namespace namespace) {
    ObjectNode node = object();
    node.put("name", namespace.name());
    node.put("description", namespace.description());
    node.put("revision", namespace.revision());
    node.put("createdAt", namespace.createdAt().toString());
    return node;
  }

  static ObjectNode layer(LayerVersion layer) {
    ObjectNode node = object();
    node.put("scope", layer.scope().key());
    node.put("revision", layer.revision());
    node.put("publishedAt", layer.publishedAt().toString());
    node.put("removed", layer.removed());
    node.set("content", layer.content() == null ? JSON.nullNode() : layer.content());
    return node;
  }

  static ObjectNode draft(Draft draft) {
    ObjectNode node = object();
    node.put("scope", draft.scope().key());
    node.put("version", draft.version());
    node.put("removes", draft.content() == null);
    node.set("content", draft.content() == null ? JSON.nullNode() : draft.content());
    node.put("updatedBy", draft.updatedBy());
    node.put("updatedAt", draft.updatedAt().toString());
    return node;
  }

  static ObjectNode history(HistoryEntry entry) {
    ObjectNode node = object();
    node.put("revision", entry.revision().revision());
    node.put("kind", entry.revision().kind());
    node.put("actor", entry.revision().actor());
    node.put("message", entry.revision().message());
    node.put("createdAt", entry.revision().createdAt().toString());
    ArrayNode scopes = node.putArray("scopes");
    entry.scopes().forEach(s -> scopes.add(s.key()));
    ArrayNode rings = node.putArray("rings");
    entry.rings().forEach(rings::add);
    return node;
  }

  /** A credential as of {@code now}; never its token or the token's hash. */
  static ObjectNode credential(AdminCredential credential, java.time.Instant now) {
    ObjectNode node = object();
    node.put("name", credential.name());
    node.put("role", credential.role().wireName());
    node.put("state", credential.stateAt(now));
    node.put("createdAt", credential.createdAt().toString());
    node.put("expiresAt", text(credential.expiresAt()));
    node.put("revokedAt", text(credential.revokedAt()));
    node.put("lastUsedAt", text(credential.lastUsedAt()));
    return node;
  }

  private static String text(java.time.Instant instant) {
    return instant == null ? null : instant.toString();
  }

  static ArrayNode changes(List<JsonDiff.Change> changes) {
    ArrayNode array = JSON.arrayNode();
    for (JsonDiff.Change change : changes) {
      ObjectNode node = array.addObject();
      node.put("op", change.op());
      node.put("path", change.path());
      if (change.before() != null) {
        node.set("before", change.before());
      }
      if (change.after() != null) {
        node.set("after", change.after());
      }
    }
    return array;
  }

  static <T> ObjectNode list(
      String member, List<T> items, java.util.function.Function<T, ObjectNode> view) {
    ObjectNode node = object();
    ArrayNode array = node.putArray(member);
    items.forEach(item -> array.add(view.apply(item)));
    return node;
  }
}
