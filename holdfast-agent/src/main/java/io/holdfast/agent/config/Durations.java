package io.holdfast.agent.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as the Spring Boot starter accepts them: {@code 100ms}, {@code 10s}, {@code
 * 5m}, {@code 8h}, {@code 1d}, ISO-8601 ({@code PT8H}), or a bare number of milliseconds.
 */
final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)?");

  private Durations() {}

  /**
   * @throws IllegalArgumentException naming the setting and the text
   */
  static Duration parse(String setting, String text) {
    Matcher simple = SIMPLE.matcher(text);
    if (simple.matches()) {
      long amount = Long.parseLong(simple.group(1));
      String unit = simple.group(2) == null ? "ms" : simple.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          setting + ": '" + text + "' is not a duration (10s, 5m, 8h, 100ms or PT8H)", e);
    }
  }
}
