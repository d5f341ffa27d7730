package io.holdfast.cli.gameday;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.AdminClient;
import io.holdfast.cli.fleet.FleetMember;
import java.util.ArrayList;
import java.util.List;

/**
 * The game day's canary instances, made through the admin API the way an operator would, and made
 * again without harm: a canary that exists keeps its id and is given a fresh credential (the last
 * drill's is not kept anywhere), and is moved to the asked ring; the application and each canary's
 * subscription are created only if missing. Canaries are labelled {@value #LABEL}{@code =true}, so
 * fleet views can tell them from customers. Stateless.
 */
final class Canaries {

  static final String PREFIX = "gameday-canary-";
  static final String LABEL = "holdfast.io/gameday";

  /** The application whose seats the canaries hold. */
  static final String APPLICATION = "gameday";

  static final long SEATS = 20;

  private Canaries() {}

  /** Makes sure {@code count} canaries exist in {@code ring}; returns them with credentials. */
  static List<FleetMember> ensure(AdminClient admin, int count, String ring) {
    ensureApplication(admin);
    List<FleetMember> members = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      String id = PREFIX + n;
      members.add(new FleetMember(id, ensureInstance(admin, id, ring), ring));
      ensureSubscription(admin, id);
    }
    return members;
  }

  private static String ensureInstance(AdminClient admin, String id, String ring) {
    String path = "/v1/admin/instances/" + AdminClient.encode(id);
    JsonNode existing;
    try {
      existing = admin.get(path);
    } catch (AdminClient.RefusedException e) {
      if (e.status() != 404) {
        throw e;
      }
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("id", id);
      body.put("ring", ring);
      body.putObject("labels").put(LABEL, "true");
      return admin.post("/v1/admin/instances", body).path("credential").asText();
    }
    if (!existing.path("ring").asText().equals(ring)) {
      ObjectNode move = JsonNodeFactory.instance.objectNode();
      move.put("ring", ring);
      admin.patch(path, move);
    }
    return admin.post(path + "/credential", null).path("credential").asText();
  }

  private static void ensureApplication(AdminClient admin) {
    try {
      admin.get("/v1/admin/applications/" + APPLICATION);
    } catch (AdminClient.RefusedException e) {
      if (e.status() != 404) {
        throw e;
      }
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("name", APPLICATION);
      body.put("displayName", "Game day canaries");
      admin.post("/v1/admin/applications", body);
    }
  }

  private static void ensureSubscription(AdminClient admin, String id) {
    JsonNode listed =
        admin.get(
            "/v1/admin/subscriptions?instance="
                + AdminClient.encode(id)
                + "&application="
                + APPLICATION
                + "&status=active");
    if (!listed.path("subscriptions").isEmpty()) {
      return;
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("instance", id);
    body.put("application", APPLICATION);
    body.put("quantity", SEATS);
    body.put("overage", 0);
    body.put("validFrom", "2020-01-01T00:00:00Z");
    body.put("plan", "gameday");
    body.put("notes", "holdfast gameday canary");
    admin.post("/v1/admin/subscriptions", body);
  }
}
