package io.holdfast.server.window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When one instance may receive a change: its effective window (if any) and every blackout that
 * applies to it, from all levels. A change may be released when the window is open and no blackout
 * holds.
 *
 * <p><b>Which window, in which zone</b> ({@link #forInstance}), chosen to be the simplest rule that
 * lets each customer keep its own evenings:
 *
 * <ol>
 *   <li>an instance's own window wins, exactly as written, zone included: whoever set it for this
 *       customer said what they meant;
 *   <li>otherwise the ring's window applies, its open hours read in the instance's zone when the
 *       instance has one (so {@code Mon-Fri 19:00-07:00} is 19:00 in Tokyo for a Tokyo customer and
 *       19:00 in New York for a New York one), else in the ring window's own zone;
 *   <li>with neither, the instance is always open; blackouts still apply.
 * </ol>
 *
 * Blackouts never override each other: the global, ring and instance ones all apply. One that names
 * no zone is read in the instance's zone: its own, else its window's, else UTC.
 *
 * <p>Queries do not scan minutes: {@link #nextOpening} alternates between the window's next opening
 * and the end of a blackout holding then, and passes each blackout at most once.
 */
public final class ReleaseSchedule {

  private static final ZoneId UTC = ZoneId.of("UTC");

  private final ChangeWindow window; // null: always open
  private final ZoneId zone;
  private final Blackout[] blackouts;
  private final BlackoutLevel[] levels;
  // Blackouts are checked by calendar day: the distinct zones they are read in (almost always one
  // or two), and for each blackout the index of its zone, so each query converts an instant to a
  // local date once per zone rather than once per blackout.
  private final ZoneId[] zones;
  private final int[] zoneOf;

  private ReleaseSchedule(ChangeWindow window, ZoneId zone, List<List<Blackout>> byLevel) {
    this.window = window;
    this.zone = zone;
    int count = 0;
    for (List<Blackout> level : byLevel) {
      count += level.size();
    }
    blackouts = new Blackout[count];
    levels = new BlackoutLevel[count];
    zoneOf = new int[count];
    List<ZoneId> distinct = new ArrayList<>();
    int i = 0;
    for (BlackoutLevel level : BlackoutLevel.values()) {
      for (Blackout b : byLevel.get(level.ordinal())) {
        blackouts[i] = b;
        levels[i] = level;
        ZoneId in = b.zoneFor(zone);
        int index = distinct.indexOf(in);
        if (index < 0) {
          index = distinct.size();
          distinct.add(in);
        }
        zoneOf[i] = index;
        i++;
      }
    }
    zones = distinct.toArray(ZoneId[]::new);
  }

  /**
   * The schedule of one instance, from the global blackouts, its ring's timing and its own, by the
   * rules in the class comment.
   *
   * @throws InvalidWindowException for more than {@link Blackout#MAX_PER_LEVEL} global blackouts
   */
  public static ReleaseSchedule forInstance(
      List<Blackout> global, RingTiming ring, InstanceTiming instance) {
    Optional<ChangeWindow> window = effectiveWindow(ring, instance);
    ZoneId zone = instance.zone().or(() -> window.map(ChangeWindow::zone)).orElse(UTC);
    // In the order of BlackoutLevel's constants.
    List<List<Blackout>> byLevel =
        List.of(Blackout.listOf(global), ring.blackouts(), instance.blackouts());
    return new ReleaseSchedule(window.orElse(null), zone, byLevel);
  }

  /**
   * The window an instance follows: its own if it has one, else the ring's read in the instance's
   * zone (or the ring's zone), else none.
   */
  public static Optional<ChangeWindow> effectiveWindow(RingTiming ring, InstanceTiming instance) {
    if (instance.window().isPresent()) {
      return instance.window();
    }
    return ring.window().map(w -> instance.zone().map(w::inZone).orElse(w));
  }

  /** The window that applies; empty when the instance is always open outside blackouts. */
  public Optional<ChangeWindow> window() {
    return Optional.ofNullable(window);
  }

  /** The instance's zone, in which blackouts that name none are read. */
  public ZoneId zone() {
    return zone;
  }

  /** Every blackout that applies, global ones first, then the ring's, then the instance's. */
  public List<ActiveBlackout> blackouts() {
    List<ActiveBlackout> all = new ArrayList<>(blackouts.length);
    for (int i = 0; i < blackouts.length; i++) {
      all.add(active(i));
    }
    return List.copyOf(all);
  }

  /** Whether a change may be released to the instance at {@code at}. */
  public boolean isOpen(Instant at) {
    return (window == null || window.isOpen(at)) && holding(at) < 0;
  }

  /**
   * The earliest instant at or after {@code from}, and no later than {@code from + within}, at
   * which the window is open and no blackout holds; empty if there is none by then, so that a
   * caller can fail loudly rather than wait for ever.
   *
   * @throws IllegalArgumentException for a negative {@code within}
   */
  public Optional<Instant> nextOpening(Instant from, Duration within) {
    Objects.requireNonNull(from, "from");
    if (within.isNegative()) {
      throw new IllegalArgumentException("within must not be negative; got " + within);
    }
    Instant limit = plusSaturating(from, within);
    Instant at = from;
    while (true) {
      if (window != null) {
        at = window.nextOpening(at);
      }
      if (at.isAfter(limit)) {
        return Optional.empty();
      }
      int holding = holding(at);
      if (holding < 0) {
        return Optional.of(at);
      }
      // Past this blackout; it cannot hold again, so the loop ends after at most one turn per
      // blackout.
      at = blackouts[holding].end(zone);
    }
  }

  /** The blackout holding at {@code at} (the one ending last if several do), if any. */
  public Optional<ActiveBlackout> blackoutAt(Instant at) {
    int holding = holding(at);
    return holding < 0 ? Optional.empty() : Optional.of(active(holding));
  }

  /** The index of the blackout holding at {@code at} that ends last, or -1. */
  private int holding(Instant at) {
    if (blackouts.length == 0) {
      return -1;
    }
    LocalDate[] days = new LocalDate[zones.length];
    for (int z = 0; z < zones.length; z++) {
      days[z] = LocalDate.ofInstant(at, zones[z]);
    }
    int found = -1;
    Instant foundEnd = null;
    for (int i = 0; i < blackouts.length; i++) {
      if (blackouts[i].covers(days[zoneOf[i]])) {
        Instant end = blackouts[i].end(zone);
        if (foundEnd == null || end.isAfter(foundEnd)) {
          found = i;
          foundEnd = end;
        }
      }
    }
    return found;
  }

  private ActiveBlackout active(int i) {
    return new ActiveBlackout(
        levels[i], blackouts[i], blackouts[i].start(zone), blackouts[i].end(zone));
  }

  private static Instant plusSaturating(Instant from, Duration within) {
    Duration room = Duration.between(from, Instant.MAX);
    return within.compareTo(room) >= 0 ? Instant.MAX : from.plus(within);
  }
}
