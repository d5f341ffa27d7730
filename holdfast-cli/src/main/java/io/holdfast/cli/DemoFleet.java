package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.fleet.FleetMember;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the demo's simulated fleet is: the four sample instances first, then {@code <ring>-sim-<n>}
 * dealt round the rings in rollout order ({@code test-sim-1}, {@code dev-sim-1}, {@code
 * beta-sim-1}, {@code live-sim-1}, {@code test-sim-2}, ...), each with subscriptions so its seats
 * show. Instances are created through the admin API the first time a fleet needs them; their
 * credentials join the others in {@code demo-credentials.json}, so a later start with the same or a
 * smaller {@code --fleet} creates nothing.
 */
final class DemoFleet {

  static final List<String> RINGS = List.of("test", "dev", "beta", "live");

  private DemoFleet() {}

  /**
   * The first {@code size} members, creating the instances missing from {@code saved}'s {@code
   * instances} and adding their credentials to it.
   */
  static List<FleetMember> members(AdminClient admin, ObjectNode saved, int size) {
    ObjectNode credentials = saved.withObjectProperty("instances");
    List<FleetMember> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String id;
      String ring;
      if (i < DemoData.INSTANCES.length) {
        id = DemoData.INSTANCES[i][0];
        ring = DemoData.INSTANCES[i][1];
      } else {
        int sim = i - DemoData.INSTANCES.length;
        ring = RINGS.get(sim % RINGS.size());
        id = ring + "-sim-" + (sim / RINGS.size() + 1);
        if (!credentials.has(id)) {
          credentials.put(id, create(admin, id, ring, sim));
        }
      }
      members.add(new FleetMember(id, credentials.path(id).asText(), ring));
    }
    return members;
  }

  /**
   * Creates a simulated instance: a CRM subscription of 5, 10 or 15 seats (plus 2 overage), and
   * every other one a helpdesk subscription of 5, so the smaller ones fill up and deny logins.
   */
  private static String create(AdminClient admin, String id, String ring, int sim) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("id", id);
    body.put("ring", ring);
    body.putObject("labels").put("region", sim % 2 == 0 ? "eu" : "us").put("plan", "simulated");
    String credential = admin.post("/v1/admin/instances", body).path("credential").asText();
    DemoData.subscription(
        admin, id, "crm", 5 + 5L * (sim % 3), 2, "2026-01-01T00:00:00Z", null, "simulated");
    if (sim % 2 == 1) {
      DemoData.subscription(admin, id, "helpdesk", 5, 0, "2026-01-01T00:00:00Z", null, "simulated");
    }
    return credential;
  }
}
