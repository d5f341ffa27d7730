package io.holdfast.server.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing of admin tokens through the login form: after {@link
 * ConsoleSettings#maxLoginFailures()} failures from one remote address, logins from it are refused
 * until {@link ConsoleSettings#lockout()} has passed since its last failure. Tokens carry 256
 * random bits, so this is about noise in the logs and load more than about guessing; the API itself
 * has no such limit. At most {@link #MAX_ADDRESSES} addresses are remembered. Thread-safe.
 */
final class LoginThrottle {

  static final int MAX_ADDRESSES = 10_000;

  private record Failures(int count, Instant last) {}

  private final ConsoleSettings settings;
  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  LoginThrottle(ConsoleSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** How long {@code address} must still wait, or {@link Duration#ZERO} if it may try. */
  Duration lockedFor(String address) {
    Failures f = failures.get(address);
    if (f == null || f.count() < settings.maxLoginFailures()) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), f.last().plus(settings.lockout()));
    if (left.isNegative() || left.isZero()) {
      failures.remove(address, f);
      return Duration.ZERO;
    }
    return left;
  }

  void failed(String address) {
    Instant now = clock.instant();
    if (failures.size() >= MAX_ADDRESSES) {
      failures.values().removeIf(f -> !now.isBefore(f.last().plus(settings.lockout())));
      if (failures.size() >= MAX_ADDRESSES) {
        failures.clear(); // a flood of addresses: forget rather than grow without bound
      }
    }
    failures.merge(address, new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
  }

  void succeeded(String address) {
    failures.remove(address);
  }
}
