package io.holdfast.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a replica runs its synthetic probe (see {@code io.holdfast.server.probe}). Immutable.
 *
 * @param enabled whether the replica probes at all; {@code holdfast server} enables it unless
 *     configured otherwise, an embedded {@link ServerConfig.Builder} does not
 * @param interval time between probe rounds; default 10 s, 1 s to 1 h
 * @param targets base URIs of the replicas to probe, this one included; empty means this replica
 *     only, at its own address
 * @param lagTolerance how long a replica may serve an older revision than its peers before it
 *     counts as lagging; default 30 s, 0 to 1 d
 */
public record ProbeSettings(
    boolean enabled, Duration interval, List<URI> targets, Duration lagTolerance) {

  /** Time between rounds unless configured. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  /** Lag tolerance unless configured: a hundred default refresh intervals. */
  public static final Duration DEFAULT_LAG_TOLERANCE = Duration.ofSeconds(30);

  /** At most this many targets: each round probes them all at once. */
  public static final int MAX_TARGETS = 64;

  /** No probe. */
  public static final ProbeSettings DISABLED =
      new ProbeSettings(false, DEFAULT_INTERVAL, List.of(), DEFAULT_LAG_TOLERANCE);

  public ProbeSettings {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(lagTolerance, "lagTolerance");
    targets = List.copyOf(targets);
    require(
        interval.compareTo(Duration.ofSeconds(1)) >= 0
            && interval.compareTo(Duration.ofHours(1)) <= 0,
        "probe-interval must be between 1s and 1h, was " + interval);
    require(
        !lagTolerance.isNegative() && lagTolerance.compareTo(Duration.ofDays(1)) <= 0,
        "probe-lag-tolerance must be between 0s and 1d, was " + lagTolerance);
    require(
        targets.size() <= MAX_TARGETS,
        "probe-targets lists at most " + MAX_TARGETS + " replicas, got " + targets.size());
    for (URI target : targets) {
      String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
      require(
          (scheme.equals("http") || scheme.equals("https"))
              && target.getHost() != null
              && target.getRawQuery() == null
              && target.getRawFragment() == null,
          "probe-targets must be http(s) base URIs without query or fragment, was '"
              + target
              + "'");
    }
  }

  /**
   * Parses a comma-separated list of base URIs, as {@code probe-targets} takes them.
   *
   * @throws ConfigException naming the entry that is not a URI
   */
  public static List<URI> parseTargets(String value) {
    List<URI> targets = new java.util.ArrayList<>();
    for (String part : value.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      try {
        targets.add(new URI(p));
      } catch (java.net.URISyntaxException e) {
        throw new ConfigException("probe-targets entry '" + p + "' is not a URI", e);
      }
    }
    return targets;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new ConfigException(message);
    }
  }
}
