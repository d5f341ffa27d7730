package io.holdfast.server.window;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every window setting of the fleet, read at once inside the caller's transaction: the global
 * blackouts, each ring's window and blackouts, and each instance's zone, window and blackouts. The
 * rollout engine reads it once per pass and asks it for one {@link ReleaseSchedule} per instance
 * that waits; a ring release reads it to find the instances whose window is closed. Settings are
 * parsed when read, so a value the API stored is always valid; one that does not parse any more (a
 * zone a newer JDK dropped) is refused loudly rather than treated as always open. Immutable.
 */
public final class FleetTimings {

  private final List<Blackout> global;
  private final Map<String, RingTiming> rings;
  private final Map<String, InstanceTiming> instances;

  FleetTimings(
      List<Blackout> global, Map<String, RingTiming> rings, Map<String, InstanceTiming> instances) {
    this.global = List.copyOf(global);
    this.rings = Map.copyOf(rings);
    this.instances = Map.copyOf(instances);
  }

  /** Nothing set anywhere: every instance always open. */
  public static final FleetTimings NONE = new FleetTimings(List.of(), Map.of(), Map.of());

  /** Reads every setting; see the class comment. */
  public static FleetTimings read(Connection c) throws SQLException {
    List<Blackout> global = new ArrayList<>();
    Map<String, List<Blackout>> ringBlackouts = new HashMap<>();
    Map<String, List<Blackout>> instanceBlackouts = new HashMap<>();
    for (StoredBlackout stored : BlackoutTable.all(c)) {
      switch (stored.level()) {
        case GLOBAL -> global.add(stored.blackout());
        case RING ->
            ringBlackouts
                .computeIfAbsent(stored.target(), t -> new ArrayList<>())
                .add(stored.blackout());
        case INSTANCE ->
            instanceBlackouts
                .computeIfAbsent(stored.target(), t -> new ArrayList<>())
                .add(stored.blackout());
      }
    }
    Map<String, RingTiming> rings = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, change_window FROM rings");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String ring = rs.getString(1);
        rings.put(
            ring,
            new RingTiming(
                Optional.ofNullable(rs.getString(2)).map(ChangeWindow::parse),
                ringBlackouts.getOrDefault(ring, List.of())));
      }
    }
    Map<String, InstanceTiming> instances = new HashMap<>();
    // Thousands of instances share a few dozen zones and a handful of windows: parse each text
    // once per read.
    Map<String, ZoneId> zones = new HashMap<>();
    Map<String, ChangeWindow> windows = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, zone, change_window FROM instances"
                    + " WHERE zone IS NOT NULL OR change_window IS NOT NULL");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String instance = rs.getString(1);
        instances.put(
            instance,
            new InstanceTiming(
                Optional.ofNullable(rs.getString(2))
                    .map(zone -> zones.computeIfAbsent(zone, IanaZone::parse)),
                Optional.ofNullable(rs.getString(3))
                    .map(window -> windows.computeIfAbsent(window, ChangeWindow::parse)),
                instanceBlackouts.getOrDefault(instance, List.of())));
      }
    }
    for (Map.Entry<String, List<Blackout>> own : instanceBlackouts.entrySet()) {
      instances.computeIfAbsent(
          own.getKey(),
          i -> new InstanceTiming(Optional.empty(), Optional.empty(), own.getValue()));
    }
    return new FleetTimings(global, rings, instances);
  }

  /** When instance {@code instance} of ring {@code ring} may receive a change. */
  public ReleaseSchedule schedule(String instance, String ring) {
    return ReleaseSchedule.forInstance(
        global,
        rings.getOrDefault(ring, RingTiming.NONE),
        instances.getOrDefault(instance, InstanceTiming.NONE));
  }

  /** Whether nothing is set anywhere, so that every instance is always open. */
  public boolean none() {
    return global.isEmpty()
        && instances.isEmpty()
        && rings.values().stream().allMatch(r -> r.window().isEmpty() && r.blackouts().isEmpty());
  }

  /** Ring {@code ring}'s own window; empty when it has none (or there is no such ring). */
  public Optional<ChangeWindow> ringWindow(String ring) {
    return rings.getOrDefault(ring, RingTiming.NONE).window();
  }

  /** Instance {@code instance}'s own settings: zone, window and blackouts; NONE without any. */
  public InstanceTiming instance(String instance) {
    return instances.getOrDefault(instance, InstanceTiming.NONE);
  }

  /** The zone an instance's own settings give, if any. */
  public Optional<ZoneId> zoneOf(String instance) {
    return instances.getOrDefault(instance, InstanceTiming.NONE).zone();
  }
}
