package io.holdfast.server.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Times and durations as operators read them: {@code 2 h 05 min}, {@code 12 s ago}. Stateless. */
final class HumanTime {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private HumanTime() {}

  static String duration(Duration duration) {
    if (duration == null) {
      return "–";
    }
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 120) {
      return seconds + " s";
    }
    long minutes = seconds / 60;
    if (minutes < 120) {
      return minutes + " min";
    }
    long hours = minutes / 60;
    if (hours < 48) {
      return hours + " h " + String.format("%02d", minutes % 60) + " min";
    }
    return hours / 24 + " d " + hours % 24 + " h";
  }

  /** {@code 12 s ago}, or {@code never}. */
  static String ago(Instant then, Instant now) {
    if (then == null) {
      return "never";
    }
    Duration elapsed = Duration.between(then, now);
    return elapsed.isNegative() ? "just now" : duration(elapsed) + " ago";
  }

  static String stamp(Instant instant) {
    return instant == null ? "–" : STAMP.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** The machine-readable form for a {@code <time datetime>} attribute. */
  static String iso(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
