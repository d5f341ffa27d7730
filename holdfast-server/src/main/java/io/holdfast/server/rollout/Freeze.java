package io.holdfast.server.rollout;

import java.time.Instant;

/** A global stop on promotions, set during an incident. */
public record Freeze(String reason, String actor, Instant since) {}
