package io.holdfast.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Typed, validated configuration of one replica. Build it with {@link #builder(Path)} or load it
 * from file, environment and flags with {@link ServerConfigLoader}. Immutable.
 *
 * @param host address to bind; default {@code 127.0.0.1}
 * @param port TCP port; default 7070, 0 picks a free one
 * @param dataDirectory holds the SQLite database, the signing key and the bootstrap token
 * @param jdbcUrl database; default {@code jdbc:sqlite:<data-dir>/holdfast.db}
 * @param signingKey Ed25519 key file; default {@code <data-dir>/signing-key.pem}
 * @param adminToken bootstrap admin token; if absent one is generated into {@code
 *     <data-dir>/admin-token}
 * @param maxBodyBytes largest accepted request body; default 1 MiB
 * @param maxDepth deepest accepted JSON nesting; default 32
 * @param refreshInterval how often the store is polled for other replicas' writes; default 250 ms
 * @param storeTimeout how long a store call waits for a lock or connection; default 5 s
 * @param maxWatchers most long-polling watch requests waiting at once on this replica; default
 *     20000, beyond which a watch answers 503 {@code too-many-watchers}
 * @param maxConcurrentRequests most instance requests (reads and heartbeats; not waiting watches)
 *     served at once; one more waits up to {@code AdmissionControl.QUEUE_WAIT} for a place, then
 *     answers 503 {@code overloaded} with {@code Retry-After}; default 256
 * @param managementPort TCP port of the management listener ({@code /metrics} and health), on the
 *     same host, so that operators can firewall it off from instances; default 0 here (a free one),
 *     {@code port + 10} from {@link ServerConfigLoader}
 * @param edge limits on connections and tenants at the network edge
 * @param probe the synthetic probe's settings; {@link ProbeSettings#DISABLED} by default here,
 *     enabled by default by {@link ServerConfigLoader}
 * @param trustedProxies proxies whose forwarded client address the console's login throttle and
 *     audit believe; none by default
 * @param tls certificate, key and optional client authorities for TLS on every port; {@link
 *     TlsSettings#NONE} (plain HTTP) by default
 * @param signingKeyReloadInterval how often the signing-key file is compared with the key in use,
 *     so that a new key is taken without a restart; 100 ms to 1 h, or zero for never; default 30 s
 * @param checksumsValidity how long the freshness statement in every instance's checksums holds
 *     ({@code issuedAt} to {@code expires}); re-issued every half of it; 10 min to 30 d, default 24
 *     h
 * @param streamKeepAlive how often an idle checksums event stream carries a comment, so that
 *     proxies keep it open and clients notice a dead replica within a few of them; 1 s to 5 min,
 *     default 15 s
 * @param drainDelay how long a stopping replica reports not-ready, while still serving, before it
 *     stops taking requests: long enough for load balancers' health checks to take it out of
 *     rotation (issue 23); 0 to 5 min; 0 here (embedded replicas, tests), 5 s from {@link
 *     ServerConfigLoader}
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDirectory,
    String jdbcUrl,
    Path signingKey,
    String adminToken,
    int maxBodyBytes,
    int maxDepth,
    Duration refreshInterval,
    Duration storeTimeout,
    int maxWatchers,
    int maxConcurrentRequests,
    int managementPort,
    EdgeSettings edge,
    ProbeSettings probe,
    RolloutSettings rollouts,
    TrustedProxies trustedProxies,
    TlsSettings tls,
    Duration signingKeyReloadInterval,
    Duration checksumsValidity,
    Duration streamKeepAlive,
    Duration drainDelay) {

  /** How long a stopping replica stays not-ready but serving, unless configured (the loader's). */
  public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(5);

  /** How often the signing-key file is compared with the key in use unless configured. */
  public static final Duration DEFAULT_SIGNING_KEY_RELOAD_INTERVAL = Duration.ofSeconds(30);

  /** How long a checksums freshness statement holds unless configured. */
  public static final Duration DEFAULT_CHECKSUMS_VALIDITY = Duration.ofHours(24);

  /** How often an idle event stream carries a keep-alive comment unless configured. */
  public static final Duration DEFAULT_STREAM_KEEP_ALIVE = Duration.ofSeconds(15);

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(signingKey, "signingKey");
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    Objects.requireNonNull(storeTimeout, "storeTimeout");
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(rollouts, "rollouts");
    Objects.requireNonNull(trustedProxies, "trustedProxies");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(signingKeyReloadInterval, "signingKeyReloadInterval");
    require(
        signingKeyReloadInterval.isZero()
            || (signingKeyReloadInterval.compareTo(Duration.ofMillis(100)) >= 0
                && signingKeyReloadInterval.compareTo(Duration.ofHours(1)) <= 0),
        "signing-key-reload-interval must be 0 (off) or between 100ms and 1h, was "
            + signingKeyReloadInterval);
    Objects.requireNonNull(checksumsValidity, "checksumsValidity");
    // At least ten minutes: clients must get a re-issued statement (every half of it) well before
    // theirs expires, across watch timeouts and failovers. At most 30 days: a frozen replica must
    // not be believed for longer than a revocation is allowed to take.
    require(
        checksumsValidity.compareTo(Duration.ofMinutes(10)) >= 0
            && checksumsValidity.compareTo(Duration.ofDays(30)) <= 0,
        "checksums-validity must be between 10m and 30d, was " + checksumsValidity);
    Objects.requireNonNull(streamKeepAlive, "streamKeepAlive");
    require(
        streamKeepAlive.compareTo(Duration.ofSeconds(1)) >= 0
            && streamKeepAlive.compareTo(Duration.ofMinutes(5)) <= 0,
        "stream-keep-alive must be between 1s and 5m, was " + streamKeepAlive);
    Objects.requireNonNull(drainDelay, "drainDelay");
    require(
        !drainDelay.isNegative() && drainDelay.compareTo(Duration.ofMinutes(5)) <= 0,
        "drain-delay must be between 0 and 5m, was " + drainDelay);
    require(port >= 0 && port <= 65535, "port must be between 0 and 65535, was " + port);
    require(
        maxBodyBytes >= 1024 && maxBodyBytes <= 64 * 1024 * 1024,
        "max-body-bytes must be between 1024 and 67108864, was " + maxBodyBytes);
    require(
        maxDepth >= 2 && maxDepth <= 1000, "max-depth must be between 2 and 1000, was " + maxDepth);
    // compareTo, not toMillis()/toMinutes(): those truncate (10m59s passed as 10 minutes) or
    // overflow.
    require(
        refreshInterval.compareTo(Duration.ofMillis(10)) >= 0
            && refreshInterval.compareTo(Duration.ofMinutes(10)) <= 0,
        "refresh-interval must be between 10ms and 10m, was " + refreshInterval);
    require(
        storeTimeout.compareTo(Duration.ofMillis(100)) >= 0,
        "store-timeout must be at least 100ms, was " + storeTimeout);
    require(
        maxWatchers >= 1 && maxWatchers <= 1_000_000,
        "max-watchers must be between 1 and 1000000, was " + maxWatchers);
    require(
        maxConcurrentRequests >= 1 && maxConcurrentRequests <= 100_000,
        "max-concurrent-requests must be between 1 and 100000, was " + maxConcurrentRequests);
    require(
        managementPort >= 0 && managementPort <= 65535,
        "management-port must be between 0 and 65535, was " + managementPort);
    require(
        managementPort == 0 || managementPort != port,
        "management-port must differ from port, both were " + port);
    require(
        adminToken == null || adminToken.length() >= 16,
        "admin-token must be at least 16 characters long");
  }

  /**
   * Every setting but the secrets: the admin token's value and any password in the JDBC URL ({@link
   * JdbcUrls#redact}). A configuration may be logged or shown (FAULTS D14). The TLS settings are
   * file paths; the key in them is never read into this record.
   */
  @Override
  public String toString() {
    return "ServerConfig[host="
        + host
        + ", port="
        + port
        + ", dataDirectory="
        + dataDirectory
        + ", jdbcUrl="
        + JdbcUrls.redact(jdbcUrl)
        + ", signingKey="
        + signingKey
        + ", adminToken="
        + (adminToken == null ? "(admin-token file)" : "(redacted)")
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", maxDepth="
        + maxDepth
        + ", refreshInterval="
        + refreshInterval
        + ", storeTimeout="
        + storeTimeout
        + ", maxWatchers="
        + maxWatchers
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + ", managementPort="
        + managementPort
        + ", edge="
        + edge
        + ", probe="
        + probe
        + ", rollouts="
        + rollouts
        + ", trustedProxies="
        + trustedProxies
        + ", tls="
        + tls
        + ", signingKeyReloadInterval="
        + signingKeyReloadInterval
        + ", checksumsValidity="
        + checksumsValidity
        + ", streamKeepAlive="
        + streamKeepAlive
        + ", drainDelay="
        + drainDelay
        + "]";
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new ConfigException(message);
    }
  }

  /** A builder with every default, for the given data directory. */
  public static Builder builder(Path dataDirectory) {
    return new Builder(dataDirectory);
  }

  /** Mutable builder; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 7070;
    private Path dataDirectory;
    private String jdbcUrl;
    private Path signingKey;
    private String adminToken;
    private int maxBodyBytes = 1024 * 1024;
    private int maxDepth = 32;
    private Duration refreshInterval = Duration.ofMillis(250);
    private Duration storeTimeout = Duration.ofSeconds(5);
    private int maxWatchers = 20_000;
    private int maxConcurrentRequests = 256;
    private int managementPort;
    private EdgeSettings edge = EdgeSettings.DEFAULTS;
    private boolean probeEnabled;
    private Duration probeInterval = ProbeSettings.DEFAULT_INTERVAL;
    private java.util.List<java.net.URI> probeTargets = java.util.List.of();
    private Duration probeLagTolerance = ProbeSettings.DEFAULT_LAG_TOLERANCE;
    private boolean rolloutEngineEnabled;
    private int rolloutApprovals = 1;
    private Duration rolloutTick = RolloutSettings.DEFAULT_TICK;
    private Duration rolloutLeaseTtl = RolloutSettings.DEFAULT_LEASE_TTL;
    private TrustedProxies trustedProxies = TrustedProxies.NONE;
    private TlsSettings tls = TlsSettings.NONE;
    private Duration signingKeyReloadInterval = DEFAULT_SIGNING_KEY_RELOAD_INTERVAL;
    private Duration checksumsValidity = DEFAULT_CHECKSUMS_VALIDITY;
    private Duration streamKeepAlive = DEFAULT_STREAM_KEEP_ALIVE;
    private Duration drainDelay = Duration.ZERO;

    private Builder(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = dataDirectory;
      return this;
    }

    public Builder jdbcUrl(String jdbcUrl) {
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    public Builder signingKey(Path signingKey) {
      this.signingKey = signingKey;
      return this;
    }

    public Builder adminToken(String adminToken) {
      this.adminToken = adminToken;
      return this;
    }

    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    public Builder maxDepth(int maxDepth) {
      this.maxDepth = maxDepth;
      return this;
    }

    public Builder refreshInterval(Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
      return this;
    }

    public Builder storeTimeout(Duration storeTimeout) {
      this.storeTimeout = storeTimeout;
      return this;
    }

    public Builder maxConcurrentRequests(int maxConcurrentRequests) {
      this.maxConcurrentRequests = maxConcurrentRequests;
      return this;
    }

    public Builder maxWatchers(int maxWatchers) {
      this.maxWatchers = maxWatchers;
      return this;
    }

    /** Port of the management listener ({@code /metrics}, health); default 0, a free one. */
    public Builder managementPort(int managementPort) {
      this.managementPort = managementPort;
      return this;
    }

    /** Connection and tenant limits at the edge; default {@link EdgeSettings#DEFAULTS}. */
    public Builder edge(EdgeSettings edge) {
      this.edge = edge;
      return this;
    }

    /** Whether the replica runs the synthetic probe; default {@code false} here. */
    public Builder probeEnabled(boolean probeEnabled) {
      this.probeEnabled = probeEnabled;
      return this;
    }

    /** Time between probe rounds; default 10 s. */
    public Builder probeInterval(Duration probeInterval) {
      this.probeInterval = probeInterval;
      return this;
    }

    /** Replicas to probe; default none, meaning this replica only. */
    public Builder probeTargets(java.util.List<java.net.URI> probeTargets) {
      this.probeTargets = probeTargets;
      return this;
    }

    /** How long a replica may be behind its peers before it counts as lagging; default 30 s. */
    public Builder probeLagTolerance(Duration probeLagTolerance) {
      this.probeLagTolerance = probeLagTolerance;
      return this;
    }

    /** Whether the rollout engine runs on a timer; default {@code false} here. */
    public Builder rolloutEngineEnabled(boolean enabled) {
      this.rolloutEngineEnabled = enabled;
      return this;
    }

    /** Approvals a change needs before it rolls out: 0, 1 or 2; default 1. */
    public Builder rolloutApprovals(int approvals) {
      this.rolloutApprovals = approvals;
      return this;
    }

    /** Time between the rollout engine's passes; default 5 s. */
    public Builder rolloutTick(Duration tick) {
      this.rolloutTick = tick;
      return this;
    }

    /** How long the rollout leader's lease lasts unrenewed; default 30 s. */
    public Builder rolloutLeaseTtl(Duration ttl) {
      this.rolloutLeaseTtl = ttl;
      return this;
    }

    /** Proxies whose forwarded client address is believed; default none. */
    public Builder trustedProxies(TrustedProxies trustedProxies) {
      this.trustedProxies = trustedProxies;
      return this;
    }

    /** TLS on every port; default {@link TlsSettings#NONE}, plain HTTP. */
    public Builder tls(TlsSettings tls) {
      this.tls = tls;
      return this;
    }

    /**
     * How often the signing-key file is compared with the key in use; zero turns the check off;
     * default {@link #DEFAULT_SIGNING_KEY_RELOAD_INTERVAL}.
     */
    public Builder signingKeyReloadInterval(Duration interval) {
      this.signingKeyReloadInterval = interval;
      return this;
    }

    /**
     * How long the checksums freshness statement holds; default {@link
     * #DEFAULT_CHECKSUMS_VALIDITY}.
     */
    public Builder checksumsValidity(Duration validity) {
      this.checksumsValidity = validity;
      return this;
    }

    /**
     * How often an idle checksums event stream carries a keep-alive comment; default {@link
     * #DEFAULT_STREAM_KEEP_ALIVE}.
     */
    public Builder streamKeepAlive(Duration keepAlive) {
      this.streamKeepAlive = keepAlive;
      return this;
    }

    /**
     * How long a stopping replica reports not-ready while still serving; default 0 here, {@link
     * #DEFAULT_DRAIN_DELAY} from the loader.
     */
    public Builder drainDelay(Duration drainDelay) {
      this.drainDelay = drainDelay;
      return this;
    }

    public ServerConfig build() {
      Path dir = dataDirectory.toAbsolutePath().normalize();
      String url = jdbcUrl != null ? jdbcUrl : "jdbc:sqlite:" + dir.resolve("holdfast.db");
      Path key = signingKey != null ? signingKey : dir.resolve("signing-key.pem");
      return new ServerConfig(
          host,
          port,
          dir,
          url,
          key,
          adminToken,
          maxBodyBytes,
          maxDepth,
          refreshInterval,
          storeTimeout,
          maxWatchers,
          maxConcurrentRequests,
          managementPort,
          edge,
          new ProbeSettings(probeEnabled, probeInterval, probeTargets, probeLagTolerance),
          new RolloutSettings(rolloutEngineEnabled, rolloutApprovals, rolloutTick, rolloutLeaseTtl),
          trustedProxies,
          tls,
          signingKeyReloadInterval,
          checksumsValidity,
          streamKeepAlive,
          drainDelay);
    }
  }
}
