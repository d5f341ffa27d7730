package io.holdfast.cli.soak;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's wall clock that the nemesis steps forwards or back, as NTP or an operator does, on top
 * of the system clock. The client's monotonic ticker is left alone: stepping this must not shorten
 * or extend any grace period. Thread-safe.
 */
final class SteppableClock extends Clock {

  private final AtomicLong offsetMillis = new AtomicLong();

  /** Moves the clock by {@code step} (negative: back). */
  void step(Duration step) {
    offsetMillis.addAndGet(step.toMillis());
  }

  /** Back to the system clock. */
  void reset() {
    offsetMillis.set(0);
  }

  @Override
  public Instant instant() {
    return Instant.now().plusMillis(offsetMillis.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a soak clock is always UTC");
  }
}
