package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.fleet.FleetMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A DEMO SETTING: the rings in which no member of the simulated fleet runs are allowed to be empty.
 * Their instances, if any, run no client and never report, and a ring nobody reports from holds a
 * change until its ack deadline and then backs it out; with {@code --fleet 0}, or a fleet too small
 * to reach every ring, the tour's change would never cross. Every start sets each ring as its fleet
 * needs, through the admin API as {@code holdfast ring update RING --allow-empty true|false} would,
 * so a later start with a larger fleet has its gates judge heartbeats again.
 */
final class DemoEmptyRings {

  private DemoEmptyRings() {}

  /**
   * Allows exactly the rings without a member to be empty.
   *
   * @return those rings, in rollout order
   */
  static List<String> apply(AdminClient admin, List<FleetMember> members) {
    Set<String> reporting = members.stream().map(FleetMember::ring).collect(Collectors.toSet());
    List<String> empty = new ArrayList<>();
    for (JsonNode ring : admin.get("/v1/admin/rings").path("rings")) {
      String name = ring.path("name").asText();
      boolean allow = !reporting.contains(name);
      if (ring.path("gate").path("allowEmpty").asBoolean() != allow) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("gate").put("allowEmpty", allow);
        admin.patch("/v1/admin/rings/" + AdminClient.encode(name), body);
      }
      if (allow) {
        empty.add(name);
      }
    }
    return empty;
  }
}
