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

  /**
   * Creates the sample data, adding each sample instance's credential to {@code credentials} and
   * running {@code save} after each. Safe to run again after an interrupted start: what {@code
   * credentials} names is kept, and whatever else exists already (a {@code 409}) is taken as made.
   */
  static void seed(AdminClient client, ObjectNode credentials, Runnable save) {
    namespace(client, "core", "Core settings of every instance");
    namespace(client, "features", "Feature flags");
    for (String[] i : INSTANCES) {
      if (credentials.has(i[0])) {
        continue;
      }
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("id", i[0]);
      body.put("ring", i[1]);
      body.putObject("labels").put("region", i[2]).put("plan", i[3]);
      credentials.put(i[0], instance(client, body));
      save.run();
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
  }

  /**
   * Creates {@code demo-reviewer}, a publisher who approves the tour's change request (nobody
   * approves their own); returns its token. One made by an interrupted start whose token was never
   * saved is rotated: its token is shown only once.
   */
  static String reviewer(AdminClient client) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", "demo-reviewer");
    body.put("role", "publisher");
    try {
      return client.post("/v1/admin/credentials", body).path("token").asText();
    } catch (AdminClient.RefusedException e) {
      if (e.status() != 409) {
        throw e;
      }
      return client.post("/v1/admin/credentials/demo-reviewer/rotate", null).path("token").asText();
    }
  }

  /**
   * Creates an instance and returns its credential. One made by an interrupted start whose
   * credential was never saved is given a fresh credential instead, as the game day's canaries are.
   */
  static String instance(AdminClient client, ObjectNode body) {
    try {
      return client.post("/v1/admin/instances", body).path("credential").asText();
    } catch (AdminClient.RefusedException e) {
      if (e.status() != 409) {
        throw e;
      }
      String path = "/v1/admin/instances/" + AdminClient.encode(body.path("id").asText());
      return client.post(path + "/credential", null).path("credential").asText();
    }
  }

  /**
   * Posts a create; a {@code 409} means an interrupted start made it (or, for a publish, that there
   * is nothing left to publish), so it is taken as done.
   */
  private static void create(AdminClient client, String path, JsonNode body) {
    try {
      client.post(path, body);
    } catch (AdminClient.RefusedException e) {
      if (e.status() != 409) {
        throw e;
      }
    }
  }

  private static void application(AdminClient client, String name, String displayName) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    body.put("displayName", displayName);
    create(client, "/v1/admin/applications", body);
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
    create(client, "/v1/admin/subscriptions", body);
  }

  private static void namespace(AdminClient client, String name, String description) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    body.put("description", description);
    create(client, "/v1/admin/namespaces", body);
  }

  private static void layer(AdminClient client, String ns, String scope, String json) {
    client.put("/v1/admin/namespaces/" + ns + "/layers/" + AdminClient.encode(scope), parse(json));
  }

  private static void publish(AdminClient client, String ns, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("message", message);
    create(client, "/v1/admin/namespaces/" + ns + "/publish", body);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
