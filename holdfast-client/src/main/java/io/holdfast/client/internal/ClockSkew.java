package io.holdfast.client.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * How far the replicas' clocks are from this one, read from the {@code Date} header of their
 * answers (FAULTS A20, B10).
 *
 * <p>Nothing the client decides depends on it: grace runs on the monotonic clock and documents
 * carry no expiry, so a skewed clock on either side cannot lock an instance out. It is reported
 * because a skewed host clock breaks other things (certificates, logs, contract dates) and is worth
 * an operator's look: a warning when the offset crosses the threshold, once, and a note when it is
 * back under. {@code Date} has one-second resolution, so offsets below a few seconds are noise.
 * Thread-safe.
 */
final class ClockSkew {

  private final Clock clock;
  private final Duration threshold;
  private final Logger log;
  private volatile Duration estimate;

  /**
   * Replicas whose skew was last reported as too large; per replica, so failover is no flapping.
   */
  private final java.util.Set<String> warned = new java.util.HashSet<>();

  ClockSkew(Clock clock, Duration threshold, Logger log) {
    this.clock = clock;
    this.threshold = threshold;
    this.log = log;
  }

  /** Takes one answer's {@code Date} header; absent or malformed headers are ignored. */
  public void observe(String dateHeader, Object replica) {
    observe(dateHeader, null, replica);
  }

  /**
   * As {@link #observe(String, Object)}, for an answer with an {@code Age}: a cache's copy carries
   * the origin's {@code Date}, so it says nothing about anyone's clock and is skipped.
   */
  public void observe(String dateHeader, String ageHeader, Object replica) {
    if (dateHeader == null || ageHeader != null) {
      return;
    }
    Instant server;
    try {
      server = DateTimeFormatter.RFC_1123_DATE_TIME.parse(dateHeader, Instant::from);
    } catch (DateTimeException e) {
      return;
    }
    Duration skew = Duration.between(clock.instant(), server);
    estimate = skew;
    boolean over = skew.abs().compareTo(threshold) > 0;
    String key = String.valueOf(replica);
    synchronized (this) {
      boolean wasOver = warned.contains(key);
      if (over && !wasOver) {
        log.log(
            Level.WARNING,
            "the clock of replica {0} is {1} s away from this host''s clock (more than {2} s); "
                + "check NTP on both: grace is unaffected, certificates and contract dates are not",
            replica,
            skew.toSeconds(),
            threshold.toSeconds());
      } else if (!over && wasOver) {
        log.log(
            Level.INFO,
            "the clock of replica {0} agrees with this host again (offset {1} s)",
            replica,
            skew.toSeconds());
      }
      if (over) {
        warned.add(key);
      } else {
        warned.remove(key);
      }
    }
  }

  /** The last offset seen (replica minus local), if any replica has answered yet. */
  public Optional<Duration> estimate() {
    return Optional.ofNullable(estimate);
  }
}
