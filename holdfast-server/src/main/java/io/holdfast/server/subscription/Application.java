package io.holdfast.server.subscription;

import java.time.Instant;

/** An entry of the applications catalogue: what an instance can subscribe to. */
public record Application(
    String name, String displayName, long revision, Instant createdAt, Instant updatedAt) {}
