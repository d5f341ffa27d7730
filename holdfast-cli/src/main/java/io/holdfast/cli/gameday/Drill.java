package io.holdfast.cli.gameday;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.cli.AdminClient;
import io.holdfast.cli.fleet.Fleet;
import io.holdfast.cli.fleet.FleetMember;
import io.holdfast.cli.fleet.FleetPlan;
import io.holdfast.server.probe.Canary;
import io.holdfast.server.probe.CanaryProber;
import io.holdfast.server.probe.CanaryTarget;
import io.holdfast.server.probe.ProbeResults;
import io.holdfast.server.probe.SyntheticProbe;
import io.holdfast.testkit.FaultyReplica;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One game day: makes the canaries, puts a fault proxy in front of every replica, runs the canary
 * fleet and the synthetic probe through the proxies, waits until all is well, then plays the
 * scenario's phases (or its bad change), heals, and waits for every canary to be FRESH again. Only
 * the proxies are faulted: the replicas, and every other client of them, are left alone.
 *
 * <p>Every wait is bounded by a setting; the drill takes at most start + phases + heal bounds (plus
 * the gate bound for bad-change). Not thread-safe: run it once.
 */
final class Drill {

  private static final Duration PROBE_DEADLINE = CanaryProber.DEFAULT_TIMEOUT;
  private static final String CLEANED_UP = "then ended by the game day's cleanup";

  private final Target target;
  private final Scenario scenario;
  private final DrillSettings settings;
  private final Function<FleetPlan, Fleet> fleets;
  private final Timeline timeline;

  Drill(
      Target target,
      Scenario scenario,
      DrillSettings settings,
      Function<FleetPlan, Fleet> fleets,
      Timeline timeline) {
    this.target = target;
    this.scenario = scenario;
    this.settings = settings;
    this.fleets = fleets;
    this.timeline = timeline;
  }

  Observations run() throws IOException {
    timeline.print("game day '" + scenario.id() + "': " + scenario.description());
    timeline.print("target: " + target.description() + " " + target.replicas());
    AdminClient admin = target.admin();
    BadChange badChange = null;
    if (scenario == Scenario.BAD_CHANGE) {
      badChange = new BadChange(admin, target::as, timeline);
      badChange.requireRunnable(settings.ring());
    }
    List<FleetMember> canaries = Canaries.ensure(admin, settings.canaries(), settings.ring());
    timeline.print(
        "canaries: "
            + canaries.size()
            + " instances "
            + Canaries.PREFIX
            + "1.."
            + canaries.size()
            + " in ring "
            + settings.ring()
            + ", each with "
            + Canaries.SEATS
            + " seats of application "
            + Canaries.APPLICATION);
    List<FaultyReplica> proxies = new ArrayList<>();
    try {
      Map<URI, String> names = new LinkedHashMap<>();
      for (URI replica : target.replicas()) {
        FaultyReplica proxy = FaultyReplica.start(replica, target.sslContext());
        String name = Phase.replicaName(proxies.size());
        proxies.add(proxy);
        names.put(proxy.uri(), name);
        timeline.print("fault proxy " + name + ": " + proxy.uri() + " in front of " + replica);
      }
      List<URI> through = List.copyOf(names.keySet());
      try (ProbeWatch probe = new ProbeWatch(probe(through), names, settings.alertFor(), timeline);
          Fleet fleet = fleets.apply(plan(through, canaries))) {
        probe.start(settings.probeInterval());
        FleetSampler sampler = new FleetSampler(fleet, timeline, () -> probeLine(probe));
        boolean started =
            sampler.sampleUntil(
                settings.startWithin(), () -> sampler.allFresh() && probe.allPassing());
        Duration startedAfter = timeline.now();
        if (!started) {
          timeline.print(
              "not started: within "
                  + Durations.text(settings.startWithin())
                  + " the fleet was not all FRESH or the probe not passing; no fault injected");
          return observe(false, startedAfter, Duration.ZERO, probe, sampler, null, null);
        }
        timeline.print("steady: every canary FRESH, the probe passes on every replica");
        return scenario == Scenario.BAD_CHANGE
            ? badChange(badChange, canaries, startedAfter, probe, sampler)
            : phases(proxies, startedAfter, probe, sampler);
      }
    } finally {
      proxies.forEach(FaultyReplica::close);
    }
  }

  private Observations phases(
      List<FaultyReplica> proxies, Duration startedAfter, ProbeWatch probe, FleetSampler sampler) {
    Duration firstFault = null;
    for (Phase phase : scenario.phases()) {
      for (int index : phase.replicas(proxies.size())) {
        phase.breakage().apply(proxies.get(index));
      }
      Duration at = timeline.print("FAULT: " + phase.describe(proxies.size()));
      if (firstFault == null) {
        firstFault = at;
        probe.faultInjected(at);
      }
      sampler.sampleFor(settings.faultDuration());
    }
    proxies.forEach(FaultyReplica::clear);
    Duration healedAt = timeline.print("HEAL: every fault cleared");
    Duration freshAfter = awaitFresh(sampler, probe, healedAt, "the heal");
    return observe(
        true, startedAfter, healedAt.minus(firstFault), probe, sampler, freshAfter, null);
  }

