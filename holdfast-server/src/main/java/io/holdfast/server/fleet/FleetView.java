package io.holdfast.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.probe.Canary;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.InstanceView;
import io.holdfast.server.snapshot.ServedDocument;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet as its heartbeats describe it: each instance's state, last contact, revision lag and
 * grace remaining, joined with what the replicas serve it now. Pure: built from a snapshot and the
 * latest heartbeats, so every replica computes the same view from the same store. Immutable.
 */
public final class FleetView {

  private static final Map<String, FleetState> SEVERITY_ORDER =
      Map.of(
          "FRESH",
          FleetState.FRESH,
          "INITIALIZING",
          FleetState.INITIALIZING,
          "STALE",
          FleetState.STALE,
          "EXPIRED",
          FleetState.EXPIRED);

  private final Instant at;
  private final List<FleetEntry> entries;

  private FleetView(Instant at, List<FleetEntry> entries) {
    this.at = at;
    this.entries = List.copyOf(entries);
  }

  /**
   * @param silentAfter an instance whose last report is older than this is {@link
   *     FleetState#SILENT}
   */
  public static FleetView of(
      EffectiveSnapshot snapshot, List<Heartbeat> heartbeats, Instant now, Duration silentAfter) {
    Map<String, Heartbeat> latest = new HashMap<>();
    for (Heartbeat heartbeat : heartbeats) {
      latest.put(heartbeat.instance(), heartbeat);
    }
    List<FleetEntry> entries = new ArrayList<>();
    for (InstanceView instance : snapshot.instances().values()) {
      if (instance.id().equals(Canary.INSTANCE)) {
        continue; // the probe's own instance sends no heartbeats; the probe reports on it
      }
      entries.add(entry(instance, latest.get(instance.id()), now, silentAfter));
    }
    entries.sort(Comparator.comparing(FleetEntry::instance));
    return new FleetView(now, entries);
  }

  private static FleetEntry entry(
      InstanceView instance, Heartbeat heartbeat, Instant now, Duration silentAfter) {
    if (heartbeat == null) {
      return new FleetEntry(
          instance.id(), instance.ring(), FleetState.UNREPORTED, null, 0, null, "no heartbeat yet");
    }
    JsonNode namespaces = heartbeat.body().path("namespaces");
    Duration sinceReport = Duration.between(heartbeat.receivedAt(), now);
    FleetState worst = FleetState.FRESH;
    String reason = null;
    long lag = 0;
    Duration grace = null;
    for (Map.Entry<String, JsonNode> reported : namespaces.properties()) {
      JsonNode ns = reported.getValue();
      FleetState state = SEVERITY_ORDER.getOrDefault(ns.path("status").asText(), FleetState.STALE);
      if (severity(state) > severity(worst)) {
        worst = state;
        reason = reported.getKey() + ": " + ns.path("reason").asText("");
      }
      ServedDocument served = instance.document(reported.getKey());
      if (served != null) {
        lag = Math.max(lag, served.revision() - ns.path("revision").asLong(0));
      }
      if (ns.has("graceRemainingSeconds")) {
        Duration left = Duration.ofSeconds(ns.get("graceRemainingSeconds").asLong());
        if (state != FleetState.FRESH) {
          // Not confirming: its grace has kept running since it reported.
          left = left.minus(sinceReport.isNegative() ? Duration.ZERO : sinceReport);
          left = left.isNegative() ? Duration.ZERO : left;
        }
        grace = grace == null || left.compareTo(grace) < 0 ? left : grace;
      }
    }
    FleetState state = sinceReport.compareTo(silentAfter) > 0 ? FleetState.SILENT : worst;
    if (state == FleetState.SILENT) {
      reason = "no heartbeat for " + sinceReport.toSeconds() + " s";
    }
    return new FleetEntry(
        instance.id(),
        instance.ring(),
        state,
        heartbeat.receivedAt(),
        Math.max(0, lag),
        grace,
        reason);
  }

  private static int severity(FleetState state) {
    return switch (state) {
      case FRESH -> 0;
      case INITIALIZING -> 1;
      case STALE -> 2;
      case EXPIRED -> 3;
      default -> 4;
    };
  }

  public Instant at() {
    return at;
  }

  public List<FleetEntry> entries() {
    return entries;
  }

  /** How many instances are in each state; every state is present. */
  public Map<FleetState, Integer> counts() {
    Map<FleetState, Integer> counts = new EnumMap<>(FleetState.class);
    for (FleetState state : FleetState.values()) {
      counts.put(state, 0);
    }
    entries.forEach(e -> counts.merge(e.state(), 1, Integer::sum));
    return counts;
  }

  /** The least grace remaining reported by any instance, or {@code null} if none reported one. */
  public Duration minGraceRemaining() {
    return entries.stream()
        .map(FleetEntry::graceRemaining)
        .filter(g -> g != null)
        .min(Comparator.naturalOrder())
        .orElse(null);
  }
}
