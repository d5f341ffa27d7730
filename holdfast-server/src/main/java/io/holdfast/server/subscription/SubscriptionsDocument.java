package io.holdfast.server.subscription;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content of an instance's reserved {@code subscriptions} document, the contract with the SDK's
 * seat checker:
 *
 * <pre>{"applications": {"crm": [{"id": "…", "quantity": 25, "overage": 0, "seatModel": "named",
 *   "status": "active", "validFrom": "2026-01-01T00:00:00Z", "validUntil": null, "plan": "enterprise"}]}}
 * </pre>
 *
 * <p>Every subscription of the instance is listed, whatever its status and period, sorted by {@code
 * validFrom} (then id), so that the client picks the one in force by its own clock and sees
 * suspensions and cancellations. Notes are for operators and are left out. Built only from stored
 * values, so every replica builds the same bytes. Stateless.
 */
public final class SubscriptionsDocument {

  /** The reserved namespace the document is served as. */
  public static final String NAMESPACE = "subscriptions";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Comparator<Subscription> ORDER =
      Comparator.comparing(Subscription::validFrom).thenComparing(Subscription::id);

  private SubscriptionsDocument() {}

  /** The content for an instance from its subscriptions (in any order; others are not allowed). */
  public static ObjectNode content(List<Subscription> subscriptions) {
    Map<String, List<Subscription>> byApplication = new TreeMap<>();
    for (Subscription subscription : subscriptions) {
      byApplication
          .computeIfAbsent(subscription.application(), a -> new ArrayList<>())
          .add(subscription);
    }
    ObjectNode content = JSON.objectNode();
    ObjectNode applications = content.putObject("applications");
    for (Map.Entry<String, List<Subscription>> entry : byApplication.entrySet()) {
      ArrayNode list = applications.putArray(entry.getKey());
      entry.getValue().stream().sorted(ORDER).forEach(s -> list.add(entry(s)));
    }
    return content;
  }

  /** One subscription as the instance sees it. */
  static ObjectNode entry(Subscription s) {
    ObjectNode node = JSON.objectNode();
    node.put("id", s.id());
    node.put("quantity", s.quantity());
    node.put("overage", s.overage());
    node.put("seatModel", s.seatModel().wireName());
    node.put("status", s.status().wireName());
    node.put("validFrom", s.validFrom().toString());
    if (s.validUntil() == null) {
      node.putNull("validUntil");
    } else {
      node.put("validUntil", s.validUntil().toString());
    }
    node.put("plan", s.plan());
    return node;
  }
}
