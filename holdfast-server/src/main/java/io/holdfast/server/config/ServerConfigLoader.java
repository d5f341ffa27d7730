package io.holdfast.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads {@link ServerConfig} from three sources, later ones winning: a properties file, the
 * environment ({@code HOLDFAST_<KEY>} with dashes as underscores, for example {@code
 * HOLDFAST_DATA_DIR}), and command-line flags. Unknown keys in the file are an error, so a typo
 * never silently falls back to a default.
 *
 * <p>Keys: {@code host, port, data-dir, jdbc-url, signing-key, admin-token, max-body-bytes,
 * max-depth, refresh-interval, store-timeout, max-watchers, max-concurrent-requests,
 * management-port, idle-timeout, header-timeout, request-timeout, max-connections,
 * max-connections-per-address, max-watches-per-instance, max-requests-per-instance,
 * max-admin-requests, probe-enabled, probe-interval, probe-targets, probe-lag-tolerance,
 * rollout-engine, rollout-approvals, rollout-tick, rollout-lease-ttl, trusted-proxies, tls-cert,
 * tls-key, tls-client-ca, tls-reload-interval, signing-key-reload-interval, checksums-validity,
 * stream-keep-alive, drain-delay}. Durations take {@code 250ms}, {@code 5s}, {@code 2m} or ISO-8601
 * ({@code PT5S}). The synthetic probe and the rollout engine are on unless turned off. The
 * management port defaults to {@code port + 10} (7080 beside 7070), or a free one when the port is.
 * A stopping replica drains for {@link ServerConfig#DEFAULT_DRAIN_DELAY} unless configured.
 */
public final class ServerConfigLoader {

  /** Every accepted key. */
  public static final Set<String> KEYS =
      Set.of(
          "host",
          "port",
          "data-dir",
          "jdbc-url",
          "signing-key",
          "admin-token",
          "max-body-bytes",
          "max-depth",
          "refresh-interval",
          "store-timeout",
          "max-watchers",
          "max-concurrent-requests",
          "management-port",
          "idle-timeout",
          "header-timeout",
          "request-timeout",
          "max-connections",
          "max-connections-per-address",
          "max-watches-per-instance",
          "max-requests-per-instance",
          "max-admin-requests",
          "probe-enabled",
          "probe-interval",
          "probe-targets",
          "probe-lag-tolerance",
          "rollout-engine",
          "rollout-approvals",
          "rollout-tick",
          "rollout-lease-ttl",
          "trusted-proxies",
          "tls-cert",
          "tls-key",
          "tls-client-ca",
          "tls-reload-interval",
          "signing-key-reload-interval",
          "checksums-validity",
          "stream-keep-alive",
          "drain-delay");

  private ServerConfigLoader() {}

  /**
   * @param file properties file, or {@code null} for none
   * @param environment the process environment (only {@code HOLDFAST_*} entries are read)
   * @param flags values given on the command line, by key
   * @throws ConfigException naming the bad key and value
   */
  public static ServerConfig load(
      Path file, Map<String, String> environment, Map<String, String> flags) {
    Map<String, String> values = new HashMap<>();
    if (file != null) {
      values.putAll(readFile(file));
    }
    for (String key : KEYS) {
      String env = environment.get("HOLDFAST_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
      if (env != null && !env.isBlank()) {
        values.put(key, env);
      }
    }
    for (Map.Entry<String, String> flag : flags.entrySet()) {
      if (!KEYS.contains(flag.getKey())) {
        throw new ConfigException("unknown configuration key '" + flag.getKey() + "'");
      }
      if (flag.getValue() != null) {
        values.put(flag.getKey(), flag.getValue());
      }
    }
    // An operator's replica probes unless told not to; embedded ones (tests, the demo) choose.
    values.putIfAbsent("probe-enabled", "true");
    values.putIfAbsent("rollout-engine", "true");
    values.putIfAbsent("drain-delay", ServerConfig.DEFAULT_DRAIN_DELAY.toSeconds() + "s");
    if (!values.containsKey("management-port")) {
      int port = values.containsKey("port") ? integer("port", values.get("port").strip()) : 7070;
      // Ten above the instance port, or ten below it at the top of the range.
      int management = port == 0 ? 0 : port + 10 <= 65535 ? port + 10 : port - 10;
      values.put("management-port", Integer.toString(management));
    }
    ServerConfig.Builder builder =
        ServerConfig.builder(Path.of(values.getOrDefault("data-dir", "holdfast-data")));
    EdgeSettings defaults = EdgeSettings.DEFAULTS;
    java.time.Duration idleTimeout = defaults.idleTimeout();
    java.time.Duration headerTimeout = defaults.headerTimeout();
    java.time.Duration requestTimeout = defaults.requestTimeout();
    int maxConnections = defaults.maxConnections();
    int maxConnectionsPerAddress = defaults.maxConnectionsPerAddress();
    int maxWatchesPerInstance = defaults.maxWatchesPerInstance();
    int maxRequestsPerInstance = defaults.maxRequestsPerInstance();
    int maxAdminRequests = defaults.maxAdminRequests();
    Path tlsCert = null;
    Path tlsKey = null;
    Path tlsClientCa = null;
    Duration tlsReloadInterval = TlsSettings.DEFAULT_RELOAD_INTERVAL;
    for (Map.Entry<String, String> e : values.entrySet()) {
      String v = e.getValue().strip();
      switch (e.getKey()) {
        case "host" -> builder.host(v);
        case "port" -> builder.port(integer(e.getKey(), v));
        case "data-dir" -> {}
        case "jdbc-url" -> builder.jdbcUrl(v);
        case "signing-key" -> builder.signingKey(Path.of(v));
        case "admin-token" -> builder.adminToken(v);
        case "max-body-bytes" -> builder.maxBodyBytes(integer(e.getKey(), v));
        case "max-depth" -> builder.maxDepth(integer(e.getKey(), v));
        case "refresh-interval" -> builder.refreshInterval(duration(e.getKey(), v));
        case "store-timeout" -> builder.storeTimeout(duration(e.getKey(), v));
        case "max-watchers" -> builder.maxWatchers(integer(e.getKey(), v));
        case "max-concurrent-requests" -> builder.maxConcurrentRequests(integer(e.getKey(), v));
        case "management-port" -> builder.managementPort(integer(e.getKey(), v));
        case "idle-timeout" -> idleTimeout = duration(e.getKey(), v);
        case "header-timeout" -> headerTimeout = duration(e.getKey(), v);
        case "request-timeout" -> requestTimeout = duration(e.getKey(), v);
        case "max-connections" -> maxConnections = integer(e.getKey(), v);
        case "max-connections-per-address" -> maxConnectionsPerAddress = integer(e.getKey(), v);
        case "max-watches-per-instance" -> maxWatchesPerInstance = integer(e.getKey(), v);
        case "max-requests-per-instance" -> maxRequestsPerInstance = integer(e.getKey(), v);
        case "max-admin-requests" -> maxAdminRequests = integer(e.getKey(), v);
        case "probe-enabled" -> builder.probeEnabled(bool(e.getKey(), v));
        case "probe-interval" -> builder.probeInterval(duration(e.getKey(), v));
        case "probe-targets" -> builder.probeTargets(ProbeSettings.parseTargets(v));
        case "probe-lag-tolerance" -> builder.probeLagTolerance(duration(e.getKey(), v));
        case "rollout-engine" -> builder.rolloutEngineEnabled(bool(e.getKey(), v));
        case "rollout-approvals" -> builder.rolloutApprovals(integer(e.getKey(), v));
        case "rollout-tick" -> builder.rolloutTick(duration(e.getKey(), v));
        case "rollout-lease-ttl" -> builder.rolloutLeaseTtl(duration(e.getKey(), v));
        case "trusted-proxies" ->
            builder.trustedProxies(TrustedProxies.of(java.util.List.of(v.split(","))));
        case "tls-cert" -> tlsCert = path(e.getKey(), v);
        case "tls-key" -> tlsKey = path(e.getKey(), v);
        case "tls-client-ca" -> tlsClientCa = path(e.getKey(), v);
        case "tls-reload-interval" -> tlsReloadInterval = duration(e.getKey(), v);
        case "signing-key-reload-interval" ->
            // "0" alone turns the check off, as the docs say; any other value is a duration.
            builder.signingKeyReloadInterval(
                v.equals("0") ? Duration.ZERO : duration(e.getKey(), v));
        case "checksums-validity" -> builder.checksumsValidity(duration(e.getKey(), v));
        case "stream-keep-alive" -> builder.streamKeepAlive(duration(e.getKey(), v));
        case "drain-delay" -> builder.drainDelay(duration(e.getKey(), v));
        default -> throw new ConfigException("unknown configuration key '" + e.getKey() + "'");
      }
    }
    builder.edge(
        new EdgeSettings(
            idleTimeout,
            headerTimeout,
            requestTimeout,
            maxConnections,
            maxConnectionsPerAddress,
            maxWatchesPerInstance,
            maxRequestsPerInstance,
            maxAdminRequests));
    builder.tls(new TlsSettings(tlsCert, tlsKey, tlsClientCa, tlsReloadInterval));
    return builder.build();
  }

  private static Map<String, String> readFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> values = new HashMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (!KEYS.contains(key)) {
        throw new ConfigException(
            "unknown configuration key '"
                + key
                + "' in "
                + file
                + "; known keys: "
                + new java.util.TreeSet<>(KEYS));
      }
      values.put(key, properties.getProperty(key));
    }
    return values;
  }

  static int integer(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a whole number, was '" + value + "'", e);
    }
  }

  /** A file named by {@code key}; that it exists is checked where it is read, at start. */
  static Path path(String key, String value) {
    if (value.isEmpty()) {
      throw new ConfigException(key + " must name a file, was empty");
    }
    try {
      return Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ConfigException(key + " is not a valid path, was '" + value + "'", e);
    }
  }

  static boolean bool(String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key + " must be true or false, was '" + value + "'");
    };
  }

  /** Parses {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601. */
  public static Duration duration(String key, String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    try {
      Duration duration;
      if (v.startsWith("p")) {
        duration = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        duration = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else {
        long amount = Long.parseLong(v.substring(0, v.length() - 1));
        duration =
            switch (v.charAt(v.length() - 1)) {
              case 's' -> Duration.ofSeconds(amount);
              case 'm' -> Duration.ofMinutes(amount);
              case 'h' -> Duration.ofHours(amount);
              case 'd' -> Duration.ofDays(amount);
              default ->
                  throw new ConfigException(
                      key + " needs a unit (ms, s, m, h, d), was '" + value + "'");
            };
      }
      // Every consumer works in milliseconds; a duration they cannot express is out of range.
      duration.toMillis();
      return duration;
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new ConfigException(
          key + " must be a duration such as 250ms, 5s, 2m or PT5S, was '" + value + "'", e);
    } catch (ArithmeticException e) {
      throw new ConfigException(key + " is too large, was '" + value + "'", e);
    }
  }
}
