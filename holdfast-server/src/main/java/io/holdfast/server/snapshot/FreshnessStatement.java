package io.holdfast.server.snapshot;

import io.holdfast.protocol.document.Checksums;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When the freshness statement in every instance's checksums is issued and until when it holds
 * (issue 19, FAULTS D11): re-issued every half of its validity, at period starts aligned to the
 * epoch, so that a served statement always has at least half its validity left.
 *
 * <p>Why aligned: two replicas with the same store state and clocks issue the same window and so
 * byte-identical checksums with the same ETag; a client failing over from one to the other sees no
 * change where there is none. Were each replica to start its periods at its own start-up, their
 * checksums would differ all the time. Immutable.
 */
public final class FreshnessStatement {

  private final Duration validity;
  private final long periodMillis;

  /**
   * @param validity how long a statement holds; at least two milliseconds (the configuration allows
   *     10 minutes to 30 days)
   */
  public FreshnessStatement(Duration validity) {
    this.validity = Objects.requireNonNull(validity, "validity");
    this.periodMillis = validity.toMillis() / 2;
    if (periodMillis < 1) {
      throw new IllegalArgumentException("validity must be at least 2ms, was " + validity);
    }
  }

  /** How long a statement holds. */
  public Duration validity() {
    return validity;
  }

  /** How often a statement is re-issued: half of {@link #validity()}. */
  public Duration period() {
    return Duration.ofMillis(periodMillis);
  }

  /**
   * The statement to serve at {@code now}: issued at the start of the period {@code now} is in
   * (periods counted from the epoch, UTC), expiring one validity later.
   */
  public Checksums.Validity at(Instant now) {
    Instant issuedAt =
        Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), periodMillis) * periodMillis);
    return new Checksums.Validity(issuedAt, issuedAt.plus(validity));
  }
}
