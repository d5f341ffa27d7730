package io.holdfast.cli.gameday;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a drill runs and what it expects. Immutable.
 *
 * @param canaries how many canary instances the fleet runs
 * @param ring the canaries' ring
 * @param faultDuration how long each phase of a scenario lasts
 * @param probeInterval the pause between probe rounds
 * @param alertFor the alert rules' {@code for} (deploy/prometheus/alerts.yml)
 * @param detectWithin the probe must first fail within this of the first fault
 * @param freshWithin every canary must be FRESH within this of the heal
 * @param startWithin the fleet must be FRESH and the probe passing within this of the start
 * @param gateWithin bad-change: the gate must back the change out within this of its approval
 * @param seatInterval how often each canary takes or returns a seat
 * @param seed the fleet's seed
 * @param cacheRoot where the canaries keep their last-known-good copies
 */
record DrillSettings(
    int canaries,
    String ring,
    Duration faultDuration,
    Duration probeInterval,
    Duration alertFor,
    Duration detectWithin,
    Duration freshWithin,
    Duration startWithin,
    Duration gateWithin,
    Duration seatInterval,
    long seed,
    Path cacheRoot) {}
