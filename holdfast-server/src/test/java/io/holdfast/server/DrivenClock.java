package io.holdfast.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it: a whole replica's, or a store's. Thread-safe. */
public final class DrivenClock extends Clock {

  private volatile Instant now;

  public DrivenClock(Instant start) {
    this.now = start;
  }

  public void set(Instant instant) {
    now = java.util.Objects.requireNonNull(instant, "instant");
  }

  public synchronized void advance(Duration step) {
    now = now.plus(step);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
