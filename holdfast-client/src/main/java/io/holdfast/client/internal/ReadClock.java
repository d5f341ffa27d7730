package io.holdfast.client.internal;

import io.holdfast.client.Ticker;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The time reads judge freshness by, cheaper than the monotonic clock (issue 21): a coarse reading
 * that a daemon thread of the client advances every {@link #PERIOD}, so that a read costs a
 * volatile load instead of a {@link Ticker#read()} (about 30 ns, more than the rest of a read).
 *
 * <p>Design memo. A coarse reading lags real time by up to the period, so on its own it would
 * report a passed deadline late, and a stalled clock thread would hide expiry for as long as it
 * stalls (the guarantee of FAULTS I12 is that a stuck loop cannot hide expiry). Three rules keep
 * the guarantee:
 *
 * <ul>
 *   <li>a read whose coarse reading is within {@link #slackNanos()} of a deadline is judged again
 *       by the real clock ({@link #exact()}), so while the thread keeps its pace every deadline is
 *       seen at the exact time;
 *   <li>one read in {@value #SAMPLE} (chosen at random per thread, so readers share no counter)
 *       reads the real clock anyway, and if the coarse reading is more than the slack behind it,
 *       marks the clock stalled: from then on every read reads the real clock, until the thread
 *       runs again. A stalled thread therefore hides nothing for more than a few dozen reads;
 *   <li>before {@link #start()} and after {@link #stop()} the clock counts as stalled: every read
 *       is exact, as it is for a client with an injected ticker ({@link #exact(Ticker)}).
 * </ul>
 *
 * The coarse reading never runs ahead of the real clock, so nothing is reported early. Thread-safe.
 */
public final class ReadClock {

  /** How often the clock thread advances the coarse reading. */
  static final Duration PERIOD = Duration.ofMillis(10);

  /** How far behind the real clock the coarse reading may be while its thread keeps pace. */
  static final Duration SLACK = Duration.ofMillis(50);

  /** One read in this many checks the coarse reading against the real clock; a power of two. */
  static final int SAMPLE = 32;

  private final Ticker source;
  private final boolean coarse;
  private volatile long reading;
  private volatile boolean stalled = true;
  private volatile Thread thread;

  private ReadClock(Ticker source, boolean coarse) {
    this.source = source;
    this.coarse = coarse;
  }

  /** Every read reads {@code source}: for injected tickers, which tests drive by hand. */
  public static ReadClock exact(Ticker source) {
    return new ReadClock(source, false);
  }

  /** A coarse reading of {@code source}, advanced by {@link #advance()} or a started thread. */
  public static ReadClock coarse(Ticker source) {
    return new ReadClock(source, true);
  }

  /** A reading at most the slack behind real time while the clock keeps pace; see the memo. */
  long read() {
    if (!coarse || stalled) {
      return source.read();
    }
    long seen = reading;
    if ((ThreadLocalRandom.current().nextInt() & (SAMPLE - 1)) != 0) {
      return seen;
    }
    long now = source.read();
    if (now - seen > SLACK.toNanos()) {
      stalled = true;
    }
    return now;
  }

  /** The real clock, for a read close to a deadline. */
  long exact() {
    return source.read();
  }

  /** How close to a deadline a reading must be for the read to check the real clock. */
  long slackNanos() {
    return coarse ? SLACK.toNanos() : 0;
  }

  /** Moves the coarse reading to now; the clock thread's work, and tests'. */
  void advance() {
    reading = source.read();
    stalled = false;
  }

  /** Starts the daemon thread that advances a coarse clock; does nothing for an exact one. */
  synchronized void start() {
    if (!coarse || thread != null) {
      return;
    }
    Thread ticker = new Thread(this::run, "holdfast-client-clock");
    ticker.setDaemon(true);
    thread = ticker;
    advance();
    ticker.start();
  }

  /** Stops the thread; reads are exact from now on. */
  synchronized void stop() {
    Thread ticker = thread;
    thread = null;
    stalled = true;
    if (ticker != null) {
      LockSupport.unpark(ticker);
    }
  }

  private void run() {
    Thread self = Thread.currentThread();
    while (thread == self) {
      advance();
      LockSupport.parkNanos(this, PERIOD.toNanos());
      // Nobody but stop() has reason to interrupt this thread; a flag left set would make every
      // park return at once and the loop spin.
      Thread.interrupted();
    }
    stalled = true;
  }
}
