package io.holdfast.cli.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.AdminClient;
import io.holdfast.cli.soak.history.ContentStamp;
import io.holdfast.cli.soak.history.HistoryRecorder;
import io.holdfast.cli.soak.history.PublishIndeterminate;
import io.holdfast.cli.soak.history.Published;
import io.holdfast.cli.soak.history.SubscriptionChanged;
import java.util.Locale;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * One tenant's publisher: edits the tenant's layer of the {@code app} namespace with a growing
 * {@code seq} and its self-check, and publishes that scope alone; now and then changes the tenant's
 * subscription quantity (never below the seats in use). Every acknowledged write is recorded as
 * such, every write that may or may not have happened as indeterminate. Writes go to a replica
 * picked at random, the next live one if it is down.
 */
final class Publisher {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Tenant tenant;
  private final SoakCluster cluster;
  private final HistoryRecorder history;
  private final Random random;
  private final LongSupplier seatsInUse;
  private final String name;
  private long seq;
  private long quantity = FleetSetup.FIRST_QUANTITY;
  private final OperationCounts counts;

  Publisher(
      Tenant tenant,
      SoakCluster cluster,
      HistoryRecorder history,
      Random random,
      LongSupplier seatsInUse,
      OperationCounts counts) {
    this.tenant = tenant;
    this.cluster = cluster;
    this.history = history;
    this.random = random;
    this.seatsInUse = seatsInUse;
    this.counts = counts;
    this.name = "publisher-" + tenant.id();
  }

  /** One step of the background loop: mostly a layer edit, sometimes a subscription change. */
  synchronized void step() {
    if (random.nextInt(10) == 0) {
      changeQuantity();
    } else {
      publishLayer("layer-edit");
    }
  }

  /** {@code count} layer edits back to back. */
  synchronized void burst(int count) {
    for (int i = 0; i < count; i++) {
      publishLayer("burst");
    }
  }

  /** Stages the next seq in the tenant's layer and publishes it; returns whether acknowledged. */
  boolean publishLayer(String operation) {
    long next = ++seq;
    ContentStamp stamp = ContentStamp.of(tenant.id(), next);
    ObjectNode layer =
        JSON.objectNode().put("owner", stamp.owner()).put("seq", next).put("check", stamp.check());
    AdminClient admin = cluster.admin(random.nextInt(cluster.replicas().size()));
    String base = "/v1/admin/namespaces/" + Tenant.NAMESPACE;
    try {
      admin.put(base + "/layers/" + AdminClient.encode(tenant.scope()), layer);
    } catch (RuntimeException e) {
      // A draft that never got published changes nothing a client can see.
      counts.count("publish-failed");
      return false;
    }
    ObjectNode publish = JSON.objectNode().put("message", "soak " + operation + " " + next);
    publish.putArray("scopes").add(tenant.scope());
    try {
      JsonNode answer = admin.post(base + "/publish", publish);
      long revision = answer.path("revision").asLong();
      history.record(
          t ->
              new Published(
                  t, name, tenant.id(), Tenant.NAMESPACE, revision, null, next, operation));
      counts.count("publish");
      return true;
    } catch (RuntimeException e) {
      if (AdminOutcome.indeterminate(e)) {
        history.record(
            t ->
                new PublishIndeterminate(
                    t, name, tenant.id(), Tenant.NAMESPACE, next, String.valueOf(e.getMessage())));
      }
      counts.count("publish-failed");
      return false;
    }
  }

  private void changeQuantity() {
    long inUse = seatsInUse.getAsLong();
    long next = Math.max(inUse, 2 + random.nextInt(7));
    if (next == quantity) {
      next++;
    }
    ObjectNode patch = JSON.objectNode().put("quantity", next);
    if (next < quantity) {
      // A deep cut needs a reason; the soak lowers only to seats in use or above.
      patch.put("force", "soak: lowering to " + next + " with " + inUse + " seats in use");
    }
    AdminClient admin = cluster.admin(random.nextInt(cluster.replicas().size()));
    try {
      JsonNode changed =
          admin.patch(
              "/v1/admin/subscriptions/" + AdminClient.encode(tenant.subscriptionId()), patch);
      long acknowledged = next;
      quantity = next;
      history.record(
          t ->
              new SubscriptionChanged(
                  t,
                  name,
                  tenant.id(),
                  Tenant.APPLICATION,
                  acknowledged,
                  changed.path("overage").asLong(FleetSetup.OVERAGE),
                  changed.path("status").asText("active").toUpperCase(Locale.ROOT),
                  FleetSetup.revision(changed)));
      counts.count("subscription-change");
    } catch (RuntimeException e) {
      counts.count("subscription-change-failed");
      if (AdminOutcome.indeterminate(e)) {
        reconcile(admin);
      }
    }
  }

  /**
   * After a change that may have happened: reads what the subscription is now and records that, so
   * the checker's seat limit is never lower than what clients may have been granted.
   */
  private void reconcile(AdminClient admin) {
    try {
      JsonNode now =
          admin.get("/v1/admin/subscriptions/" + AdminClient.encode(tenant.subscriptionId()));
      quantity = now.path("quantity").asLong();
      history.record(
          t ->
              new SubscriptionChanged(
                  t,
                  name + " (read back)",
                  tenant.id(),
                  Tenant.APPLICATION,
                  now.path("quantity").asLong(),
                  now.path("overage").asLong(),
                  now.path("status").asText().toUpperCase(Locale.ROOT),
                  FleetSetup.revision(now)));
    } catch (RuntimeException e) {
      // Read again after the next change; until then the limit recorded is the last known.
    }
  }
}
