package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.server.subscription.SubscriptionEdit;

/** What the audit log records of changes, rings and the freeze, as JSON. Stateless. */
final class ChangeViews {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ChangeViews() {}

  static String target(long id) {
    return "change:" + id;
  }

  static ObjectNode state(ChangeRequest change) {
    ObjectNode node = JSON.objectNode().put("state", change.state().wireName());
    if (change.currentRing() != null) {
      node.put("ring", change.currentRing());
    }
    return node;
  }

  static ObjectNode change(ChangeRequest change) {
    ObjectNode node = JSON.objectNode();
    node.put("description", change.description());
    node.put("requiredApprovals", change.requiredApprovals());
    ArrayNode edits = node.putArray("edits");
    for (ChangeEdit edit : change.edits()) {
      ObjectNode e = edits.addObject();
      e.put("namespace", edit.namespace());
      e.put("scope", edit.scope().key());
      e.set("content", edit.content());
      e.put("baseRevision", edit.baseRevision());
    }
    ArrayNode subscriptions = node.putArray("subscriptionEdits");
    for (SubscriptionEdit edit : change.subscriptionEdits()) {
      ObjectNode e = subscriptions.addObject();
      e.put("subscription", edit.subscriptionId());
      e.put("instance", edit.instance());
      e.put("kind", edit.create() != null ? "create" : "change");
      e.set("fields", edit.body());
    }
    return node;
  }

  static ObjectNode ring(RingPolicy ring) {
    return JSON.objectNode()
        .put("bakeTime", ring.bakeTime().toString())
        .put("minAckRatio", ring.gate().minAckRatio())
        .put("ackDeadline", ring.gate().ackDeadline().toString())
        .put("maxFailingRatio", ring.gate().maxFailingRatio())
        .put("maxErrorRatio", ring.gate().maxErrorRatio())
        .put("allowEmpty", ring.gate().allowEmpty());
  }

  static ObjectNode freeze(Freeze freeze) {
    return JSON.objectNode()
        .put("reason", freeze.reason())
        .put("actor", freeze.actor())
        .put("since", freeze.since().toString());
  }

  static ObjectNode object() {
    return JSON.objectNode();
  }
}
