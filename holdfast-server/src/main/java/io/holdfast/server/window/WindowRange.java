package io.holdfast.server.window;

import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One range of a {@link WeeklyPattern}: on each day from {@code firstDay} to {@code lastDay}
 * (wrapping past Sunday, so {@code Fri-Mon} is Friday, Saturday, Sunday and Monday), open from
 * {@code startMinute} after local midnight for {@code minutes} minutes. A range belongs to the day
 * it starts on: {@code Mon-Fri 19:00-07:00} opens Monday 19:00 and closes Tuesday 07:00, and opens
 * last on Friday 19:00, closing Saturday 07:00.
 *
 * <p>Text forms ({@link #parse}; days and {@code all day} in any case, a dash may be an en dash and
 * have spaces around it):
 *
 * <ul>
 *   <li>{@code Mon-Fri 19:00-07:00}: days, then times; an end before the start is on the next day,
 *       an end of {@code 24:00} (or {@code 00:00}) is the following midnight;
 *   <li>{@code Sat-Sun all day}: the whole of each day, the same as {@code 00:00-24:00};
 *   <li>{@code daily 22:00-05:00}: every day, the same as {@code Mon-Sun};
 *   <li>{@code Fri 19:00-Mon 07:00}: one stretch from a day and time to a later day and time, up to
 *       a week long, for a weekend that should run on into Monday morning.
 * </ul>
 *
 * {@link #format} writes the one canonical text ({@code Mon-Fri 19:00-07:00}, {@code Sat-Sun all
 * day}, {@code daily 22:00-05:00}, {@code Fri 19:00-Mon 07:00}); a stretch of at most a day is
 * written in the first form. Whatever the text, {@code parse(r.format()).equals(r)}.
 *
 * @param firstDay the first day the range opens on
 * @param lastDay the last day the range opens on; equal to {@code firstDay} for one day
 * @param startMinute minutes after local midnight at which it opens, 0 to 1439
 * @param minutes how long it stays open, in local clock minutes: 1 to 10079, more than a day (or a
 *     whole day starting other than at midnight) only when it opens on one day
 */
public record WindowRange(DayOfWeek firstDay, DayOfWeek lastDay, int startMinute, int minutes) {

  /** A range's text is at most this long; a longer one is refused before it is read. */
  public static final int MAX_TEXT_LENGTH = 64;

  static final int DAY = 24 * 60;
  static final int WEEK = 7 * DAY;

