package io.holdfast.agent.config;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.seats.ExpiredSeatPolicy;
import io.holdfast.protocol.signature.VerificationKey;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's configuration, read and checked once at start ({@link AgentSettingsReader}).
 * Immutable.
 *
 * @param client what the agent's SDK client is built from
 * @param listen where documents and seats are served
 * @param managementListen where {@code /health} and {@code /metrics} are served
 * @param seatToken the bearer token the seat endpoints require, or {@code null} without seats
 * @param maxConcurrentRequests requests served at once (waiting watches included); more are refused
 *     with 503 rather than queued without bound
 * @param files the file mirror, or {@code null} for none
 * @param seats the seat store, or {@code null} for none
 */
public record AgentSettings(
    ClientSettings client,
    ListenAddress listen,
    ListenAddress managementListen,
    String seatToken,
    int maxConcurrentRequests,
    FileSettings files,
    SeatSettings seats) {

  /** The SDK's settings, under the starter's names. */
  public record ClientSettings(
      List<URI> replicas,
      String instanceId,
      String credential,
      List<VerificationKey> trustedKeys,
      Path trustedRoot,
      List<String> namespaces,
      Path cacheDirectory,
      Duration grace,
      Duration staleAfter,
      Duration startupTimeout,
      boolean failWhenUnavailable,
      Duration pollInterval,
      Duration requestTimeout,
      Duration watchTimeout,
      Duration heartbeatInterval) {

    /** A builder for the agent's client; the caller adds what only it knows (seats in use). */
    public HoldfastClient.Builder builder() {
      HoldfastClient.Builder builder =
          HoldfastClient.builder()
              .replicas(replicas)
              .instance(instanceId, credential)
              .namespaces(namespaces.toArray(String[]::new))
              .gracePeriod(grace)
              .startupTimeout(startupTimeout)
              .failWhenUnavailable(failWhenUnavailable);
      trustedKeys.forEach(builder::trustedKey);
      if (trustedRoot != null) {
        builder.trustedRoot(trustedRoot);
      }
      if (cacheDirectory != null) {
        builder.cacheDirectory(cacheDirectory);
      }
      if (staleAfter != null) {
        builder.staleAfter(staleAfter);
      }
      if (pollInterval != null) {
        builder.pollInterval(pollInterval);
      }
      if (requestTimeout != null) {
        builder.requestTimeout(requestTimeout);
      }
      if (watchTimeout != null) {
        builder.watchTimeout(watchTimeout);
      }
      if (heartbeatInterval != null) {
        builder.heartbeatInterval(heartbeatInterval);
      }
      return builder;
    }
  }

  /**
   * Each namespace's content mirrored to {@code <directory>/<namespace>.json}, with its status in
   * {@code <namespace>.json.status}; {@code command} (run by {@code /bin/sh -c}) after a change, at
   * most once per {@code commandInterval}.
   */
  public record FileSettings(Path directory, String command, Duration commandInterval) {}

  /** A {@code JdbcSeatStore} on the tenant's database. */
  public record SeatSettings(
      String jdbcUrl,
      String username,
      String password,
      String table,
      ExpiredSeatPolicy expiredPolicy) {

    @Override
    public String toString() {
      // The password stays out of logs.
      return "SeatSettings[" + jdbcUrl + ", table " + table + ", " + expiredPolicy + "]";
    }
  }
}
