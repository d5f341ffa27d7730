package io.holdfast.client.internal;

import java.time.Duration;

/** The timings the sync loop runs by; validated by the client builder. Immutable. */
public record SyncSettings(
    Duration requestTimeout,
    Duration watchTimeout,
    Duration pollInterval,
    Duration persistInterval,
    Duration backoffBase,
    Duration backoffCap,
    Duration maxRetryAfter,
    boolean watch) {}
