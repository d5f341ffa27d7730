package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.cli.fleet.FleetMember;
import io.holdfast.cli.fleet.FleetView;
import io.holdfast.cli.fleet.SimulatedFleet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the demo's simulated fleet is: the four sample instances first, then {@code <ring>-sim-<n>}
 * dealt round the rings in rollout order ({@code test-sim-1}, {@code dev-sim-1}, {@code
 * beta-sim-1}, {@code live-sim-1}, {@code test-sim-2}, ...), each with subscriptions so its seats
 * show. Instances are created through the admin API the first time a fleet needs them; their
 * credentials join the others in {@code demo-credentials.json}, so a later start with the same or a
 * smaller {@code --fleet} creates nothing. Also what the demo's tour says of its fleet.
 */
final class DemoFleet {

  static final List<String> RINGS = List.of("test", "dev", "beta", "live");

  /** How long the demo waits for its fleet before printing the tour. */
  private static final Duration START_WAIT = Duration.ofSeconds(10);

  private DemoFleet() {}

  /**
   * The first {@code size} members, creating the instances missing from {@code saved}'s {@code
   * instances} and adding their credentials to it, running {@code save} after each, so an
   * interrupted start loses none (one created but not yet saved gets a fresh credential next time).
   */
  static List<FleetMember> members(AdminClient admin, ObjectNode saved, int size, Runnable save) {
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
          save.run();
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
    String credential = DemoData.instance(admin, body);
    DemoData.subscription(
        admin, id, "crm", 5 + 5L * (sim % 3), 2, "2026-01-01T00:00:00Z", null, "simulated");
    if (sim % 2 == 1) {
      DemoData.subscription(admin, id, "helpdesk", 5, 0, "2026-01-01T00:00:00Z", null, "simulated");
    }
    return credential;
  }

  /**
   * Waits, at most {@link #START_WAIT}, for the fleet to go FRESH, so the tour it prints after says
   * how many are; a member still coming up is no reason to hold the demo back longer.
   */
  static void awaitFresh(SimulatedFleet fleet) throws InterruptedException {
    if (fleet == null) {
      return;
    }
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (!fleet.view().allFresh() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  /**
   * The fleet, the DEMO SETTING of the bake times, and a change request to watch cross the rings:
   * the same commands with or without TLS (the CLI reads {@code HOLDFAST_CACERT}).
   */
  static String tour(DemoCommand.Running running, JsonNode saved) {
    StringBuilder text = new StringBuilder();
    SimulatedFleet fleet = running.fleet();
    if (fleet == null) {
      text.append(
          "Fleet: none (--fleet 0): no instance reports, and a change's health gates have no"
              + " heartbeats to judge.\n");
    } else {
      FleetView view = fleet.view();
      List<String> rings = new ArrayList<>(RINGS);
      rings.removeAll(running.emptyRings());
      text.append("Fleet: ")
          .append(view.members())
          .append(" simulated instances (real SDK clients with heartbeats and seat traffic) in ")
          .append(String.join(", ", rings))
          .append("; ")
          .append(view.fresh())
          .append(" FRESH now.\n")
          .append("  ./holdfast fleet list       # their state, from their heartbeats\n")
          .append("  ./holdfast subscription usage\n");
    }
    if (!running.emptyRings().isEmpty()) {
      text.append("DEMO SETTING: no simulated instance runs in ")
          .append(running.emptyRings().size() == 1 ? "ring " : "rings ")
          .append(String.join(", ", running.emptyRings()))
          .append(
              ", so the demo allows them to be empty: a change passes them on bake time alone."
                  + " A ring whose instances never report otherwise holds a change until its"
                  + " ack deadline and backs it out (./holdfast ring update RING --allow-empty"
                  + " true|false).\n");
    }
    running
        .demoWindow()
        .ifPresent(
            window ->
                text.append("DEMO SETTING: sample tenant ")
                    .append(DemoWindow.TENANT)
                    .append(" (ring beta) is a customer in ")
                    .append(DemoWindow.ZONE.getId())
                    .append(" that takes changes only in its change window, ")
                    .append(window)
                    .append(": a change that reaches beta before it opens waits for it there")
                    .append(" (./holdfast change status ID shows who waits and when it opens;")
                    .append(" --window-in 0 removes the window).\n"));
    text.append('\n');
    if (running.compressedBakes().isEmpty()) {
      text.append("Bake times are the real ones (--bake-scale 1): a change takes days to cross.\n");
    } else {
      text.append("DEMO SETTING, never for production: bake times compressed (")
          .append(String.join(", ", running.compressedBakes()))
          .append("); --bake-scale 1 restores the real ones.\n");
    }
    text.append(
        """

        A change request crossing test → dev → beta → live, promoted by each ring's health gate:
          echo '{"sessionTimeoutMinutes": 40}' | ./holdfast change create --description "longer sessions" --merge core:default=-
          HOLDFAST_TOKEN=%s ./holdfast change approve ID   # demo-reviewer: nobody approves their own change
          ./holdfast change status ID    # the ring it is in, and the gate's verdict from heartbeats
        A bad value is stopped: every simulated instance's validator rejects a core whose maxUploadMb
        is not a whole number, the instances in test report it STALE, the gate fails, and the engine
        backs the change out on its own (approve it as above, then read its outcome):
          echo '{"maxUploadMb": "lots"}' | ./holdfast change create --description "unlimited uploads" --merge core:default=-
        """
            .formatted(saved.path("reviewerToken").asText()));
    return text.toString();
  }
}
