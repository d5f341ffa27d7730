package io.holdfast.server.store;

import java.time.Duration;

/** A rollout ring: its place in the order and how long a change bakes in it. */
public record Ring(String name, int position, Duration bakeTime, long revision) {}
