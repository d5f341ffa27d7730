package io.holdfast.server.window;

import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The open hours of a week in local clock time, without a zone: the ranges of a {@link
 * ChangeWindow}. Text form: {@link WindowRange} texts separated by commas, e.g. {@code Mon-Fri
 * 19:00-07:00, Sat-Sun all day}. Ranges keep the order they were written in, and two patterns are
 * equal when their ranges are.
 *
 * <p>Ranges may run on into each other, which is how an evening that runs into an all-day weekend
 * is written ({@code Fri 19:00-07:00} runs into {@code Sat all day}): together they form one open
 * period. Two kinds of overlap are refused as the typing mistakes they almost always are: two
 * ranges that open on the same day and share time ({@code Mon-Fri 09:00-17:00, Wed 12:00-18:00}),
 * and a range that lies wholly inside another ({@code Fri 19:00-Mon 07:00, Sat all day}).
 */
public final class WeeklyPattern {

  /** At most this many ranges in one pattern. */
  public static final int MAX_RANGES = 64;

  /** A pattern's text is at most this long; a longer one is refused before it is read. */
  public static final int MAX_TEXT_LENGTH = 4096;

  private static final int DAY = WindowRange.DAY;
  private static final int WEEK = WindowRange.WEEK;

  private final List<WindowRange> ranges;
  // Per day of the week (Monday first), the ranges opening that day, ordered by start: the start
  // minute after midnight and the length in minutes.
  private final int[][] starts = new int[7][];
  private final int[][] lengths = new int[7][];
  private final int longest;
  private final boolean wholeWeek;

  private WeeklyPattern(List<WindowRange> ranges) {
    this.ranges = List.copyOf(ranges);
    checkOverlaps(this.ranges);
    int max = 0;
    BitSet covered = new BitSet(WEEK);
    for (DayOfWeek day : DayOfWeek.values()) {
      List<WindowRange> opening = new ArrayList<>();
      for (WindowRange r : this.ranges) {
        if (r.opensOn(day)) {
          opening.add(r);
          int from = day.ordinal() * DAY + r.startMinute();
          int to = from + r.minutes();
          covered.set(from, Math.min(to, WEEK));
          if (to > WEEK) {
            covered.set(0, to - WEEK);
          }
          max = Math.max(max, r.minutes());
        }
      }
      opening.sort((a, b) -> Integer.compare(a.startMinute(), b.startMinute()));
      starts[day.ordinal()] = opening.stream().mapToInt(WindowRange::startMinute).toArray();
      lengths[day.ordinal()] = opening.stream().mapToInt(WindowRange::minutes).toArray();
    }
    this.longest = max;
    this.wholeWeek = covered.cardinality() == WEEK;
  }

  /**
   * Reads a pattern: ranges separated by commas.
   *
   * @throws InvalidWindowException for an over-long text, too many ranges, a malformed range or
   *     overlapping ranges, naming the range
   */
  public static WeeklyPattern parse(String text) {
    if (text != null && text.length() > MAX_TEXT_LENGTH) {
      throw new InvalidWindowException(
          "a window's text is at most " + MAX_TEXT_LENGTH + " characters; got " + text.length());
    }
    if (text == null || text.isBlank()) {
      return ofTexts(List.of());
    }
    return ofTexts(Arrays.asList(text.split(",", -1)));
  }

  /**
   * A pattern of one range per text, as the admin API's {@code open} array holds them.
   *
   * @throws InvalidWindowException as {@link #parse} does
   */
  public static WeeklyPattern ofTexts(List<String> ranges) {
    checkCount(ranges.size());
    List<WindowRange> parsed = new ArrayList<>(ranges.size());
    for (String text : ranges) {
      parsed.add(WindowRange.parse(text));
    }
    return new WeeklyPattern(parsed);
  }

  /**
   * A pattern of these ranges.
   *
   * @throws InvalidWindowException for none, too many or overlapping ranges
   */
  public static WeeklyPattern of(List<WindowRange> ranges) {
    checkCount(ranges.size());
    return new WeeklyPattern(ranges);
  }

