package io.holdfast.server.window;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calendar days on which nothing is released: a customer's quarter-end, Black Friday. The days run
 * from {@code from} to {@code to}, both included, as the local calendar of {@code zone} reads them,
 * or of the instance's own zone when the blackout names none (so a global "Black Friday" is each
 * customer's own Friday). A day starts and ends as {@link LocalBoundary} reads midnight, so summer
 * time never shortens a blackout either.
 *
 * <p><b>Text</b> (CLI): {@code 2027-11-26..2027-11-29 in America/New_York: Black Friday}; one day
 * is {@code 2027-12-24: Christmas Eve}, and {@code in <zone>} is optional. The reason follows the
 * first colon and may itself hold colons. <b>JSON</b> (admin API): {@code {"from": "2027-11-26",
 * "to": "2027-11-29", "zone": "America/New_York", "reason": "Black Friday"}}, with {@code to} and
 * {@code zone} optional; {@link #of(String, String, String, String)} reads it.
 *
 * @param from the first day, included
 * @param to the last day, included; {@code from} itself for one day
 * @param zone whose calendar the days are in; empty for the instance's own
 * @param reason why, for the operators who find a change waiting: one line, 1 to 200 characters
 */
public record Blackout(LocalDate from, LocalDate to, Optional<ZoneId> zone, String reason) {

  /** At most this many blackouts at one level: globally, for one ring, or for one instance. */
  public static final int MAX_PER_LEVEL = 366;

  /** A blackout lasts at most this many days; a longer stop is a freeze. */
  public static final int MAX_DAYS = 366;

  /** A reason is at most this long. */
  public static final int MAX_REASON_LENGTH = 200;

  /** A blackout's text is at most this long. */
  public static final int MAX_TEXT_LENGTH = 400;

  private static final int FIRST_YEAR = 1970;
  private static final int LAST_YEAR = 9999;
  private static final Pattern DAYS =
      Pattern.compile(
          "(\\S+?)(?:\\s*\\.\\.\\s*(\\S+?))?(?:\\s+in\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);

  public Blackout {
    if (from == null || to == null) {
      throw new InvalidWindowException("a blackout needs its first and last day");
    }
    Objects.requireNonNull(zone, "zone");
    zone.ifPresent(IanaZone::require);
    if (from.getYear() < FIRST_YEAR || to.getYear() > LAST_YEAR) {
      throw new InvalidWindowException(
          "blackout from "
              + from
              + " to "
              + to
              + ": dates are in the years "
              + FIRST_YEAR
              + " to "
              + LAST_YEAR);
    }
    if (to.isBefore(from)) {
      throw new InvalidWindowException(
          "blackout from " + from + " to " + to + " ends before it starts");
    }
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    if (days > MAX_DAYS) {
      throw new InvalidWindowException(
          "blackout from "
              + from
              + " to "
              + to
              + " lasts "
              + days
              + " days; at most "
              + MAX_DAYS
              + " (stop everything for longer with a freeze)");
    }
    if (reason == null || reason.isBlank()) {
      throw new InvalidWindowException(
          "blackout from " + from + " to " + to + " needs a reason, e.g. 'Black Friday'");
    }
    reason = reason.strip();
    if (reason.length() > MAX_REASON_LENGTH) {
      throw new InvalidWindowException(
          "blackout from "
              + from
              + " to "
              + to
              + ": the reason is "
              + reason.length()
              + " characters; at most "
              + MAX_REASON_LENGTH);
    }
    if (reason.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidWindowException(
          "blackout from "
              + from
              + " to "
              + to
              + ": the reason is one line, without control characters");
    }
  }

  /**
   * Reads the text form, e.g. {@code 2027-11-26..2027-11-29 in America/New_York: Black Friday}.
   *
   * @throws InvalidWindowException naming what is wrong
   */
  public static Blackout parse(String text) {
    String written =
        TypedText.require(
            text,
            "blackout",
            MAX_TEXT_LENGTH,
            "days and a reason, e.g. '2027-11-26..2027-11-29: Black Friday'");
    int colon = written.indexOf(':');
    if (colon < 0) {
      throw invalid(
          written, "give a reason after a colon, e.g. '2027-11-26..2027-11-29: Black Friday'");
    }
    Matcher m = DAYS.matcher(written.substring(0, colon).strip());
    if (!m.matches()) {
      throw invalid(
          written,
          "write a day (YYYY-MM-DD) or days (YYYY-MM-DD..YYYY-MM-DD), optionally 'in <zone>', then"
              + " a colon and the reason");
    }
    return of(m.group(1), m.group(2), m.group(3), written.substring(colon + 1));
  }

  private static InvalidWindowException invalid(String written, String detail) {
    return new InvalidWindowException("blackout '" + written + "': " + detail);
  }

  /**
   * The blackout the admin API's JSON describes.
   *
   * @param to the last day, or null for one day
   * @param zone an IANA zone, or null for the instance's own
   * @throws InvalidWindowException naming what is wrong
   */
  public static Blackout of(String from, String to, String zone, String reason) {
    LocalDate first = date(from);
    LocalDate last = to == null ? first : date(to);
    Optional<ZoneId> in = zone == null ? Optional.empty() : Optional.of(IanaZone.parse(zone));
    return new Blackout(first, last, in, reason);
  }

  /**
   * An unmodifiable copy of one level's blackouts.
   *
   * @throws InvalidWindowException for more than {@link #MAX_PER_LEVEL}
   */
  public static List<Blackout> listOf(List<Blackout> blackouts) {
    if (blackouts.size() > MAX_PER_LEVEL) {
      throw new InvalidWindowException(
          "at most "
              + MAX_PER_LEVEL
              + " blackouts at one level (global, a ring or an instance); got "
              + blackouts.size());
    }
    return List.copyOf(blackouts);
  }

  private static LocalDate date(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidWindowException("a blackout needs its first day, as YYYY-MM-DD");
    }
    if (text.length() > 10) {
      throw new InvalidWindowException(
          "blackout day '" + text.substring(0, 10) + "…' is not a date: use YYYY-MM-DD");
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidWindowException("blackout day '" + text + "' is not a date: use YYYY-MM-DD");
    }
  }

  /** Whether nothing is released on local calendar day {@code day}. */
  boolean covers(LocalDate day) {
    return !day.isBefore(from) && !day.isAfter(to);
  }

  /** The zone whose calendar the days are in, for an instance whose own zone is {@code local}. */
  ZoneId zoneFor(ZoneId local) {
    return zone.orElse(local);
  }

  /** The instant the first day begins. */
  Instant start(ZoneId local) {
    return LocalBoundary.opening(zoneFor(local).getRules(), from.atStartOfDay());
  }

  /** The instant the last day is over: the day after it begins. */
  Instant end(ZoneId local) {
    return LocalBoundary.closing(zoneFor(local).getRules(), to.plusDays(1).atStartOfDay());
  }

  /** The canonical text, which {@link #parse} reads back to an equal blackout. */
  public String format() {
    StringBuilder text = new StringBuilder().append(from);
    if (!to.equals(from)) {
      text.append("..").append(to);
    }
    zone.ifPresent(z -> text.append(" in ").append(z.getId()));
    return text.append(": ").append(reason).toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
