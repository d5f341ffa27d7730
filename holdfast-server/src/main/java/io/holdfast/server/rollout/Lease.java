package io.holdfast.server.rollout;

import java.time.Instant;

/**
 * A held leader lease. {@code token} grows every time the lease changes holder; a write made under
 * the lease names it, and the store refuses the write if the lease has moved on since.
 */
public record Lease(String name, String holder, long token, Instant expiresAt) {}
