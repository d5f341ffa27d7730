package io.holdfast.cli.fleet;

import io.holdfast.client.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A fleet of simulated instances that behave as real ones do, for the demo and for game days: each
 * member runs a real {@code HoldfastClient} (namespaces {@code core}, {@code features} and {@code
 * subscriptions}, its own disk cache under {@link FleetPlan#cacheRoot()}, a heartbeat every second
 * carrying its seats in use) and a {@code SubscriptionChecker} over its own in-memory seat store.
 *
 * <p><b>The application's rule.</b> Every member validates {@code core}: a document whose {@code
 * maxUploadMb} is present and not a whole number (say {@code "lots"} or {@code 2.5}) is rejected.
 * The member keeps its last-known-good copy and reports {@code core} STALE, so a ring's health gate
 * fails on it and the rollout engine backs the change out. Game days rely on exactly this rule for
 * their bad change.
 *
 * <p><b>Seat traffic.</b> Every {@link FleetPlan#seatInterval()}, one thread takes a turn of every
 * member's application: it reads {@code core}, then a simulated user (drawn from the seeded random
 * source) of an application the member's held {@code subscriptions} document names logs in ({@code
 * admit}) or, holding a seat, logs out ({@code release}) or in again. Seats in use settle around
 * two thirds of each member's user pool, above the quantity of the smaller subscriptions, so
 * denials at the limit occur too. {@link FleetView#holdersDenied()} counts holders turned away,
 * which the checker must never do; {@link FleetView#applicationErrors()} counts exceptions reaching
 * this loop.
 *
 * <p><b>Status.</b> A member's status is the worst of its namespaces': EXPIRED, then STALE, then
 * INITIALIZING (counted as unstarted), then FRESH.
 *
 * <p><b>Threads.</b> The members' clients schedule their own syncs and heartbeats (the SDK's daemon
 * threads); the seat traffic runs on one daemon thread. {@link #close()} stops them all. {@link
 * #start} does not wait for replicas: members come up on their own, and one that cannot reach a
 * replica stays unstarted until it can.
 */
public final class SimulatedFleet implements Fleet {

  private static final System.Logger LOG = System.getLogger("io.holdfast.cli.fleet");

  private final List<SimulatedMember> members;
  private final SeatTraffic traffic = new SeatTraffic();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "holdfast-fleet-seats");
            t.setDaemon(true);
            return t;
          });
  private final Random random;

  /** Members whose last turn failed; read and written on the seat traffic's thread only. */
  private final Set<String> failing = new HashSet<>();

  private SimulatedFleet(List<SimulatedMember> members, Random random) {
    this.members = members;
    this.random = random;
  }

  /**
   * Builds and starts every member's client, then the seat traffic. Returns without waiting for any
   * replica; poll {@link #view()} for FRESH members.
   *
   * @throws IllegalArgumentException if a member's settings are refused by the SDK (nothing is left
   *     running)
   */
  public static SimulatedFleet start(FleetPlan plan) {
    Random random = new Random(plan.seed());
    List<SimulatedMember> members = new ArrayList<>();
    SimulatedFleet fleet = new SimulatedFleet(Collections.unmodifiableList(members), random);
    try {
      for (FleetMember member : plan.members()) {
        SimulatedMember simulated = SimulatedMember.create(plan, member, random);
        members.add(simulated);
        simulated.start();
      }
    } catch (RuntimeException e) {
      fleet.close();
      throw e;
    }
    long period = plan.seatInterval().toNanos();
    fleet.loop.scheduleWithFixedDelay(fleet::turn, period, period, TimeUnit.NANOSECONDS);
    return fleet;
  }

  /**
   * One turn of every member's application; never throws, so the schedule never stops. Every
   * failure is counted; a member's failures are logged once per streak, not four times a second.
   */
  private void turn() {
    for (SimulatedMember member : members) {
      String instance = member.member().instance();
      try {
        member.step(random, traffic);
        if (failing.remove(instance)) {
          LOG.log(System.Logger.Level.INFO, "the application loop of " + instance + " recovered");
        }
      } catch (RuntimeException e) {
        traffic.applicationError();
        if (failing.add(instance)) {
          LOG.log(
              System.Logger.Level.WARNING, "the application loop of " + instance + " failed", e);
        }
      }
    }
  }

  @Override
  public FleetView view() {
    int fresh = 0;
    int stale = 0;
    int expired = 0;
    int unstarted = 0;
    for (SimulatedMember member : members) {
      switch (member.status()) {
        case FRESH -> fresh++;
        case STALE -> stale++;
        case EXPIRED -> expired++;
        case INITIALIZING -> unstarted++;
      }
    }
    return new FleetView(
        members.size(),
        fresh,
        stale,
        expired,
        unstarted,
        traffic.admissions(),
        traffic.denied(),
        traffic.holdersDenied(),
        traffic.applicationErrors());
  }

  /** Each member's status (the worst of its namespaces'), by instance, in the plan's order. */
  public Map<String, Status> statuses() {
    Map<String, Status> statuses = new LinkedHashMap<>();
    for (SimulatedMember member : members) {
      statuses.put(member.member().instance(), member.status());
    }
    return statuses;
  }

  /** The members, in the plan's order. */
  public List<FleetMember> members() {
    return members.stream().map(SimulatedMember::member).toList();
  }

  /**
   * Stops the seat traffic, waiting for a turn under way, then closes every member's client. Safe
   * to call more than once.
   */
  @Override
  public void close() {
    loop.shutdownNow();
    try {
      if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "the fleet's seat traffic did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SimulatedMember member : members) {
      member.close();
    }
  }
}
