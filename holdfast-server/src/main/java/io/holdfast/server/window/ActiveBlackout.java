package io.holdfast.server.window;

import java.time.Instant;

/**
 * A blackout as it holds for one instance: where it was set, and the instants its days begin and
 * end in the zone it is read in.
 *
 * @param from the instant the first day begins
 * @param until the instant the last day is over
 */
public record ActiveBlackout(BlackoutLevel level, Blackout blackout, Instant from, Instant until) {}
