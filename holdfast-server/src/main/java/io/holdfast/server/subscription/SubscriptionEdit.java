package io.holdfast.server.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One subscription edit of a change: a new subscription ({@code create}) or a change to an existing
 * one ({@code change}), never both. It reaches its instance when the change reaches the instance's
 * ring, and becomes the stored subscription when the change completes.
 *
 * @param subscriptionId the subscription changed, or the id the new one will have; {@code null} in
 *     a request to create one (the store assigns it)
 * @param instance the instance whose {@code subscriptions} document it alters; filled in by the
 *     store for a change
 * @param baseRevision the subscription's revision the change was written against (0 for a new one);
 *     {@code null} in a request means "as it is now"
 */
public record SubscriptionEdit(
    String subscriptionId,
    String instance,
    NewSubscription create,
    SubscriptionChange change,
    Long baseRevision) {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  public SubscriptionEdit {
    if ((create == null) == (change == null)) {
      throw new IllegalArgumentException(
          "a subscription edit either creates or changes a subscription");
    }
    if (change != null && subscriptionId == null) {
      throw new IllegalArgumentException("a subscription change names the subscription");
    }
  }

  public static SubscriptionEdit creating(NewSubscription subscription) {
    return new SubscriptionEdit(null, subscription.instance(), subscription, null, null);
  }

  public static SubscriptionEdit changing(String id, SubscriptionChange change) {
    return new SubscriptionEdit(id, null, null, change, null);
  }

  /** {@code current} (null for a new subscription) as this edit makes it, at {@code revision}. */
  public Subscription applyTo(Subscription current, long revision, Instant at) {
    if (create != null) {
      return new Subscription(
          subscriptionId,
          create.instance(),
          create.application(),
          create.quantity(),
          create.overage(),
          create.seatModel(),
          SubscriptionStatus.ACTIVE,
          create.validFrom(),
          create.validUntil(),
          create.plan(),
          create.notes(),
          revision,
          at,
          at);
    }
    return change.applyTo(current, revision, at);
  }

  /** The stored form: the edit's fields as a JSON object. */
  public ObjectNode body() {
    ObjectNode node = JSON.objectNode();
    if (create != null) {
      node.put("application", create.application());
      node.put("quantity", create.quantity());
      node.put("overage", create.overage());
      node.put("seatModel", create.seatModel().wireName());
      node.put("validFrom", create.validFrom().toString());
      putInstant(node, "validUntil", create.validUntil());
      node.put("plan", create.plan());
      node.put("notes", create.notes());
    } else {
      putLong(node, "quantity", change.quantity());
      putLong(node, "overage", change.overage());
      if (change.openEnded()) {
        node.putNull("validUntil");
      } else if (change.validUntil() != null) {
        node.put("validUntil", change.validUntil().toString());
      }
      if (change.plan() != null) {
        node.put("plan", change.plan());
      }
      if (change.notes() != null) {
        node.put("notes", change.notes());
      }
      if (change.status() != null) {
        node.put("status", change.status().wireName());
      }
      if (change.forceReason() != null) {
        node.put("force", change.forceReason());
      }
    }
    return node;
  }

  /** Reads back what {@link #body()} stored. */
  public static SubscriptionEdit fromBody(
      String id, String instance, boolean creates, JsonNode body, long baseRevision) {
    if (creates) {
      NewSubscription create =
          new NewSubscription(
              instance,
              body.get("application").asText(),
              body.get("quantity").asLong(),
              body.get("overage").asLong(),
              SeatModel.fromWire(body.get("seatModel").asText()),
              Instant.parse(body.get("validFrom").asText()),
              instant(body.get("validUntil")),
              body.get("plan").asText(),
              body.get("notes").asText());
      return new SubscriptionEdit(id, instance, create, null, baseRevision);
    }
    SubscriptionChange change =
        new SubscriptionChange(
            body.has("quantity") ? body.get("quantity").asLong() : null,
            body.has("overage") ? body.get("overage").asLong() : null,
            instant(body.get("validUntil")),
            body.has("validUntil") && body.get("validUntil").isNull(),
            body.has("plan") ? body.get("plan").asText() : null,
            body.has("notes") ? body.get("notes").asText() : null,
            body.has("status") ? SubscriptionStatus.fromWire(body.get("status").asText()) : null,
            body.has("force") ? body.get("force").asText() : null);
    return new SubscriptionEdit(id, instance, null, change, baseRevision);
  }

  private static Instant instant(JsonNode node) {
    return node == null || node.isNull() ? null : Instant.parse(node.asText());
  }

  private static void putInstant(ObjectNode node, String name, Instant value) {
    if (value == null) {
      node.putNull(name);
    } else {
      node.put(name, value.toString());
    }
  }

  private static void putLong(ObjectNode node, String name, Long value) {
    if (value != null) {
      node.put(name, value);
    }
  }
}
