package io.holdfast.server.rollout;

import java.time.Instant;

/** A ring's receipt of a change: from {@code revision} on, its instances are served the change. */
public record RingRelease(
    String ring, int position, long revision, Instant releasedAt, ReleaseMode mode, String actor) {}