  private static final Pattern DASHES = Pattern.compile("\\s*[-\u2013\u2014]\\s*");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern STRETCH =
      Pattern.compile("(\\p{Alpha}+) (\\d{1,2}:\\d{2})-(\\p{Alpha}+) (\\d{1,2}:\\d{2})");
  private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2})");

  public WindowRange {
    if (firstDay == null || lastDay == null) {
      throw new InvalidWindowException("a range needs its first and last day");
    }
    if (startMinute < 0 || startMinute >= DAY) {
      throw new InvalidWindowException(
          "a range starts 0 to 1439 minutes after midnight; got " + startMinute);
    }
    if (minutes < 1 || minutes >= WEEK) {
      throw new InvalidWindowException(
          "a range is open 1 to " + (WEEK - 1) + " minutes; got " + minutes);
    }
    if (!fitsInADay(startMinute, minutes) && firstDay != lastDay) {
      throw new InvalidWindowException(
          "a range open longer than a day opens on one day only, e.g. 'Fri 19:00-Mon 07:00'");
    }
  }

  /**
   * Reads one range.
   *
   * @throws InvalidWindowException naming the range and what is wrong with it
   */
  public static WindowRange parse(String text) {
    String written =
        TypedText.require(
            text,
            "range",
            MAX_TEXT_LENGTH,
            "days and times, e.g. 'Mon-Fri 19:00-07:00' or 'Sat-Sun all day'");
    if (written.indexOf(',') >= 0) {
      throw invalid(written, "one range per entry; split it at the comma");
    }
    String normal = SPACES.matcher(DASHES.matcher(written).replaceAll("-")).replaceAll(" ");
    Matcher stretch = STRETCH.matcher(normal);
    if (stretch.matches()) {
      return stretch(written, stretch);
    }
    int space = normal.indexOf(' ');
    if (space < 0) {
      throw invalid(
          written, "give days and then times, e.g. 'Mon-Fri 19:00-07:00' or 'Sat-Sun all day'");
    }
    String days = normal.substring(0, space);
    String times = normal.substring(space + 1);
    DayOfWeek first;
    DayOfWeek last;
    if (days.equalsIgnoreCase("daily")) {
      first = DayOfWeek.MONDAY;
      last = DayOfWeek.SUNDAY;
    } else {
      String[] ends = days.split("-", -1);
      if (ends.length > 2) {
        throw invalid(written, "'" + days + "' is not a day or a span of days such as Mon-Fri");
      }
      first = day(written, ends[0]);
      last = ends.length == 2 ? day(written, ends[1]) : first;
    }
    if (times.equalsIgnoreCase("all day")) {
      return new WindowRange(first, last, 0, DAY);
    }
    String[] bounds = times.split("-", -1);
    if (bounds.length != 2 || times.indexOf(' ') >= 0) {
      throw invalid(
          written,
          "'"
              + times
              + "' is not a span of times such as 19:00-07:00, or 'all day'; a range that runs"
              + " over several days starts on one day, e.g. 'Fri 19:00-Mon 07:00'");
    }
    int start = time(written, bounds[0], false);
    int end = time(written, bounds[1], true);
    if (start == 0 && end == DAY) {
      return new WindowRange(first, last, 0, DAY);
    }
    if (start == end) {
      throw new InvalidWindowException(
          "range '"
              + written
              + "' starts and ends at "
              + bounds[0]
              + " and so is empty; write 'all day' for a whole day");
    }
    int minutes = end > start ? end - start : end + DAY - start;
    return new WindowRange(first, last, start, minutes);
  }

  private static WindowRange stretch(String written, Matcher m) {
    DayOfWeek from = day(written, m.group(1));
    int start = time(written, m.group(2), false);
    DayOfWeek to = day(written, m.group(3));
    int end = time(written, m.group(4), true);
    int minutes = Math.floorMod((to.ordinal() - from.ordinal()) * DAY + end - start, WEEK);
    if (minutes == 0) {
      throw new InvalidWindowException(
          "range '"
              + written
              + "' ends where it starts and so is empty; 'daily all day' is open all week");
    }
    return new WindowRange(from, from, start, minutes);
  }

  private static DayOfWeek day(String written, String name) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (name.equalsIgnoreCase(shortName(d)) || name.equalsIgnoreCase(d.name())) {
        return d;
      }
    }
    throw invalid(
        written,
        "unknown day '" + name + "': use Mon, Tue, Wed, Thu, Fri, Sat or Sun (or 'daily')");
  }

  /** Minutes after midnight; 24:00 (1440) only as an end. */
  private static int time(String written, String text, boolean end) {
    Matcher m = TIME.matcher(text);
    if (m.matches()) {
      int hour = Integer.parseInt(m.group(1));
      int minute = Integer.parseInt(m.group(2));
      if (hour == 24 && minute == 0) {
        if (end) {
          return DAY;
        }
        throw new InvalidWindowException(
            "range '" + written + "' starts at 24:00: start the next day at 00:00 instead");
      }
      if (hour < 24 && minute < 60) {
        return hour * 60 + minute;
      }
    }
    throw invalid(
        written,
        "'"
            + text
            + "' is not a time of day: use HH:MM from 00:00 to 23:59 (24:00 only as an end)");
  }

  private static InvalidWindowException invalid(String written, String detail) {
    return new InvalidWindowException("range '" + written + "': " + detail);
  }

  static boolean fitsInADay(int startMinute, int minutes) {
    return minutes < DAY || (minutes == DAY && startMinute == 0);
  }

  /** The number of days the range opens on, 1 to 7. */
  int dayCount() {
    return Math.floorMod(lastDay.ordinal() - firstDay.ordinal(), 7) + 1;
  }

  /** Whether the range opens on {@code day}. */
  boolean opensOn(DayOfWeek day) {
    return Math.floorMod(day.ordinal() - firstDay.ordinal(), 7) < dayCount();
  }

  /** The canonical text, which {@link #parse} reads back to an equal range. */
  public String format() {
    if (!fitsInADay(startMinute, minutes)) {
      int end = startMinute + minutes;
      DayOfWeek endDay = firstDay.plus(end / DAY);
      return shortName(firstDay)
          + " "
          + clock(startMinute)
          + "-"
          + shortName(endDay)
          + " "
          + clock(end % DAY);
    }
    String days;
    if (firstDay == DayOfWeek.MONDAY && lastDay == DayOfWeek.SUNDAY) {
      days = "daily";
    } else if (firstDay == lastDay) {
      days = shortName(firstDay);
    } else {
      days = shortName(firstDay) + "-" + shortName(lastDay);
    }
    if (minutes == DAY) {
      return days + " all day";
    }
    int end = startMinute + minutes;
    return days + " " + clock(startMinute) + "-" + (end == DAY ? "24:00" : clock(end % DAY));
  }

  @Override
  public String toString() {
    return format();
  }

  private static String shortName(DayOfWeek d) {
    return d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
  }

  private static String clock(int minuteOfDay) {
    return String.format(Locale.ROOT, "%02d:%02d", minuteOfDay / 60, minuteOfDay % 60);
  }
}
