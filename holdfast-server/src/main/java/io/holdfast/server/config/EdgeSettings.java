package io.holdfast.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a replica puts on every connection and every tenant at its network edge, so that no
 * client can take it down or slow other tenants (FAULTS.md section F). Immutable.
 *
 * @param idleTimeout how long a kept-alive connection may sit between requests before the replica
 *     closes it; default 75 s (above the SDK's one-minute heartbeat, so its connection is reused
 *     rather than closed just before), 1 s to 1 h
 * @param headerTimeout how long a new connection may take to deliver its first request's line and
 *     headers, however slowly the bytes trickle in (slowloris); default 10 s, 100 ms to 5 min
 * @param requestTimeout how long a request, its body included, may take from its headers to its
 *     answer; waiting watches are exempt (their own timeout bounds them); default 30 s, 1 s to 1 h
 * @param maxConnections most connections open at once on the instance port; default 20,000, and
 *     never more than the process's open-files limit allows (a reserve stays free for the store and
 *     the probe), 1 to 1,000,000
 * @param maxConnectionsPerAddress most connections open at once from one remote address; default
 *     1,024; raise it for a proxy or NAT that carries many instances; 1 to 1,000,000
 * @param maxWatchesPerInstance most watches one instance credential may hold waiting at once;
 *     default 64, 1 to 100,000
 * @param maxRequestsPerInstance most requests (reads and heartbeats, not waiting watches) one
 *     instance credential may have in flight at once; default 64, 1 to 100,000
 * @param maxAdminRequests most admin API and console requests served at once; more wait their turn
 *     (up to 10 s, then 503), so that operators' work, however much of it, leaves the other cores
 *     to instance reads; default half the cores, at least 1; 1 to 1,000
 */
public record EdgeSettings(
    Duration idleTimeout,
    Duration headerTimeout,
    Duration requestTimeout,
    int maxConnections,
    int maxConnectionsPerAddress,
    int maxWatchesPerInstance,
    int maxRequestsPerInstance,
    int maxAdminRequests) {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_CONNECTIONS = 20_000;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_024;
  public static final int DEFAULT_MAX_WATCHES_PER_INSTANCE = 64;
  public static final int DEFAULT_MAX_REQUESTS_PER_INSTANCE = 64;

  /** Half the cores, at least one: admin work never takes every core from instance reads. */
  public static final int DEFAULT_MAX_ADMIN_REQUESTS =
      Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  /** Every default. */
  public static final EdgeSettings DEFAULTS =
      new EdgeSettings(
          DEFAULT_IDLE_TIMEOUT,
          DEFAULT_HEADER_TIMEOUT,
          DEFAULT_REQUEST_TIMEOUT,
          DEFAULT_MAX_CONNECTIONS,
          DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
          DEFAULT_MAX_WATCHES_PER_INSTANCE,
          DEFAULT_MAX_REQUESTS_PER_INSTANCE,
          DEFAULT_MAX_ADMIN_REQUESTS);

  public EdgeSettings {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(headerTimeout, "headerTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    requireBetween("idle-timeout", idleTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
    requireBetween("header-timeout", headerTimeout, Duration.ofMillis(100), Duration.ofMinutes(5));
    requireBetween("request-timeout", requestTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
    requireBetween("max-connections", maxConnections, 1, 1_000_000);
    requireBetween("max-connections-per-address", maxConnectionsPerAddress, 1, 1_000_000);
    requireBetween("max-watches-per-instance", maxWatchesPerInstance, 1, 100_000);
    requireBetween("max-requests-per-instance", maxRequestsPerInstance, 1, 100_000);
    requireBetween("max-admin-requests", maxAdminRequests, 1, 1_000);
  }

  private static void requireBetween(String key, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new ConfigException(key + " must be between " + min + " and " + max + ", was " + value);
    }
  }

  private static void requireBetween(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(key + " must be between " + min + " and " + max + ", was " + value);
    }
  }
}
