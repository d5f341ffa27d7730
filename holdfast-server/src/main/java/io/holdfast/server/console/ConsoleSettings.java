package io.holdfast.server.console;

import java.time.Duration;

/**
 * Limits of the console's sessions and logins.
 *
 * @param idleTimeout a session not used for this long ends
 * @param maxLifetime a session ends this long after login however busy it is, so a stolen cookie is
 *     not good forever
 * @param maxSessions sessions this replica keeps at most; the least recently used is dropped beyond
 *     it, so logins cannot exhaust memory
 * @param maxLoginFailures failed logins from one address before it is locked out
 * @param lockout how long such an address is locked out, counted from its last failure
 */
record ConsoleSettings(
    Duration idleTimeout,
    Duration maxLifetime,
    int maxSessions,
    int maxLoginFailures,
    Duration lockout) {

  /**
   * 30 minutes idle, 12 hours at most, 10,000 sessions, 5 failures lock an address out for 5
   * minutes.
   */
  static final ConsoleSettings DEFAULT =
      new ConsoleSettings(
          Duration.ofMinutes(30), Duration.ofHours(12), 10_000, 5, Duration.ofMinutes(5));

  ConsoleSettings {
    if (idleTimeout.isNegative()
        || idleTimeout.isZero()
        || maxLifetime.compareTo(idleTimeout) < 0) {
      throw new IllegalArgumentException(
          "need 0 < idleTimeout <= maxLifetime, was " + idleTimeout + ", " + maxLifetime);
    }
    if (maxSessions < 1 || maxLoginFailures < 1) {
      throw new IllegalArgumentException("maxSessions and maxLoginFailures must be at least 1");
    }
  }
}