  private Observations badChange(
      BadChange badChange,
      List<FleetMember> canaries,
      Duration startedAfter,
      ProbeWatch probe,
      FleetSampler sampler) {
    JsonNode change;
    try {
      change = badChange.create(canaries);
    } catch (AdminClient.RefusedException e) {
      // A schema on core that refuses the value stops the change before any instance sees it.
      timeline.print("the change was refused: " + e.getMessage());
      Observations.ChangeOutcome refused =
          new Observations.ChangeOutcome(
              0, false, null, "refused", "refused before any instance saw it: " + e.getMessage());
      return observe(true, startedAfter, Duration.ZERO, probe, sampler, Duration.ZERO, refused);
    }
    long id = change.path("id").asLong();
    timeline.print("CHANGE " + id + " created: core maxUploadMb \"" + BadChange.BAD_VALUE + "\"");
    boolean closed = false;
    try {
      Observations seen = rollOut(badChange, change, startedAfter, probe, sampler);
      closed = true;
      return seen;
    } finally {
      if (!closed) {
        // Something threw after the change was created: still no change is left open behind us.
        badChange.endIfOpen(id);
      }
    }
  }

  /**
   * Approves the change and follows it until the gate ends it or the gate bound passes. A change
   * the gate did not end is ended here; the verdict fails then, as it was not backed out.
   */
  private Observations rollOut(
      BadChange badChange,
      JsonNode change,
      Duration startedAfter,
      ProbeWatch probe,
      FleetSampler sampler) {
    long id = change.path("id").asLong();
    try {
      badChange.approve(change, target.approverToken());
    } catch (AdminClient.RefusedException | AdminClient.UnreachableException e) {
      timeline.print("CHANGE " + id + " not approved: " + e.getMessage());
      badChange.endIfOpen(id);
      Observations.ChangeOutcome unapproved =
          new Observations.ChangeOutcome(
              id, false, null, "not approved", "the approval failed: " + e.getMessage());
      return observe(true, startedAfter, Duration.ZERO, probe, sampler, null, unapproved);
    }
    Duration approvedAt = timeline.print("CHANGE " + id + " approved; the rollout engine takes it");
    ChangeWatch watch = new ChangeWatch(badChange, change, timeline);
    boolean backedOut = sampler.sampleUntil(settings.gateWithin(), watch::ended);
    String state = watch.latest().path("state").asText();
    backedOut &= state.equals("backed_out");
    Duration endedAt = timeline.now();
    if (!backedOut) {
      timeline.print(
          "CHANGE " + id + " not backed out within " + Durations.text(settings.gateWithin()));
    }
    String said = watch.latest().path("outcome").asText("");
    if (!backedOut && badChange.endIfOpen(id)) {
      said = said.isEmpty() ? CLEANED_UP : said + "; " + CLEANED_UP;
    }
    Observations.ChangeOutcome outcome =
        new Observations.ChangeOutcome(
            id, backedOut, backedOut ? endedAt.minus(approvedAt) : null, state, said);
    if (!backedOut) {
      return observe(true, startedAfter, endedAt.minus(approvedAt), probe, sampler, null, outcome);
    }
    Duration freshAfter = awaitFresh(sampler, probe, endedAt, "the back-out");
    return observe(
        true, startedAfter, endedAt.minus(approvedAt), probe, sampler, freshAfter, outcome);
  }

  /**
   * Waits for every canary to be FRESH; returns how long after {@code from}, or null. Then waits,
   * within the same bound, for the probe to pass everywhere again, so that the failing streaks the
   * heal ended are judged.
   */
  private Duration awaitFresh(FleetSampler sampler, ProbeWatch probe, Duration from, String what) {
    Duration after = null;
    if (sampler.sampleUntil(settings.freshWithin(), sampler::allFresh)) {
      after = timeline.now().minus(from);
      timeline.print("RECOVERED: every canary FRESH " + Durations.span(after) + " after " + what);
    } else {
      timeline.print("NOT RECOVERED within " + Durations.text(settings.freshWithin()));
    }
    Duration left = settings.freshWithin().minus(timeline.now().minus(from));
    if (!left.isNegative() && !sampler.sampleUntil(left, probe::allPassing)) {
      timeline.print("the probe still fails: " + probeLine(probe));
    }
    probe.finish(timeline.now());
    return after;
  }

  private Observations observe(
      boolean started,
      Duration startedAfter,
      Duration faultLasted,
      ProbeWatch probe,
      FleetSampler sampler,
      Duration freshAfter,
      Observations.ChangeOutcome change) {
    return new Observations(
        started,
        startedAfter,
        faultLasted,
        probe.detectedAfter().orElse(null),
        probe.firings(),
        probe.shortStreaks(),
        sampler.maxStale(),
        sampler.maxExpired(),
        sampler.last(),
        freshAfter,
        change);
  }

  private static String probeLine(ProbeWatch probe) {
    List<String> failing = probe.failing();
    return failing.isEmpty() ? "ok" : String.join(", ", failing) + " FAILING";
  }

  private SyntheticProbe probe(List<URI> through) {
    // An admin token may read every instance: the probe reads the replicas' own canary, as their
    // built-in probes do, so its verdicts match the alert rules'.
    CanaryProber prober =
        new CanaryProber(
            new CanaryTarget(Canary.INSTANCE, target.adminToken(), Canary.NAMESPACE),
            target.trustedKeys(),
            PROBE_DEADLINE,
            Clock.systemUTC(),
            null);
    return new SyntheticProbe(prober, through, new ProbeResults(Duration.ZERO, Clock.systemUTC()));
  }

  private FleetPlan plan(List<URI> through, List<FleetMember> canaries) {
    // The proxies speak plain HTTP on loopback whatever the replicas speak, so the fleet needs no
    // TLS context of its own.
    return new FleetPlan(
        through,
        target.trustedKeys().get(0),
        canaries,
        settings.cacheRoot(),
        settings.seatInterval(),
        settings.seed(),
        null);
  }
}