  private static void checkCount(int count) {
    if (count == 0) {
      throw new InvalidWindowException(
          "a window needs at least one range, e.g. 'Mon-Fri 19:00-07:00' or 'Sat-Sun all day'");
    }
    if (count > MAX_RANGES) {
      throw new InvalidWindowException(
          "a window has at most " + MAX_RANGES + " ranges; got " + count);
    }
  }

  /**
   * Refuses two ranges opening on the same day that share time, and a range inside another. Other
   * overlaps (a night running on into the next day's range) are how periods join, and are kept.
   */
  private static void checkOverlaps(List<WindowRange> ranges) {
    for (int i = 0; i < ranges.size(); i++) {
      for (int j = i + 1; j < ranges.size(); j++) {
        WindowRange a = ranges.get(i);
        WindowRange b = ranges.get(j);
        for (DayOfWeek day : DayOfWeek.values()) {
          if (a.opensOn(day)
              && b.opensOn(day)
              && intersect(a.startMinute(), a.minutes(), b.startMinute(), b.minutes())) {
            throw new InvalidWindowException(
                "ranges '"
                    + a
                    + "' and '"
                    + b
                    + "' overlap on "
                    + dayName(day)
                    + "; join them into one range");
          }
        }
        DayOfWeek inside = opensInside(b, a);
        if (inside != null) {
          throw insideError(b, inside, a);
        }
        inside = opensInside(a, b);
        if (inside != null) {
          throw insideError(a, inside, b);
        }
      }
    }
  }

  private static InvalidWindowException insideError(
      WindowRange inner, DayOfWeek day, WindowRange outer) {
    String which = inner.dayCount() == 1 ? "" : " on " + dayName(day);
    return new InvalidWindowException(
        "range '"
            + inner
            + "'"
            + which
            + " lies wholly inside '"
            + outer
            + "'; leave it out there");
  }

  private static String dayName(DayOfWeek day) {
    return day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
  }

  /** Whether [s1, s1+m1) and [s2, s2+m2), both starting on one day, share a minute of the week. */
  private static boolean intersect(int s1, int m1, int s2, int m2) {
    return overlap(s1, s1 + m1, s2, s2 + m2)
        || overlap(s1, s1 + m1, s2 + WEEK, s2 + m2 + WEEK)
        || overlap(s1 + WEEK, s1 + m1 + WEEK, s2, s2 + m2);
  }

  private static boolean overlap(int from1, int to1, int from2, int to2) {
    return from1 < to2 && from2 < to1;
  }

  /** The day on which an opening of {@code inner} lies within one of {@code outer}, or null. */
  private static DayOfWeek opensInside(WindowRange inner, WindowRange outer) {
    for (DayOfWeek innerDay : DayOfWeek.values()) {
      if (!inner.opensOn(innerDay)) {
        continue;
      }
      int from = innerDay.ordinal() * DAY + inner.startMinute();
      int to = from + inner.minutes();
      for (DayOfWeek outerDay : DayOfWeek.values()) {
        if (!outer.opensOn(outerDay)) {
          continue;
        }
        int outerFrom = outerDay.ordinal() * DAY + outer.startMinute();
        int outerTo = outerFrom + outer.minutes();
        for (int shift = 0; shift <= WEEK; shift += WEEK) {
          if (outerFrom <= from + shift && to + shift <= outerTo) {
            return innerDay;
          }
        }
      }
    }
    return null;
  }

  public List<WindowRange> ranges() {
    return ranges;
  }

  /** The canonical text, which {@link #parse} reads back to an equal pattern. */
  public String format() {
    return ranges.stream().map(WindowRange::format).collect(Collectors.joining(", "));
  }

  /** Whether every minute of the week is inside some range: the window never closes. */
  public boolean coversWholeWeek() {
    return wholeWeek;
  }

  /** The starts, after local midnight, of the ranges opening on {@code day}, in order. */
  int[] starts(DayOfWeek day) {
    return starts[day.ordinal()];
  }

  /** The lengths, in minutes, of the ranges opening on {@code day}, in the order of starts. */
  int[] lengths(DayOfWeek day) {
    return lengths[day.ordinal()];
  }

  /** The longest range, in minutes. */
  int longest() {
    return longest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeeklyPattern other && ranges.equals(other.ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  @Override
  public String toString() {
    return format();
  }
}
