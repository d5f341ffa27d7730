package io.holdfast.cli.fleet;

import io.holdfast.protocol.signature.VerificationKey;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * What a {@link SimulatedFleet} runs: the replicas its members read from, the key their documents
 * must be signed with, the members, where their disk caches live, and how its seat traffic goes.
 *
 * @param replicas the replicas every member reads from, in order of preference (the replicas
 *     themselves, or fault proxies in front of them)
 * @param trustedKey the signing key every member pins
 * @param members the instances to run, each at most once
 * @param cacheRoot each member keeps its last-known-good copies in {@code cacheRoot/<instance>}
 * @param seatInterval how often every member's simulated users log in or out, once each
 * @param seed the seed of the seat traffic and of the members' jitter: the same seed makes the same
 *     choices of user and action
 * @param sslContext the trust for https replicas, or {@code null} for the JDK's
 */
public record FleetPlan(
    List<URI> replicas,
    VerificationKey trustedKey,
    List<FleetMember> members,
    Path cacheRoot,
    Duration seatInterval,
    long seed,
    SSLContext sslContext) {

  /** Four logins or logouts a second per member: seats visibly move between heartbeats. */
  public static final Duration DEFAULT_SEAT_INTERVAL = Duration.ofMillis(250);

  public FleetPlan {
    replicas = List.copyOf(replicas);
    members = List.copyOf(members);
    Objects.requireNonNull(trustedKey, "trustedKey");
    Objects.requireNonNull(cacheRoot, "cacheRoot");
    Objects.requireNonNull(seatInterval, "seatInterval");
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("a fleet needs at least one replica");
    }
    if (seatInterval.isNegative() || seatInterval.isZero()) {
      throw new IllegalArgumentException("seatInterval must be positive, was " + seatInterval);
    }
    Set<String> seen = new HashSet<>();
    for (FleetMember member : members) {
      if (!seen.add(member.instance())) {
        throw new IllegalArgumentException("instance listed twice: " + member.instance());
      }
    }
  }

  /** A plan with the default seat interval, seed 1 and the JDK's trust. */
  public static FleetPlan of(
      List<URI> replicas, VerificationKey trustedKey, List<FleetMember> members, Path cacheRoot) {
    return new FleetPlan(replicas, trustedKey, members, cacheRoot, DEFAULT_SEAT_INTERVAL, 1, null);
  }

  public FleetPlan withSeed(long newSeed) {
    return new FleetPlan(
        replicas, trustedKey, members, cacheRoot, seatInterval, newSeed, sslContext);
  }

  public FleetPlan withSeatInterval(Duration interval) {
    return new FleetPlan(replicas, trustedKey, members, cacheRoot, interval, seed, sslContext);
  }

  /** The trust for https replicas; {@code null} for the JDK's. */
  public FleetPlan withSslContext(SSLContext context) {
    return new FleetPlan(replicas, trustedKey, members, cacheRoot, seatInterval, seed, context);
  }
}
