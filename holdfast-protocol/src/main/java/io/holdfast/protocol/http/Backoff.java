package io.holdfast.protocol.http;

import java.time.Duration;
import java.util.Random;

/**
 * Capped exponential backoff with full jitter (a uniformly random wait between zero and the
 * exponential bound), so that a fleet that lost its replicas together does not come back together.
 * A server's {@code Retry-After} is honoured up to {@code maxRetryAfter}, plus a random part of up
 * to half of it again: a replica that refuses a whole herd with the same {@code Retry-After} would
 * otherwise meet the same herd again, all at once, that many seconds later.
 *
 * <p>Part of the protocol because it is the clients' side of the replicas' overload contract
 * (shedding with 503 and {@code Retry-After} works only if clients back off like this): the SDK
 * uses it, and so does the push benchmark's simulated fleet. Not thread-safe: one per client.
 */
public final class Backoff {

  private final Duration base;
  private final Duration cap;
  private final Duration maxRetryAfter;
  private final Random random;
  private int attempt;

  public Backoff(Duration base, Duration cap, Duration maxRetryAfter, Random random) {
    this.base = base;
    this.cap = cap;
    this.maxRetryAfter = maxRetryAfter;
    this.random = random;
  }

  /**
   * The longest wait after an attempt that found nothing listening at the replica's address (the
   * connection refused at once), whatever the cap: a replica that is down or restarting is asked
   * again at this pace, which costs it nothing, so a fleet is back within about this long of the
   * replica being ready instead of within the cap (a minute in the SDK). Full jitter spreads the
   * fleet's return over the whole interval, and the replica's admission control answers any excess
   * with 503 and {@code Retry-After}, which {@link #next} honours (issue 21).
   */
  public static final Duration REFUSED_CAP = Duration.ofSeconds(5);

  /** The wait before the next attempt; {@code retryAfter} may be {@code null}. */
  public Duration next(Duration retryAfter) {
    return next(retryAfter, cap.toNanos());
  }

  /**
   * The wait before the next attempt after the connection was refused: as {@link #next} with no
   * {@code Retry-After}, capped at {@link #REFUSED_CAP} if that is below the cap.
   */
  public Duration nextRefused() {
    return next(null, Math.min(cap.toNanos(), REFUSED_CAP.toNanos()));
  }

  private Duration next(Duration retryAfter, long capNanos) {
    int shift = Math.min(attempt, 30);
    // Compared before shifting: base·2ⁿ can overflow a long and wrap to a small positive bound.
    long bound = base.toNanos() > (capNanos >> shift) ? capNanos : base.toNanos() << shift;
    if (attempt < 31) {
      attempt++;
    }
    long jittered = (long) (random.nextDouble() * bound);
    Duration wait = Duration.ofNanos(jittered);
    if (retryAfter != null) {
      Duration honoured = retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
      Duration spread = honoured.plusNanos((long) (random.nextDouble() * (honoured.toNanos() / 2)));
      if (spread.compareTo(wait) > 0) {
        wait = spread;
      }
    }
    return wait;
  }

  public void reset() {
    attempt = 0;
  }

  /** Parses {@code Retry-After} as delay-seconds; an HTTP-date or garbage gives {@code null}. */
  public static Duration parseRetryAfter(String value) {
    if (value == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value.strip());
      return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 86_400));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
