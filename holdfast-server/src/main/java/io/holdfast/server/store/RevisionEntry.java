package io.holdfast.server.store;

import java.time.Instant;

/** One entry of the global revision log: what changed, who changed it and when. */
public record RevisionEntry(
    long revision, String kind, String subject, String actor, String message, Instant createdAt) {}
