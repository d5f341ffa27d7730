package io.holdfast.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How a replica takes part in staged rollouts (see {@code io.holdfast.server.rollout}). Immutable.
 *
 * @param engineEnabled whether the replica runs the rollout engine on a timer; {@code holdfast
 *     server} enables it unless configured otherwise, an embedded {@link ServerConfig.Builder} does
 *     not (tests drive it)
 * @param requiredApprovals approvals a change needs before it rolls out: 0, 1 or 2; default 1
 * @param tickInterval time between the engine's passes; default 5 s, 100 ms to 1 min
 * @param leaseTtl how long the leading replica's lease lasts unrenewed, which is how long a dead
 *     leader stalls rollouts; default 30 s, at least three ticks, at most 10 min
 */
public record RolloutSettings(
    boolean engineEnabled, int requiredApprovals, Duration tickInterval, Duration leaseTtl) {

  public static final Duration DEFAULT_TICK = Duration.ofSeconds(5);
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);

  public RolloutSettings {
    Objects.requireNonNull(tickInterval, "tickInterval");
    Objects.requireNonNull(leaseTtl, "leaseTtl");
    require(
        requiredApprovals >= 0 && requiredApprovals <= 2,
        "rollout-approvals must be 0, 1 or 2, was " + requiredApprovals);
    require(
        tickInterval.compareTo(Duration.ofMillis(100)) >= 0
            && tickInterval.compareTo(Duration.ofMinutes(1)) <= 0,
        "rollout-tick must be between 100ms and 1m, was " + tickInterval);
    require(
        leaseTtl.compareTo(tickInterval.multipliedBy(3)) >= 0
            && leaseTtl.compareTo(Duration.ofMinutes(10)) <= 0,
        "rollout-lease-ttl must be at least three rollout ticks ("
            + tickInterval.multipliedBy(3)
            + ") and at most 10m, was "
            + leaseTtl);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new ConfigException(message);
    }
  }
}
