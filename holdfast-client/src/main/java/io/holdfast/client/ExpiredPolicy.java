package io.holdfast.client;

/** What reads return once a namespace is {@link Status#EXPIRED}. */
public enum ExpiredPolicy {
  /**
   * Keep serving the last-known-good document (the default): a configuration service that is down
   * for longer than the grace period still never takes the application down.
   */
  SERVE_LAST_KNOWN_GOOD,
  /** Serve an empty document, so every typed read returns the caller's default. */
  USE_DEFAULTS
}
