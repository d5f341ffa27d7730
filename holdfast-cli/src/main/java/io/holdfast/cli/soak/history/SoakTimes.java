package io.holdfast.cli.soak.history;

import java.util.Locale;

/** Soak times (nanoseconds since the start) in words for reports. Stateless. */
final class SoakTimes {

  private static final double NANOS_PER_SECOND = 1e9;

  private SoakTimes() {}

  /** {@code 12.345s}. */
  static String format(long nanos) {
    return String.format(Locale.ROOT, "%.3fs", nanos / NANOS_PER_SECOND);
  }
}
