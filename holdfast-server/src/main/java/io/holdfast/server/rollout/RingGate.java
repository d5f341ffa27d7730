package io.holdfast.server.rollout;

import java.time.Duration;
import java.util.Objects;

/**
 * The thresholds a ring's health gate holds a change to while it bakes there.
 *
 * @param minAckRatio the share of the ring's instances that must confirm the new revision
 * @param ackDeadline how long after the release they have to confirm it
 * @param maxFailingRatio the largest tolerated share of instances reporting a changed namespace
 *     STALE or EXPIRED (a rejected or unverifiable document makes a client STALE)
 * @param maxErrorRatio the largest tolerated share of instances whose application reports itself
 *     FAILING
 * @param allowEmpty whether the ring may have no reporting instance: when none of the instances a
 *     change affects in the ring has ever sent a heartbeat, the gate passes it once baked if this
 *     is set, and otherwise waits until {@code ackDeadline} and then fails it (default false: a
 *     ring nobody hears from has shown nothing about the change)
 */
public record RingGate(
    double minAckRatio,
    Duration ackDeadline,
    double maxFailingRatio,
    double maxErrorRatio,
    boolean allowEmpty) {

  /**
   * 90% must confirm within 15 minutes; more than 5% failing or erroring backs the change out; a
   * ring from which no instance reports fails at the deadline.
   */
  public static final RingGate DEFAULT =
      new RingGate(0.9, Duration.ofMinutes(15), 0.05, 0.05, false);

  public RingGate {
    requireRatio("minAckRatio", minAckRatio);
    requireRatio("maxFailingRatio", maxFailingRatio);
    requireRatio("maxErrorRatio", maxErrorRatio);
    Objects.requireNonNull(ackDeadline, "ackDeadline");
    if (ackDeadline.isNegative() || ackDeadline.isZero() || ackDeadline.getNano() != 0) {
      throw new IllegalArgumentException(
          "ackDeadline must be a positive whole number of seconds, was " + ackDeadline);
    }
  }

  /** These thresholds, with {@code allowEmpty} as given. */
  public RingGate withAllowEmpty(boolean allowEmpty) {
    return new RingGate(minAckRatio, ackDeadline, maxFailingRatio, maxErrorRatio, allowEmpty);
  }

  private static void requireRatio(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
    }
  }
}
