package io.holdfast.cli.soak.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeMap;

/** Renders a {@link SoakSummary} as one JSON object, times in nanoseconds. Stateless. */
final class SummaryJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SummaryJson() {}

  static String render(SoakSummary summary) {
    ObjectNode root = JSON.createObjectNode();
    root.put("seed", summary.seed());
    root.put("durationNanos", summary.durationNanos());
    root.put("freshBoundNanos", summary.freshBound().toNanos());
    root.put("passed", summary.passed());
    ObjectNode operations = root.putObject("operations");
    new TreeMap<>(summary.operations()).forEach(operations::put);
    ObjectNode faults = root.putObject("faults");
    new TreeMap<>(summary.faults()).forEach(faults::put);
    ObjectNode counts = root.putObject("violationCounts");
    for (ViolationKind kind : ViolationKind.values()) {
      counts.put(kind.name(), summary.count(kind));
    }
    ArrayNode violations = root.putArray("violations");
    for (Violation v : summary.violations()) {
      violations
          .addObject()
          .put("kind", v.kind().name())
          .put("nanos", v.nanos())
          .put("who", v.who())
          .put("explanation", v.explanation());
    }
    root.set("recovery", recovery(summary.recovery()));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree is always writable", e);
    }
  }

  private static ObjectNode recovery(RecoveryTimes times) {
    ObjectNode recovery = JSON.createObjectNode();
    times.p50().ifPresent(d -> recovery.put("p50Nanos", d.toNanos()));
    times.max().ifPresent(d -> recovery.put("maxNanos", d.toNanos()));
    ArrayNode heals = recovery.putArray("heals");
    for (HealRecovery heal : times.heals()) {
      ObjectNode node = heals.addObject();
      node.put("healNanos", heal.healNanos());
      node.put("freshAtHeal", heal.freshAtHeal());
      ObjectNode toFresh = node.putObject("nanosToFresh");
      new TreeMap<>(heal.nanosToFresh()).forEach(toFresh::put);
      ArrayNode notFresh = node.putArray("notFresh");
      heal.notFresh().forEach(notFresh::add);
    }
    return recovery;
  }
}
