package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The demo's sample fleet, created through the admin API like any operator would: instances,
 * namespaces with layers, an applications catalogue and subscriptions.
 */
final class DemoData {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The sample instances: id, ring, region, plan. */
  static final String[][] INSTANCES = {
    {"acme-prod", "live", "eu", "enterprise"},
    {"globex-beta", "beta", "us", "business"},
    {"initech-dev", "dev", "us", "team"},
    {"umbrella-test", "test", "eu", "team"},
  };

  private DemoData() {}

  /** Creates the sample data and returns {@code {"instances": {id: credential}}}. */
  static ObjectNode seed(AdminClient client) {
    namespace(client, "core", "Core settings of every instance");
    namespace(client, "features", "Feature flags");
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    ObjectNode credentials = result.putObject("instances");
    for (String[] i : INSTANCES) {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("id", i[0]);
      body.put("ring", i[1]);
      body.putObject("labels").put("region", i[2]).put("plan", i[3]);
      credentials.put(i[0], client.post("/v1/admin/instances", body).path("credential").asText());
    }
    layer(
        client,
        "core",
        "default",
        """
        {"sessionTimeoutMinutes": 30, "maxUploadMb": 25, "maintenance": {"enabled": false},
         "support": {"email": "support@example.com", "hours": "24x7"}}""");
    layer(client, "core", "ring:beta", "{\"sessionTimeoutMinutes\": 45}");
    layer(
        client,
        "core",
        "instance:acme-prod",
        "{\"maxUploadMb\": 100, \"support\": {\"email\": \"acme-support@example.com\"}}");
    publish(client, "core", "demo: initial core settings");
    layer(
        client,
        "features",
        "default",
        "{\"newDashboard\": false, \"bulkExport\": true, \"aiAssist\": {\"enabled\": false, \"model\": \"small\"}}");
    layer(
        client,
        "features",
        "ring:test",
        "{\"newDashboard\": true, \"aiAssist\": {\"enabled\": true}}");
    layer(client, "features", "ring:dev", "{\"newDashboard\": true}");
    publish(client, "features", "demo: initial feature flags");
    application(client, "crm", "Customer relations");
    application(client, "billing", "Billing");
    application(client, "helpdesk", "Helpdesk");
    subscription(client, "acme-prod", "crm", 250, 10, "2026-01-01T00:00:00Z", null, "enterprise");
    subscription(
        client,
        "acme-prod",
        "billing",
        20,
        0,
        "2026-01-01T00:00:00Z",
        "2027-01-01T00:00:00Z",
        "enterprise");
    subscription(client, "globex-beta", "crm", 50, 5, "2026-01-01T00:00:00Z", null, "business");
    subscription(
        client, "globex-beta", "helpdesk", 15, 0, "2026-06-01T00:00:00Z", null, "business");
    subscription(client, "initech-dev", "crm", 10, 0, "2026-01-01T00:00:00Z", null, "team");
    return result;
  }

  /**
   * Creates {@code demo-reviewer}, a publisher who approves the tour's change request (nobody
   * approves their own); returns its token.
   */
  static String reviewer(AdminClient client) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", "demo-reviewer");
    body.put("role", "publisher");
    return client.post("/v1/admin/credentials", body).path("token").asText();
  }

  private static void application(AdminClient client, String name, String displayName) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    body.put("displayName", displayName);
    client.post("/v1/admin/applications", body);
  }

  static void subscription(
      AdminClient client,
      String instance,
      String application,
      long quantity,
      long overage,
      String validFrom,
      String validUntil,
      String plan) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("instance", instance);
    body.put("application", application);
    body.put("quantity", quantity);
    body.put("overage", overage);
    body.put("validFrom", validFrom);
    if (validUntil != null) {
      body.put("validUntil", validUntil);
    }
    body.put("plan", plan);
    body.put("notes", "demo data");
    client.post("/v1/admin/subscriptions", body);
  }

  private static void namespace(AdminClient client, String name, String description) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    body.put("description", description);
    client.post("/v1/admin/namespaces", body);
  }

  private static void layer(AdminClient client, String ns, String scope, String json) {
    client.put("/v1/admin/namespaces/" + ns + "/layers/" + AdminClient.encode(scope), parse(json));
  }

  private static void publish(AdminClient client, String ns, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("message", message);
    client.post("/v1/admin/namespaces/" + ns + "/publish", body);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
