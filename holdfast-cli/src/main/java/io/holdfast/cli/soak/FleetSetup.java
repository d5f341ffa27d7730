package io.holdfast.cli.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.AdminClient;
import io.holdfast.cli.soak.history.HistoryRecorder;
import io.holdfast.cli.soak.history.SubscriptionChanged;
import io.holdfast.protocol.signature.VerificationKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Creates what the soak runs against before the nemesis starts: the {@code app} namespace, the
 * soak's application, one instance per tenant with its subscription and its first published layer
 * (recorded as acknowledged writes like every later one). Tenants are paired first: of {@code
 * clients} clients, a third of them in pairs (two application nodes sharing one seat table), the
 * rest one each.
 */
final class FleetSetup {

  static final long FIRST_QUANTITY = 4;
  static final long OVERAGE = 1;

  private FleetSetup() {}

  /** How many nodes each tenant runs, pairs first. */
  static List<Integer> nodesPerTenant(int clients) {
    int pairs = Math.max(1, clients / 3);
    List<Integer> nodes = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      nodes.add(2);
    }
    for (int i = 2 * pairs; i < clients; i++) {
      nodes.add(1);
    }
    return nodes;
  }

  static List<Tenant> create(AdminClient admin, int clients, HistoryRecorder history) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    admin.post("/v1/admin/namespaces", json.objectNode().put("name", Tenant.NAMESPACE));
    admin.post("/v1/admin/applications", json.objectNode().put("name", Tenant.APPLICATION));
    List<Tenant> tenants = new ArrayList<>();
    List<Integer> nodes = nodesPerTenant(clients);
    for (int i = 0; i < nodes.size(); i++) {
      String id = String.format(Locale.ROOT, "tenant-%02d", i + 1);
      String credential =
          admin
              .post("/v1/admin/instances", json.objectNode().put("id", id).put("ring", "live"))
              .path("credential")
              .asText();
      ObjectNode subscription =
          json.objectNode()
              .put("instance", id)
              .put("application", Tenant.APPLICATION)
              .put("quantity", FIRST_QUANTITY)
              .put("overage", OVERAGE)
              .put("validFrom", "2020-01-01T00:00:00Z")
              .put("plan", "soak");
      JsonNode created = admin.post("/v1/admin/subscriptions", subscription);
      history.record(
          t ->
              new SubscriptionChanged(
                  t,
                  "setup",
                  id,
                  Tenant.APPLICATION,
                  FIRST_QUANTITY,
                  OVERAGE,
                  created.path("status").asText().toUpperCase(Locale.ROOT),
                  revision(created)));
      tenants.add(new Tenant(id, credential, created.path("id").asText(), nodes.get(i)));
    }
    return tenants;
  }

  /** The replicas' signing key, which every client trusts. */
  static VerificationKey signingKey(AdminClient admin) {
    return VerificationKey.fromBase64(
        admin.get("/v1/keys").path("keys").get(0).path("publicKey").asText());
  }

  /** The revision an answer names, or {@code null} if it names none. */
  static Long revision(JsonNode answer) {
    JsonNode revision = answer.path("revision");
    return revision.canConvertToLong() ? revision.asLong() : null;
  }
}
