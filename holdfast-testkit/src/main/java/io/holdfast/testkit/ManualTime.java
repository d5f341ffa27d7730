package io.holdfast.testkit;

import io.holdfast.client.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Time that a test drives explicitly: a monotonic {@link Ticker} and a wall {@link Clock} (UTC)
 * that only move when the test says so.
 *
 * <p>{@link #advance(Duration)} lets time pass: it moves both. {@link #jumpWall(Duration)} moves
 * only the wall clock, in either direction, as an NTP step or an operator changing the date would;
 * the ticker does not notice. Hand {@link #ticker()} and {@link #clock()} to the code under test in
 * place of {@link Ticker#system()} and {@link Clock#systemUTC()}.
 *
 * <pre>{@code
 * ManualTime time = new ManualTime();
 * // build the client with time.ticker() and time.clock()
 * time.advance(Duration.ofHours(7).plusMinutes(59));
 * time.jumpWall(Duration.ofDays(-1));
 * }</pre>
 *
 * <p><b>Thread safety.</b> Safe for use from any number of threads. Each reading and each move is
 * atomic; {@link #advance(Duration)} moves the ticker and then the wall clock, so a reader on
 * another thread may briefly see one moved and not yet the other.
 */
public final class ManualTime {

  /** The wall instant a {@link #ManualTime()} starts at: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final AtomicLong tickerNanos = new AtomicLong();
  private final AtomicReference<Instant> wall;
  private final Ticker ticker = tickerNanos::get;
  private final Clock utc = new WallClock(ZoneOffset.UTC);

  /** Starts at {@link #DEFAULT_START}, with the ticker at 0. */
  public ManualTime() {
    this(DEFAULT_START);
  }

  /**
   * Starts at the given wall instant, with the ticker at 0.
   *
   * @param wallStart what {@link #clock()} reads until time is moved
   */
  public ManualTime(Instant wallStart) {
    this.wall = new AtomicReference<>(Objects.requireNonNull(wallStart, "wallStart"));
  }

  /** The monotonic ticker, in nanoseconds; it starts at 0 and never goes back. */
  public Ticker ticker() {
    return ticker;
  }

  /** The wall clock, in UTC. {@link Clock#withZone(ZoneId)} gives views of the same time. */
  public Clock clock() {
    return utc;
  }

  /**
   * Lets time pass: moves the ticker and the wall clock forward by {@code amount}.
   *
   * @param amount how much time passes; zero or positive
   * @throws IllegalArgumentException if {@code amount} is negative (monotonic time never goes back;
   *     use {@link #jumpWall(Duration)} to set the wall clock back)
   */
  public void advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("monotonic time cannot go back: " + amount);
    }
    tickerNanos.addAndGet(amount.toNanos());
    wall.updateAndGet(now -> now.plus(amount));
  }

  /**
   * Steps only the wall clock, as an NTP correction or a changed system date would; the ticker does
   * not move.
   *
   * @param amount the step; negative sets the wall clock back
   */
  public void jumpWall(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    wall.updateAndGet(now -> now.plus(amount));
  }

  @Override
  public String toString() {
    return "ManualTime[ticker=" + tickerNanos.get() + "ns, wall=" + wall.get() + "]";
  }

  /** A view of the wall time in some zone; every view reads the same instant. */
  private final class WallClock extends Clock {
    private final ZoneId zone;

    WallClock(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
      return newZone.equals(zone) ? this : new WallClock(newZone);
    }

    @Override
    public Instant instant() {
      return wall.get();
    }

    @Override
    public String toString() {
      return "ManualTime.clock[" + wall.get() + ", " + zone + "]";
    }
  }
}
