package io.holdfast.client.internal;

import java.time.Duration;

/**
 * The timings the sync loop runs by; validated by the client builder. Immutable.
 *
 * @param watch whether to wait for changes (stream or long poll) rather than only poll
 * @param stream whether to watch through the event stream first, the long poll being the fallback
 */
public record SyncSettings(
    Duration requestTimeout,
    Duration watchTimeout,
    Duration pollInterval,
    Duration persistInterval,
    Duration backoffBase,
    Duration backoffCap,
    Duration maxRetryAfter,
    boolean watch,
    boolean stream) {}
