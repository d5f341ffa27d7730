package io.holdfast.server.probe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of probe statuses, shared by {@code GET /v1/admin/probes} and {@code holdfast probe
 * --json} so that scripts read one format. Written member by member: the canary's credential never
 * appears. Stateless.
 */
public final class ProbeReport {

  private ProbeReport() {}

  /**
   * {@code {"lastRound","healthy","targets":[…]}}; {@code lastRound} is {@code null} and {@code
   * healthy} false before the first round.
   */
  public static ObjectNode toJson(List<TargetStatus> statuses, Instant lastRound) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    if (lastRound == null) {
      root.putNull("lastRound");
    } else {
      root.put("lastRound", lastRound.toString());
    }
    // No round, no evidence: "healthy" must never be the answer of a probe that has not looked.
    root.put(
        "healthy",
        lastRound != null
            && !statuses.isEmpty()
            && statuses.stream().allMatch(TargetStatus::healthy));
    ArrayNode targets = root.putArray("targets");
    for (TargetStatus status : statuses) {
      targets.add(toJson(status));
    }
    return root;
  }

  /** One target's status. */
  public static ObjectNode toJson(TargetStatus status) {
    ProbeResult r = status.latest();
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("target", status.target().toString());
    node.put("at", r.at().toString());
    node.put("healthy", status.healthy());
    node.put("contentAvailable", status.contentAvailable());
    node.put("checksumsAvailable", status.checksumsAvailable());
    node.put("lagging", status.lagging());
    putInstant(node, "behindSince", status.behindSince());
    node.put("diverged", status.diverged());
    node.put("revision", r.revision());
    if (r.release().release() != null) {
      node.put("version", r.release().release());
      node.put("schema", r.release().schema());
    }
    putText(node, "etag", r.etag());
    node.put("checksumsRevision", r.checksumsRevision());
    putText(node, "checksumsEtag", r.checksumsEtag());
    node.put("latencyMillis", r.latency().toNanos() / 1e6);
    putInstant(node, "lastSuccess", status.lastSuccess());
    ObjectNode checks = node.putObject("checks");
    for (Map.Entry<ProbeCheck, CheckOutcome> e : r.checks().entrySet()) {
      checks.put(e.getKey().label(), e.getValue().label());
    }
    putText(node, "failedCheck", r.failedCheck() == null ? null : r.failedCheck().label());
    putText(node, "failure", r.failure());
    return node;
  }

  private static void putText(ObjectNode node, String name, String value) {
    if (value == null) {
      node.putNull(name);
    } else {
      node.put(name, value);
    }
  }

  private static void putInstant(ObjectNode node, String name, Instant value) {
    putText(node, name, value == null ? null : value.toString());
  }
}
