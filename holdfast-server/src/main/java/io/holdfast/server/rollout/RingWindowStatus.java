package io.holdfast.server.rollout;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * How far a rolling-out change has got in one ring it was released to, when instances there wait
 * for their change windows (issue 22): for {@code holdfast change status} and the console.
 *
 * @param instances the ring's instances now
 * @param received those that have the change: with the ring, or since their window opened
 * @param waiting those that wait for their window
 * @param nextOpening when the first waiting instance's window opens, if one waits and it opens
 *     within {@link RolloutEngine#WINDOW_BOUND}
 * @param nextInstance that instance
 * @param nextZone the zone its schedule is read in, to show the opening in the customer's time
 */
public record RingWindowStatus(
    String ring,
    int instances,
    int received,
    int waiting,
    Optional<Instant> nextOpening,
    Optional<String> nextInstance,
    Optional<ZoneId> nextZone) {}
