package io.holdfast.cli.gameday;

import io.holdfast.cli.fleet.Fleet;
import io.holdfast.cli.fleet.FleetView;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Reads the canary fleet's view about once a second while the drill waits, keeps the worst it saw
 * (most STALE, most EXPIRED at once) and prints a status line when the picture changes, and every
 * {@value #QUIET_SECONDS} seconds when it does not. Used from the drill's thread only.
 */
final class FleetSampler {

  static final int QUIET_SECONDS = 5;
  private static final Duration TICK = Duration.ofSeconds(1);

  private final Fleet fleet;
  private final Timeline timeline;
  private final Supplier<String> probeLine;
  private FleetView last;
  private String lastLine;
  private Duration lastPrinted = Duration.ZERO;
  private int maxStale;
  private int maxExpired;

  /**
   * @param probeLine what the probe sees now, for the status line
   */
  FleetSampler(Fleet fleet, Timeline timeline, Supplier<String> probeLine) {
    this.fleet = fleet;
    this.timeline = timeline;
    this.probeLine = probeLine;
  }

  /**
   * Samples until {@code done} holds (checked after each sample) or {@code span} has passed.
   *
   * @return whether {@code done} held in time
   */
  boolean sampleUntil(Duration span, BooleanSupplier done) {
    long deadline = System.nanoTime() + span.toNanos();
    while (true) {
      sample();
      if (done.getAsBoolean()) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      // Paces the drill at about one sample a second; the deadline bounds the wait.
      LockSupport.parkNanos(Math.min(left, TICK.toNanos()));
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
  }

  /** Samples for {@code span}, whatever happens. */
  void sampleFor(Duration span) {
    sampleUntil(span, () -> false);
  }

  /** Reads the fleet once and prints a status line if it is due. */
  FleetView sample() {
    FleetView view = fleet.view();
    last = view;
    maxStale = Math.max(maxStale, view.stale());
    maxExpired = Math.max(maxExpired, view.expired());
    String line = statusLine(view, probeLine.get());
    Duration now = timeline.now();
    if (!line.equals(lastLine) || now.minus(lastPrinted).toSeconds() >= QUIET_SECONDS) {
      lastPrinted = timeline.print(line);
      lastLine = line;
    }
    return view;
  }

  static String statusLine(FleetView v, String probe) {
    return "fleet "
        + v.members()
        + ": FRESH "
        + v.fresh()
        + " STALE "
        + v.stale()
        + " EXPIRED "
        + v.expired()
        + (v.unstarted() > 0 ? " unstarted " + v.unstarted() : "")
        + " | admitted "
        + v.admissions()
        + ", denied "
        + v.denied()
        + " (holders "
        + v.holdersDenied()
        + ") | app errors "
        + v.applicationErrors()
        + " | probe: "
        + probe;
  }

  /** Whether the latest sample found every member FRESH. */
  boolean allFresh() {
    return last != null && last.allFresh();
  }

  /** The latest view; {@code null} before the first sample. */
  FleetView last() {
    return last;
  }

  int maxStale() {
    return maxStale;
  }

  int maxExpired() {
    return maxExpired;
  }
}
