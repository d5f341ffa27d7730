package io.holdfast.server.subscription;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The operators' view of applications and subscriptions, as the admin API shows them and the audit
 * log records them: every field, notes included. Instances get {@link SubscriptionsDocument}
 * instead. Stateless.
 */
public final class SubscriptionJson {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private SubscriptionJson() {}

  public static ObjectNode application(Application application) {
    ObjectNode node = JSON.objectNode();
    node.put("name", application.name());
    node.put("displayName", application.displayName());
    node.put("createdAt", application.createdAt().toString());
    node.put("updatedAt", application.updatedAt().toString());
    return node;
  }

  /** The document entry an instance gets, plus what only operators see. */
  public static ObjectNode subscription(Subscription s) {
    ObjectNode node = SubscriptionsDocument.entry(s);
    node.put("instance", s.instance());
    node.put("application", s.application());
    node.put("notes", s.notes());
    node.put("revision", s.revision());
    node.put("createdAt", s.createdAt().toString());
    node.put("updatedAt", s.updatedAt().toString());
    return node;
  }
}
