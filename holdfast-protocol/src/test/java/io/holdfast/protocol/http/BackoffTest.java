package io.holdfast.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Duration BASE = Duration.ofMillis(200);
  private static final Duration CAP = Duration.ofMinutes(1);
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  /** A "random" source that always draws the same fraction, to pin the jitter's bound. */
  private static Random fixed(double fraction) {
    return new Random() {
      @Override
      public double nextDouble() {
        return fraction;
      }
    };
  }

  private static long bound(Duration base, Duration cap, int attempt) {
    java.math.BigInteger exponential =
        java.math.BigInteger.valueOf(base.toNanos()).shiftLeft(Math.min(attempt, 30));
    return exponential.min(java.math.BigInteger.valueOf(cap.toNanos())).longValueExact();
  }

  @Test
  void A2_fullJitter_staysWithinZeroAndTheCappedExponential() {
    Backoff backoff = new Backoff(BASE, CAP, MAX_RETRY_AFTER, new Random(42));
    long maxSeen = 0;
    for (int attempt = 0; attempt < 40; attempt++) {
      long wait = backoff.next(null).toNanos();
      assertThat(wait).isBetween(0L, bound(BASE, CAP, attempt));
      maxSeen = Math.max(maxSeen, wait);
    }
    assertThat(maxSeen)
        .as("jitter reaches well into the capped range")
        .isGreaterThan(CAP.toNanos() / 4);
  }

  @Test
  void B9_refusedConnections_waitAtMostTheRefusedCap_fullJitterBelowIt() {
    Backoff top = new Backoff(BASE, CAP, MAX_RETRY_AFTER, fixed(0.999_999));
    for (int attempt = 0; attempt < 40; attempt++) {
      Duration wait = top.nextRefused();
      assertThat(wait)
          .as("attempt %d after a refusal", attempt)
          .isLessThanOrEqualTo(Backoff.REFUSED_CAP)
          .isLessThanOrEqualTo(Duration.ofNanos(bound(BASE, CAP, attempt)));
    }
    assertThat(top.nextRefused())
        .as("a long outage still probes at the refused cap, not the minute")
        .isGreaterThan(Backoff.REFUSED_CAP.multipliedBy(9).dividedBy(10));
    assertThat(top.next(null))
        .as("any other failure keeps the configured cap")
        .isGreaterThan(CAP.dividedBy(2));
    Backoff bottom = new Backoff(BASE, CAP, MAX_RETRY_AFTER, fixed(0));
    assertThat(bottom.nextRefused()).as("full jitter reaches zero").isZero();
  }

  @Test
  void B9_refusedCap_neverRaisesASmallerConfiguredCap() {
    Duration smallCap = Duration.ofSeconds(2);
    Backoff backoff = new Backoff(BASE, smallCap, MAX_RETRY_AFTER, fixed(0.999_999));
    for (int attempt = 0; attempt < 20; attempt++) {
      assertThat(backoff.nextRefused()).isLessThanOrEqualTo(smallCap);
    }
  }

  @Test
  void B9_jitter_spreadsAFleetThatFailedTogether() {
    long[] waits = new long[50];
    for (int client = 0; client < waits.length; client++) {
      Backoff backoff = new Backoff(BASE, CAP, MAX_RETRY_AFTER, new Random(client));
      for (int attempt = 0; attempt < 10; attempt++) {
        waits[client] = backoff.next(null).toNanos();
      }
    }
    assertThat(java.util.Arrays.stream(waits).distinct().count()).isGreaterThan(45);
    assertThat(java.util.Arrays.stream(waits).min().getAsLong()).isLessThan(CAP.toNanos() / 4);
    assertThat(java.util.Arrays.stream(waits).max().getAsLong())
        .isGreaterThan(CAP.toNanos() * 3 / 4);
  }

  @Test
  void theBound_doublesPerAttempt_untilTheCap() {
    Backoff backoff = new Backoff(BASE, CAP, MAX_RETRY_AFTER, fixed(0.999_999));

    assertThat(backoff.next(null)).isBetween(Duration.ofMillis(199), BASE);
    assertThat(backoff.next(null)).isBetween(Duration.ofMillis(399), BASE.multipliedBy(2));
    assertThat(backoff.next(null)).isBetween(Duration.ofMillis(799), BASE.multipliedBy(4));
    for (int i = 0; i < 50; i++) {
      assertThat(backoff.next(null)).isLessThanOrEqualTo(CAP);
    }
    assertThat(backoff.next(null)).isGreaterThan(CAP.multipliedBy(99).dividedBy(100));
  }

  @Test
  void reset_startsAgainFromTheBase() {
    Backoff backoff = new Backoff(BASE, CAP, MAX_RETRY_AFTER, fixed(0.999_999));
    for (int i = 0; i < 10; i++) {
      backoff.next(null);
    }

    backoff.reset();

    assertThat(backoff.next(null)).isBetween(Duration.ofMillis(199), BASE);
  }

  @Test
  void largeBase_neverOverflowsToAShorterBound() {
    // 1100 s shifted left 24 times wraps around a long to a small positive number of nanoseconds.
    Duration base = Duration.ofSeconds(1100);
    Duration cap = Duration.ofDays(365);
    Backoff backoff = new Backoff(base, cap, MAX_RETRY_AFTER, fixed(0.999_999));
    for (int attempt = 0; attempt < 40; attempt++) {
      Duration wait = backoff.next(null);
      assertThat(wait.toNanos())
          .as("attempt %d", attempt)
          .isBetween((long) (bound(base, cap, attempt) * 0.999), bound(base, cap, attempt));
    }
  }

  @Property(tries = 300)
  void anyBaseCapAndAttempt_waitIsWithinZeroAndMinOfCapAndExponential(
      @ForAll("bases") Long baseNanos,
      @ForAll("capFactors") Long capFactor,
      @ForAll("fractions") Double fraction,
      @ForAll("attempts") Integer attempts) {
    Duration base = Duration.ofNanos(baseNanos);
    long half = Long.MAX_VALUE / 2;
    Duration cap = Duration.ofNanos(capFactor > half / baseNanos ? half : baseNanos * capFactor);
    Backoff backoff = new Backoff(base, cap, MAX_RETRY_AFTER, fixed(fraction));
    for (int attempt = 0; attempt < attempts; attempt++) {
      long wait = backoff.next(null).toNanos();
      long bound = bound(base, cap, attempt);
      assertThat(wait).isBetween(0L, bound);
      assertThat(wait).isEqualTo((long) (fraction * bound));
    }
  }

  @Provide
  Arbitrary<Long> bases() {
    return Arbitraries.longs().between(1, Duration.ofDays(1).toNanos());
  }

  @Provide
  Arbitrary<Long> capFactors() {
    return Arbitraries.longs().between(1, 1L << 40);
  }

  @Provide
  Arbitrary<Double> fractions() {
    return Arbitraries.doubles().between(0, 0.999_999_9).ofScale(9);
  }

  @Provide
  Arbitrary<Integer> attempts() {
    return Arbitraries.integers().between(1, 45);
  }

  @Test
  void A5_retryAfter_isHonoured_whenLongerThanTheJitteredWait() {
    Backoff backoff = new Backoff(BASE, CAP, MAX_RETRY_AFTER, fixed(0.0));

    assertThat(backoff.next(Duration.ofSeconds(90))).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void A5_retryAfter_isCappedAtMaxRetryAfter() {
    Backoff backoff = new Backoff(BASE, CAP, MAX_RETRY_AFTER, fixed(0.0));

    assertThat(backoff.next(Duration.ofHours(6))).isEqualTo(MAX_RETRY_AFTER);
  }

  @Test
  void B9_retryAfter_getsUpToHalfAsMuchAgainAtRandom_soARefusedHerdDoesNotReturnTogether() {
    Duration retryAfter = Duration.ofSeconds(10);
    List<Duration> waits = new ArrayList<>();
    for (int client = 0; client < 1000; client++) {
      waits.add(new Backoff(BASE, CAP, MAX_RETRY_AFTER, new Random(client)).next(retryAfter));
    }

    assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(retryAfter, Duration.ofSeconds(15)));
    // Spread over the whole five seconds: no second of it gets more than a third of the herd.
    long[] perSecond = new long[5];
    waits.forEach(w -> perSecond[(int) Math.min(4, w.minus(retryAfter).toMillis() / 1000)]++);
    for (long n : perSecond) {
      assertThat(n).isBetween(100L, 330L);
    }
    assertThat(new Backoff(BASE, CAP, MAX_RETRY_AFTER, fixed(0.999)).next(Duration.ofHours(6)))
        .as("the cap applies before the spread")
        .isLessThan(MAX_RETRY_AFTER.multipliedBy(3).dividedBy(2));
  }

  @Test
  void A5_shortRetryAfter_neverShortensTheBackoff() {
    Backoff backoff = new Backoff(BASE, CAP, MAX_RETRY_AFTER, fixed(0.5));
    for (int i = 0; i < 20; i++) {
      backoff.next(null);
    }

    assertThat(backoff.next(Duration.ofSeconds(1))).isEqualTo(CAP.dividedBy(2));
  }

  @Test
  void parseRetryAfter_acceptsDelaySeconds() {
    assertThat(Backoff.parseRetryAfter("120")).isEqualTo(Duration.ofSeconds(120));
    assertThat(Backoff.parseRetryAfter(" 5 ")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Backoff.parseRetryAfter("0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void parseRetryAfter_limitsAbsurdValuesToADay() {
    assertThat(Backoff.parseRetryAfter("999999999999")).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void parseRetryAfter_givesNullForNegativeGarbageHttpDateAndNull() {
    assertThat(Backoff.parseRetryAfter("-5")).isNull();
    assertThat(Backoff.parseRetryAfter("soon")).isNull();
    assertThat(Backoff.parseRetryAfter("1.5")).isNull();
    assertThat(Backoff.parseRetryAfter("")).isNull();
    assertThat(Backoff.parseRetryAfter("99999999999999999999999")).isNull();
    assertThat(Backoff.parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT")).isNull();
    assertThat(Backoff.parseRetryAfter(null)).isNull();
  }
}
