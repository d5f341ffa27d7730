package io.holdfast.cli.gameday;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The named game-day scenarios. Each injects its faults only through the fault proxies the game day
 * runs in front of the replicas its canary fleet reads; none touches a replica's own code path.
 */
enum Scenario {
  INCIDENT(
      "the seed's incident: checksums unavailable on one replica, then on both, then the content"
          + " too; then everything heals",
      List.of(
          Phase.onFirst(Breakage.CHECKSUMS),
          Phase.onEvery(Breakage.CHECKSUMS),
          Phase.onEvery(Breakage.CONTENT))),
  CHECKSUMS_ONE(
      "checksum data unavailable on one replica", List.of(Phase.onFirst(Breakage.CHECKSUMS))),
  CHECKSUMS_BOTH(
      "checksum data unavailable on every replica", List.of(Phase.onEvery(Breakage.CHECKSUMS))),
  CONTENT(
      "configuration documents unavailable on every replica",
      List.of(Phase.onEvery(Breakage.CONTENT))),
  BLACKHOLE(
      "one replica blackholed: connections accepted, never answered",
      List.of(Phase.onFirst(Breakage.BLACKHOLE))),
  STORE_DOWN("the replicas' store down", List.of()),
  BAD_CHANGE(
      "a change request the instances' validators reject (core maxUploadMb \"lots\");"
          + " the health gate should back it out",
      List.of());

  private final String description;
  private final List<Phase> phases;

  Scenario(String description, List<Phase> phases) {
    this.description = description;
    this.phases = phases;
  }

  /** The name on the command line, such as {@code checksums-one}. */
  String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  String description() {
    return description;
  }

  /** The proxy faults, one phase after another; empty for {@link #BAD_CHANGE}. */
  List<Phase> phases() {
    return phases;
  }

  /** Whether the synthetic probe can see the fault (a bad change leaves the probe's canary be). */
  boolean probeVisible() {
    return !phases.isEmpty();
  }

  /**
   * The scenario named {@code id}.
   *
   * @throws IllegalArgumentException naming the scenarios there are
   */
  static Scenario parse(String id) {
    for (Scenario scenario : values()) {
      if (scenario.id().equals(id)) {
        return scenario;
      }
    }
    throw new IllegalArgumentException("unknown scenario '" + id + "'; choose one of " + ids());
  }

  static String ids() {
    return Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", "));
  }
}
