package io.holdfast.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.snapshot.InstanceView;
import io.holdfast.server.snapshot.ServedDocument;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Publish-to-acknowledge time: from a document's publish (its {@code issuedAt}) to the first
 * heartbeat in which the instance reports holding that revision, FRESH. Its resolution is the
 * heartbeat interval (a minute by default): it says how long the fleet takes to acknowledge a
 * change, not how fast the push is (the push benchmark measures that). Each instance and namespace
 * counts once per revision; memory is one entry per instance and namespace. Thread-safe.
 */
public final class Propagation {

  private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
  private final Consumer<Duration> sink;

  public Propagation(Consumer<Duration> sink) {
    this.sink = sink;
  }

  /** Looks at one validated heartbeat of {@code instance}. */
  public void observe(InstanceView instance, JsonNode heartbeat, Instant receivedAt) {
    for (Map.Entry<String, JsonNode> reported : heartbeat.path("namespaces").properties()) {
      ServedDocument served = instance.document(reported.getKey());
      JsonNode ns = reported.getValue();
      if (served == null
          || ns.path("revision").asLong(-1) != served.revision()
          || !"FRESH".equals(ns.path("status").asText())) {
        continue;
      }
      Long before = acknowledged.put(instance.id() + "/" + reported.getKey(), served.revision());
      if (before == null || before != served.revision()) {
        Duration took = Duration.between(served.issuedAt(), receivedAt);
        if (before != null && !took.isNegative()) {
          // The first report after a restart of this replica is no measurement: the revision
          // may have been acknowledged long ago.
          sink.accept(took);
        }
      }
    }
  }
}
