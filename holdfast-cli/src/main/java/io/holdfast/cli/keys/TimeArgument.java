package io.holdfast.cli.keys;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An instant on the command line: either absolute (RFC 3339 in UTC, {@code 2027-03-01T00:00:00Z})
 * or relative to the key set's issue time ({@code 90d}, {@code 36h}, {@code 30m}, or an ISO 8601
 * duration such as {@code P90D}). Relative times keep scripts free of date arithmetic; absolute
 * ones let several key sets share a boundary.
 */
record TimeArgument(String text, Instant absolute, Duration relative) {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,6})([dhm])");

  /**
   * @throws IllegalArgumentException saying which forms are accepted
   */
  static TimeArgument parse(String text) {
    Matcher m = SHORT.matcher(text);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      Duration duration =
          switch (m.group(2)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofMinutes(amount);
          };
      return positive(text, duration);
    }
    if (text.startsWith("P") || text.startsWith("p")) {
      try {
        return positive(text, Duration.parse(text));
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    try {
      return new TimeArgument(text, Instant.parse(text), null);
    } catch (DateTimeParseException e) {
      throw invalid(text);
    }
  }

  private static TimeArgument positive(String text, Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'" + text + "' is not a positive duration");
    }
    return new TimeArgument(text, null, duration);
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "'"
            + text
            + "' is neither an instant such as 2027-03-01T00:00:00Z nor a duration such as 90d, 36h,"
            + " 30m or P90D");
  }

  // Instant.toString writes later years with a sign ("+10000-01-01T00:00:00Z"), which no RFC 3339
  // reader, the key set parser included, accepts: a key set holding one could never be read back.
  private static final Instant LAST = Instant.parse("9999-12-31T23:59:59Z");

  /**
   * The instant this names, for a key set issued at {@code issuedAt}.
   *
   * @throws IllegalArgumentException if it falls after the year 9999
   */
  Instant resolve(Instant issuedAt) {
    Instant resolved;
    try {
      resolved = absolute != null ? absolute : issuedAt.plus(relative);
    } catch (DateTimeException | ArithmeticException e) {
      resolved = Instant.MAX;
    }
    if (resolved.isAfter(LAST)) {
      throw new IllegalArgumentException("'" + text + "' is after the year 9999");
    }
    return resolved;
  }
}
