package io.holdfast.cli.gameday;

import java.time.Duration;
import java.util.Locale;

/** How the game day writes durations: {@code +12.3s} on the timeline, {@code 30s} for settings. */
final class Durations {

  private Durations() {}

  /** {@code +12.3s}: a moment on the timeline. */
  static String seconds(Duration at) {
    return String.format(Locale.ROOT, "+%.1fs", at.toMillis() / 1000.0);
  }

  /** {@code 12.3 s}: a span. */
  static String span(Duration span) {
    return String.format(Locale.ROOT, "%.1f s", span.toMillis() / 1000.0);
  }

  /** {@code 30s}, {@code 120s}, {@code 1500ms}: a setting as the command line takes it. */
  static String text(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
