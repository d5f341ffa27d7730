package io.holdfast.server.rollout;

import java.time.Duration;

/** A ring as the rollout engine sees it: its place in the order, its bake time and its gate. */
public record RingPolicy(String ring, int position, Duration bakeTime, RingGate gate) {}
