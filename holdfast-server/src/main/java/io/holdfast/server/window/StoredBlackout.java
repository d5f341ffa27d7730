package io.holdfast.server.window;

import java.time.Instant;

/**
 * A blackout as the store keeps it: its id, the level it applies at and whom it applies to (a
 * ring's or an instance's name; empty for a global one).
 */
public record StoredBlackout(
    long id, BlackoutLevel level, String target, Blackout blackout, Instant createdAt) {}
