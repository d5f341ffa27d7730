package io.holdfast.cli.upgrade;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one run of {@code holdfast upgrade check} found, as text for the operator or as JSON for a
 * pipeline, and the exit code it calls for. Built once the run is over; immutable.
 *
 * @param fleetSize how many instances the current replicas list
 * @param seed the sampling seed, or {@code null} when every instance was checked
 * @param verifications Ed25519 verifications run (the others were remembered: {@link
 *     SignatureCheck})
 */
record CheckReport(
    URI candidate,
    List<URI> current,
    int fleetSize,
    Long seed,
    List<Difference> fleetWide,
    List<InstanceOutcome> outcomes,
    Duration duration,
    long requests,
    long verifications) {

  CheckReport {
    current = List.copyOf(current);
    fleetWide = List.copyOf(fleetWide);
    outcomes = List.copyOf(outcomes);
  }

  List<Difference> differences() {
    List<Difference> all = new ArrayList<>(fleetWide);
    outcomes.forEach(o -> all.addAll(o.differences()));
    return all;
  }

  List<InstanceOutcome> unsettled() {
    return outcomes.stream().filter(o -> o.unsettled() != null).toList();
  }

  int documents() {
    return outcomes.stream().mapToInt(InstanceOutcome::documents).sum();
  }

  double requestsPerSecond() {
    double seconds = Math.max(duration.toNanos(), 1) / 1e9;
    return requests / seconds;
  }

  /**
   * 0, {@link UpgradeCheckCommand#EXIT_DIFFERENT} or {@link UpgradeCheckCommand#EXIT_UNSETTLED}.
   */
  int exitCode() {
    if (!differences().isEmpty()) {
      return UpgradeCheckCommand.EXIT_DIFFERENT;
    }
    return unsettled().isEmpty() ? 0 : UpgradeCheckCommand.EXIT_UNSETTLED;
  }

  void printText(PrintWriter out) {
    for (Difference difference : differences()) {
      out.println("DIFFERENT " + difference.describe());
    }
    for (InstanceOutcome outcome : unsettled()) {
      out.println("UNSETTLED instance " + outcome.instance() + ": " + outcome.unsettled());
    }
    out.printf(
        Locale.ROOT,
        "checked %d of %d instances%s: %d documents compared with %d current replica%s;"
            + " %d differences, %d unsettled; %.1f s, %d requests (%.0f requests/s)%n",
        outcomes.size(),
        fleetSize,
        seed == null ? "" : " (sample, --seed " + seed + ")",
        documents(),
        current.size(),
        current.size() == 1 ? "" : "s",
        differences().size(),
        unsettled().size(),
        duration.toMillis() / 1000.0,
        requests,
        requestsPerSecond());
    out.println(
        switch (exitCode()) {
          case 0 -> "PASSED: the candidate serves what the current replicas serve";
          case UpgradeCheckCommand.EXIT_DIFFERENT ->
              "FAILED: the candidate differs from the current replicas";
          default -> "INCONCLUSIVE: some instances could not be compared at one revision";
        });
    out.flush();
  }

  ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("candidate", candidate.toString());
    ArrayNode against = root.putArray("against");
    current.forEach(uri -> against.add(uri.toString()));
    root.put("passed", exitCode() == 0);
    root.put("fleetSize", fleetSize);
    root.put("instances", outcomes.size());
    if (seed != null) {
      root.put("seed", seed);
    }
    root.put("documents", documents());
    root.put("durationMillis", duration.toMillis());
    root.put("requests", requests);
    root.put("requestsPerSecond", Math.round(requestsPerSecond()));
    root.put("signatureVerifications", verifications);
    ArrayNode differences = root.putArray("differences");
    for (Difference d : differences()) {
      ObjectNode node = differences.addObject();
      node.put("instance", d.instance());
      node.put("namespace", d.document());
      node.put("against", d.against() == null ? null : d.against().toString());
      node.put("what", d.aspect().label());
      node.put("detail", d.detail());
    }
    ArrayNode unsettled = root.putArray("unsettled");
    for (InstanceOutcome o : unsettled()) {
      unsettled.addObject().put("instance", o.instance()).put("detail", o.unsettled());
    }
    return root;
  }
}
