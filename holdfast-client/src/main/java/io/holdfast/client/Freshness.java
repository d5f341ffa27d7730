package io.holdfast.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The status of one namespace, since when, and why. Immutable.
 *
 * @param status the current status
 * @param since when the namespace entered this status (wall clock)
 * @param reason why, in words: the last failure for STALE and EXPIRED, the source for FRESH
 * @param lastVerifiedAt when a replica last confirmed the document (wall clock), or {@code null}
 * @param graceRemaining how much of the grace period is left; zero once EXPIRED
 */
public record Freshness(
    Status status, Instant since, String reason, Instant lastVerifiedAt, Duration graceRemaining) {

  public Freshness {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(graceRemaining, "graceRemaining");
  }
}
