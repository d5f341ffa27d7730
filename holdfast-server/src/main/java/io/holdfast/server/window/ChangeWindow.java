package io.holdfast.server.window;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When changes may reach a customer: a {@link WeeklyPattern} of open hours read in an IANA time
 * zone, e.g. {@code Mon-Fri 19:00-07:00, Sat-Sun all day in Europe/London}.
 *
 * <p><b>Text</b> (CLI): the pattern, then {@code in} and the zone. {@link #parse} reads it, {@link
 * #format} writes the canonical text, and {@code parse(w.format()).equals(w)}. <b>JSON</b> (admin
 * API): {@code {"zone": "Europe/London", "open": ["Mon-Fri 19:00-07:00", "Sat-Sun all day"]}}, one
 * range per entry of {@code open}: {@link #of(String, List)} reads it, {@link #zone()} and {@link
 * #open()} give it back.
 *
 * <p><b>Open periods.</b> Each range opens on each of its days; ranges that touch or run into each
 * other form one continuous open period ({@code Fri 19:00-07:00} with {@code Sat all day} is open
 * from Friday 19:00 until Saturday ends). Periods are half-open: open at the opening instant,
 * closed again at the closing instant.
 *
 * <p><b>Summer time</b> never shortens a window, and each boundary falls where a person reading the
 * local clock would put it (see {@link LocalBoundary}): a range opening at a time the clock skips
 * (01:30 on the spring-forward night in London) opens when the clock jumps, at 02:00 summer time;
 * one closing then closes at the jump. When the clock repeats an hour in autumn, an opening inside
 * it is the first occurrence and a closing the second. A day of 23 or 25 hours gives its all-day
 * ranges 23 or 25 hours.
 *
 * <p>Queries iterate over days and ranges, never over minutes: a call usually reads a few days'
 * ranges and never more than five weeks', so the engine can ask for thousands of instances per pass
 * (about 2 to 5 microseconds each, measured for 10,000 instances in 24 zones).
 */
public final class ChangeWindow {

  /** A window's text (pattern and zone) is at most this long. */
  public static final int MAX_TEXT_LENGTH = WeeklyPattern.MAX_TEXT_LENGTH;

  private static final String IN = " in ";

  private final ZoneId zone;
  private final WeeklyPattern pattern;
  private final ZoneRules rules;
  // A query starts this many days before the day of the instant asked about, so that a range that
  // opened earlier and is still open is seen. A range is shorter than a week; a day is at most 25
  // hours, and two days more cover any zone's oddities.
  private final int lookBackDays;
  // This window's hours in other zones (see inZone). A ring's window is read in the zone of each
  // of its instances, thousands of times per engine pass but in a few dozen zones; the key set is
  // bounded by the IANA zones the constructor accepts.
  private final Map<ZoneId, ChangeWindow> inZones = new ConcurrentHashMap<>();

  private ChangeWindow(ZoneId zone, WeeklyPattern pattern) {
    this.zone = IanaZone.require(Objects.requireNonNull(zone, "zone"));
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    this.rules = zone.getRules();
    this.lookBackDays = pattern.longest() / WindowRange.DAY + 2;
  }

  /**
   * Reads a window: {@code <ranges> in <zone>}, e.g. {@code Mon-Fri 19:00-07:00, Sat-Sun all day in
   * Europe/London}.
   *
   * @throws InvalidWindowException naming what is wrong: the length, the zone, a range, or two
   *     ranges that overlap
   */
  public static ChangeWindow parse(String text) {
    // Padded so that a text with no ranges before "in" still reads as a zone with no ranges.
    String stripped =
        " "
            + TypedText.require(
                text,
                "window",
                MAX_TEXT_LENGTH,
                "ranges and a zone, e.g. 'Mon-Fri 19:00-07:00, Sat-Sun all day in Europe/London'");
    int in = stripped.toLowerCase(Locale.ROOT).lastIndexOf(IN);
    if (in < 0) {
      throw new InvalidWindowException(
          "window '"
              + stripped.strip()
              + "' names no time zone: end it with ' in <zone>', e.g. 'Mon-Fri 19:00-07:00 in"
              + " Europe/London'");
    }
    ZoneId zone = IanaZone.parse(stripped.substring(in + IN.length()).strip());
    return new ChangeWindow(zone, WeeklyPattern.parse(stripped.substring(0, in)));
  }

  /**
   * The window the admin API's JSON describes: {@code zone} and one range per entry of {@code
   * open}.
   *
   * @throws InvalidWindowException as {@link #parse} does
   */
  public static ChangeWindow of(String zone, List<String> open) {
    ZoneId zoneId = IanaZone.parse(zone);
    if (open == null) {
      throw new InvalidWindowException(
          "a window needs at least one range, e.g. 'Mon-Fri 19:00-07:00' or 'Sat-Sun all day'");
    }
    return new ChangeWindow(zoneId, WeeklyPattern.ofTexts(open));
  }

  /**
   * {@code pattern} read in {@code zone}.
   *
   * @throws InvalidWindowException for a zone that is not an IANA region (a fixed offset)
   */
  public static ChangeWindow of(ZoneId zone, WeeklyPattern pattern) {
    return new ChangeWindow(zone, pattern);
  }

  /** The same open hours in another zone: how a ring's window becomes an instance's own. */
  public ChangeWindow inZone(ZoneId other) {
    return other.equals(zone)
        ? this
        : inZones.computeIfAbsent(other, z -> new ChangeWindow(z, pattern));
  }

  public ZoneId zone() {
    return zone;
  }

  public WeeklyPattern pattern() {
    return pattern;
  }

  /** The canonical text of each range: the admin API's {@code open} array. */
  public List<String> open() {
    return pattern.ranges().stream().map(WindowRange::format).toList();
  }

  /** Whether the window never closes: its ranges cover every minute of the week. */
  public boolean isAlwaysOpen() {
    return pattern.coversWholeWeek();
  }

  /** Whether a change may be released at {@code at}. */
  public boolean isOpen(Instant at) {
    return nextOpening(at).equals(at);
  }

  /**
   * {@code at} itself if the window is open then; otherwise the instant the next open period
   * starts. Every window opens at least once a week, so there always is one.
   */
  public Instant nextOpening(Instant at) {
    if (pattern.coversWholeWeek()) {
      return at;
    }
    Occurrences o = new Occurrences(at, 3 * 7);
    while (o.next()) {
      // Openings come in time order, so the first one after `at` is the next, unless an earlier
      // occurrence is still open at `at`.
      if (o.open.isAfter(at)) {
        return o.open;
      }
      if (o.close.isAfter(at)) {
        return at;
      }
    }
    throw new IllegalStateException("no opening of '" + this + "' within three weeks of " + at);
  }

  /**
   * The end of the open period that {@code at} is in: the first instant after it at which the
   * window is closed, with ranges that touch or run into each other taken as one period. Empty when
   * the window is closed at {@code at}, and when it never closes ({@link #isAlwaysOpen()}).
   */
  public Optional<Instant> openUntil(Instant at) {
    if (pattern.coversWholeWeek()) {
      return Optional.empty();
    }
    // A period is shorter than a week, or two when an autumn repeated hour swallows the closed
    // spell between them; five weeks is ample.
    Occurrences o = new Occurrences(at, 5 * 7);
    Instant periodEnd = null; // of the period being joined up, which opened at or before `at`
    while (o.next()) {
      if (periodEnd != null && !o.open.isAfter(periodEnd)) {
        if (o.close.isAfter(periodEnd)) {
          periodEnd = o.close; // runs on: the same period
        }
        continue;
      }
      // The period so far ended before this opening.
      if (periodEnd != null && periodEnd.isAfter(at)) {
        return Optional.of(periodEnd);
      }
      if (o.open.isAfter(at)) {
        return Optional.empty();
      }
      periodEnd = o.close;
    }
    throw new IllegalStateException("open period of '" + this + "' at " + at + " never ends");
  }

  /**
   * The occurrences of the ranges in time order, each an opening and a closing instant, from early
   * enough before {@code at} that any occurrence still open at {@code at} is among them. Openings
   * are in time order because the opening rule never moves a later local time to an earlier
   * instant. Occurrences wholly inside a skipped hour do not happen and are left out.
   */
  private final class Occurrences {
    private LocalDate day;
    private int daysLeft;
    private int[] starts;
    private int[] lengths;
    private int next;
    Instant open;
    Instant close;

    Occurrences(Instant at, int daysAfter) {
      day = LocalDate.ofInstant(at, zone).minusDays(lookBackDays);
      daysLeft = lookBackDays + daysAfter;
      load();
    }

    private void load() {
      starts = pattern.starts(day.getDayOfWeek());
      lengths = pattern.lengths(day.getDayOfWeek());
      next = 0;
    }

    boolean next() {
      while (true) {
        while (next == starts.length) {
          if (--daysLeft < 0) {
            return false;
          }
          day = day.plusDays(1);
          load();
        }
        LocalDateTime midnight = day.atStartOfDay();
        open = LocalBoundary.opening(rules, midnight.plusMinutes(starts[next]));
        close = LocalBoundary.closing(rules, midnight.plusMinutes(starts[next] + lengths[next]));
        next++;
        if (close.isAfter(open)) {
          return true;
        }
      }
    }
  }

  /** The canonical text, e.g. {@code Mon-Fri 19:00-07:00, Sat-Sun all day in Europe/London}. */
  public String format() {
    return pattern.format() + IN + zone.getId();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChangeWindow other
        && zone.equals(other.zone)
        && pattern.equals(other.pattern);
  }

  @Override
  public int hashCode() {
    return 31 * zone.hashCode() + pattern.hashCode();
  }

  @Override
  public String toString() {
    return format();
  }
}
