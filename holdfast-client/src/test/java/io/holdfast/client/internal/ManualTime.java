package io.holdfast.client.internal;

import io.holdfast.client.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Time the test drives: a monotonic ticker (an {@link AtomicLong}) and a wall clock that only move
 * when told. {@link #advance} moves both; {@link #jumpWall} moves only the wall clock, as an NTP
 * step would.
 */
public final class ManualTime {

  public static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
  private final AtomicReference<Instant> wall = new AtomicReference<>(START);
  private final Ticker ticker = nanos::get;
  private final Clock clock = new MutableClock(ZoneOffset.UTC);

  public Ticker ticker() {
    return ticker;
  }

  public Clock clock() {
    return clock;
  }

  public long tick() {
    return nanos.get();
  }

  public Instant now() {
    return wall.get();
  }

  /** Time passes: the ticker and the wall clock both move forward. */
  public void advance(Duration amount) {
    advanceNanos(amount.toNanos());
  }

  public void advanceNanos(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("monotonic time never goes back");
    }
    nanos.addAndGet(amount);
    wall.updateAndGet(w -> w.plusNanos(amount));
  }

  /** Only the wall clock moves, in either direction; the ticker does not notice. */
  public void jumpWall(Duration amount) {
    wall.updateAndGet(w -> w.plus(amount));
  }

  private final class MutableClock extends Clock {
    private final ZoneId zone;

    MutableClock(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
      return new MutableClock(other);
    }

    @Override
    public Instant instant() {
      return wall.get();
    }
  }
}
