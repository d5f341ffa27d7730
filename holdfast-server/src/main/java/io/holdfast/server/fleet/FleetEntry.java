package io.holdfast.server.fleet;

import java.time.Duration;
import java.time.Instant;

/**
 * One instance in the fleet view.
 *
 * @param lastContact when a replica last received its heartbeat, or {@code null} if never
 * @param revisionLag how many revisions the furthest-behind namespace it reported trails what the
 *     replicas serve it; 0 when current or unknown
 * @param graceRemaining the least grace left among its namespaces, estimated now from what it
 *     reported (time since the report is subtracted while it is not FRESH), or {@code null} if it
 *     never reported one
 */
public record FleetEntry(
    String instance,
    String ring,
    FleetState state,
    Instant lastContact,
    long revisionLag,
    Duration graceRemaining,
    String reason) {}
