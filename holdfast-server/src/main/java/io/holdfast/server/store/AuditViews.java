package io.holdfast.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.server.model.Role;
import io.holdfast.server.model.Scope;
import java.util.Collection;
import java.util.Map;

/**
 * What the audit log records of the writes that are not about subscriptions: the fields an operator
 * would ask about, never a credential hash. Stateless.
 */
final class AuditViews {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AuditViews() {}

  static ObjectNode ring(Ring ring) {
    ObjectNode node = JSON.objectNode();
    node.put("name", ring.name());
    node.put("position", ring.position());
    node.put("bakeTime", ring.bakeTime().toString());
    return node;
  }

  static ObjectNode instance(String id, String ring, Map<String, String> labels) {
    ObjectNode node = JSON.objectNode();
    node.put("id", id);
    node.put("ring", ring);
    ObjectNode labelNode = node.putObject("labels");
    labels.forEach(labelNode::put);
    return node;
  }

  static ObjectNode namespace(String name, String description) {
    ObjectNode node = JSON.objectNode();
    node.put("name", name);
    node.put("description", description);
    return node;
  }

  /** A staged layer; {@code content == null} stages its removal. */
  static ObjectNode draft(Scope scope, JsonNode content) {
    ObjectNode node = JSON.objectNode();
    node.put("scope", scope.key());
    node.set("content", content == null ? JSON.nullNode() : content.deepCopy());
    return node;
  }

  static ObjectNode publish(long revision, String message, Collection<Scope> scopes) {
    ObjectNode node = JSON.objectNode();
    node.put("revision", revision);
    node.put("message", message);
    scopes.forEach(s -> node.withArray("/scopes").add(s.key()));
    return node;
  }

  static ObjectNode credential(String name, Role role) {
    ObjectNode node = JSON.objectNode();
    node.put("name", name);
    node.put("role", role.wireName());
    return node;
  }

  /** An admin credential as the audit log keeps it: never its token or the token's hash. */
  static ObjectNode credential(AdminCredential credential, java.time.Instant now) {
    ObjectNode node = credential(credential.name(), credential.role());
    node.put(
        "expiresAt", credential.expiresAt() == null ? null : credential.expiresAt().toString());
    node.put("state", credential.stateAt(now));
    return node;
  }
}
