package io.holdfast.server;

import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.admin.NamespaceService;
import io.holdfast.server.auth.BootstrapTokenFile;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.auth.CredentialUse;
import io.holdfast.server.config.JdbcUrls;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.datadir.DataDirectoryLock;
import io.holdfast.server.datadir.UnsafePermissionsException;
import io.holdfast.server.edge.EdgeServer;
import io.holdfast.server.fleet.Fleet;
import io.holdfast.server.fleet.HeartbeatWriter;
import io.holdfast.server.http.HttpApi;
import io.holdfast.server.keyset.KeySetStore;
import io.holdfast.server.keyset.PublishedKeySets;
import io.holdfast.server.metrics.ServerMetrics;
import io.holdfast.server.model.Role;
import io.holdfast.server.probe.ReplicaProbe;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.rollout.JdbcRolloutStore;
import io.holdfast.server.rollout.RolloutEngine;
import io.holdfast.server.rollout.RolloutStore;
import io.holdfast.server.signing.ReplicaSigningKey;
import io.holdfast.server.snapshot.FreshnessStatement;
import io.holdfast.server.snapshot.SnapshotBuilder;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.server.store.RevisionNotifications;
import io.holdfast.server.subscription.SubscriptionFilter;
import io.holdfast.server.subscription.UsageReport;
import io.holdfast.server.tls.ReplicaTls;
import io.holdfast.server.upgrade.ReplicaDrain;
import io.holdfast.server.upgrade.ReplicaVersion;
import io.holdfast.server.upgrade.VersionMetrics;
import io.holdfast.server.window.JdbcWindowStore;
import io.holdfast.server.window.WindowSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Holdfast replica: store, snapshot, signer and HTTP server, started together and stopped
 * together.
 *
 * <p>Start-up holds the data directory's lock while it migrates the schema, loads or creates the
 * signing key and registers the bootstrap admin credential, so replicas sharing a directory
 * initialise it exactly once. {@link #close()} stops polling and releases long-polling watchers,
 * stops accepting requests, lets those in flight finish (up to the grace period), then closes the
 * database.
 */
public final class HoldfastServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HoldfastServer.class);

  /** The name of the admin credential taken from configuration. */
  public static final String BOOTSTRAP_CREDENTIAL = "bootstrap";

  /** Instances whose latest heartbeat may wait in memory while the store is down. */
  private static final int MAX_BUFFERED_HEARTBEATS = 100_000;

  private static final int HEARTBEAT_BATCH = 500;
  private static final Duration HEARTBEAT_RETRY = Duration.ofSeconds(1);

  /** Three missed heartbeats at the SDK's default one-minute interval. */
  private static final Duration FLEET_SILENT_AFTER = Duration.ofMinutes(3);

  private final ServerConfig config;
  private final ConfigStore store;
  private final SnapshotHolder snapshots;
  private final EdgeServer web;
  private final ReplicaSigningKey signingKey;
  private final String adminToken;
  private final ServerMetrics metrics;
  private final ReplicaProbe probe;
  private final HeartbeatWriter heartbeats;
  private final RolloutEngine engine;
  private final CredentialUse credentialUse;
  private final ReplicaTls tls;
  private final PublishedKeySets keySets;
  private final ReplicaVersion version;
  private final ReplicaDrain drain;

  /**
   * On PostgreSQL, wakes the snapshot at once on other replicas' writes; {@code null} on SQLite.
   */
  private final RevisionNotifications notifications;

  private HoldfastServer(
      ServerConfig config,
      ConfigStore store,
      SnapshotHolder snapshots,
      EdgeServer web,
      ReplicaSigningKey signingKey,
      String adminToken,
      ReplicaProbe probe,
      ServerMetrics metrics,
      HeartbeatWriter heartbeats,
      RolloutEngine engine,
      RevisionNotifications notifications,
      CredentialUse credentialUse,
      ReplicaTls tls,
      PublishedKeySets keySets,
      ReplicaVersion version,
      ReplicaDrain drain) {
    this.version = version;
    this.drain = drain;
    this.tls = tls;
    this.keySets = keySets;
    this.engine = engine;
    this.credentialUse = credentialUse;
    this.notifications = notifications;
    this.metrics = metrics;
    this.probe = probe;
    this.heartbeats = heartbeats;
    this.config = config;
    this.store = store;
    this.snapshots = snapshots;
    this.web = web;
    this.signingKey = signingKey;
    this.adminToken = adminToken;
  }

  /** Starts a replica with the system clock. */
  public static HoldfastServer start(ServerConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts a replica; returns once it listens and serves its first snapshot. */
  public static HoldfastServer start(ServerConfig config, Clock clock) {
    return start(config, clock, UnaryOperator.identity());
  }

  /**
   * Starts a replica whose store is wrapped by {@code storeDecorator}: the failpoint through which
   * fault tests make a real store fail on demand (FAULTS.md A13, A18).
   *
   * <p>A start that fails stops everything it had started, the last first (the web server, the
   * timers, the database pools; the data directory's lock is held only around initialisation), so
   * that the process can exit at once and the ports, the database and the directory are free for
   * the next attempt. The rollout engine starts only once the replica listens, so a failed start
   * never takes the rollout lease.
   *
   * @throws ReplicaStartException if a port is taken, the database cannot be opened, the signing
   *     key cannot be used, or another step fails; its message is one line for an operator
   * @throws io.holdfast.server.datadir.UnsafePermissionsException if a secret file is open to other
   *     users
   * @throws io.holdfast.server.config.ConfigException if the TLS files cannot be used
   */
  public static HoldfastServer start(
      ServerConfig config, Clock clock, UnaryOperator<ConfigStore> storeDecorator) {
    // First: a certificate that cannot be used stops the start before anything is opened.
    ReplicaTls tls = ReplicaTls.load(config.tls());
    StartedParts started = new StartedParts();
    started.add(tls::close);
    try {
      return startParts(config, clock, storeDecorator, tls, started);
    } catch (RuntimeException e) {
      started.stopAll(e);
      LOG.debug("the replica did not start; everything it had started is stopped", e);
      throw e instanceof UnsafePermissionsException || e instanceof ReplicaStartException
          ? e
          : new ReplicaStartException("the replica did not start: " + StartFailures.reason(e), e);
    }
  }

  /**
   * The steps of {@link #start(ServerConfig, Clock, UnaryOperator)}; each part started is added to
   * {@code started}.
   */
  @SuppressWarnings("try") // the lock is held for the block's duration, never referenced
  private static HoldfastServer startParts(
      ServerConfig config,
      Clock clock,
      UnaryOperator<ConfigStore> storeDecorator,
      ReplicaTls tls,
      StartedParts started) {
    CredentialTokens tokens = new CredentialTokens(new SecureRandom());
    ServerMetrics metrics = new ServerMetrics(clock);
    started.add(metrics::close);
    ConfigStore store;
    RolloutStore rollouts;
    WindowSettings windows;
    Database.Dialect dialect;
    ReplicaVersion version;
    ReplicaSigningKey signingKey;
    String adminToken;
    KeySetStore keySetStore;
    ReplicaProbe probe;
    try (DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDirectory())) {
      Database database = StartFailures.openDatabase(config);
      started.add(database::close);
      dialect = database.dialect();
      version = ReplicaVersion.of(database.schema());
      if (version.schema().storeAhead()) {
        LOG.warn(
            "the database's schema is at version {}, newer than this replica's {}: running on it as"
                + " one compatible step of a rolling upgrade; upgrade this replica too",
            version.schema().store(),
            version.schema().understood());
      }
      store = storeDecorator.apply(new JdbcConfigStore(database, clock));
      started.add(store::close);
      rollouts = new JdbcRolloutStore(database, clock);
      windows = new WindowSettings(new JdbcWindowStore(database, clock));
      keySetStore = new KeySetStore(database, clock);
      signingKey = StartFailures.signingKey(config, clock);
      started.add(signingKey::close);
      adminToken = BootstrapTokenFile.read(config, tokens);
      store.ensureAdminCredential(
          BOOTSTRAP_CREDENTIAL, Role.ADMIN, CredentialTokens.hash(adminToken));
      probe = new ReplicaProbe(config.probe(), signingKey.current(), clock);
      started.add(probe::close);
      probe.ensureCanary(store);
    }
    // Before the first snapshot, whose checksums name the newest key set's version. Polled like the
    // snapshot, so a key set published through another replica is served here within one refresh
    // interval, and re-issues the checksums at once (whenNewer, below).
    PublishedKeySets keySets = new PublishedKeySets(keySetStore);
    started.add(keySets::close);
    keySets.refresh();
    SnapshotHolder snapshots =
        new SnapshotHolder(
            store,
            new SnapshotBuilder(
                signingKey::current,
                clock,
                new FreshnessStatement(config.checksumsValidity()),
                keySets::newestVersion),
            clock);
    started.add(snapshots::close);
    snapshots.refresh();
    snapshots.start(config.refreshInterval());
    // A new key on disk re-signs the snapshot at once; should the store be down for that rebuild,
    // the poller's next refresh re-signs it (the snapshot knows which key signed it). The probe
    // first, so that the canary's new credential is in the same rebuild.
    signingKey.watch(
        config.signingKeyReloadInterval(),
        () -> {
          try {
            probe.signingKeyChanged(signingKey.current(), store);
          } finally {
            snapshots.refresh();
          }
        });
    RevisionNotifications notifications = null;
    if (dialect == Database.Dialect.POSTGRESQL) {
      notifications =
          RevisionNotifications.start(
              config.jdbcUrl(), config.storeTimeout(), () -> refreshQuietly(snapshots));
      started.add(notifications::close);
    }
    metrics.bindSnapshots(snapshots);
    metrics.bindTrust(signingKey, snapshots, keySets);
    keySets.whenNewer(() -> refreshQuietly(snapshots));
    keySets.start(config.refreshInterval());
    HeartbeatWriter heartbeats =
        new HeartbeatWriter(store, MAX_BUFFERED_HEARTBEATS, HEARTBEAT_BATCH, HEARTBEAT_RETRY);
    started.add(heartbeats::close);
    Fleet fleet = new Fleet(store, snapshots, clock, FLEET_SILENT_AFTER, Duration.ofSeconds(1));
    metrics.bindFleet(fleet, heartbeats);
    metrics.bindSubscriptions(
        () ->
            UsageReport.of(
                store.listSubscriptions(SubscriptionFilter.ALL),
                store.latestHeartbeats(),
                clock.instant()));
    Changes changes =
        new Changes(
            store, rollouts, config.rollouts().requiredApprovals(), clock, metrics::recordBackout);
    CredentialUse credentialUse = new CredentialUse(store);
    ReplicaDrain drain = new ReplicaDrain(config.drainDelay());
    started.add(credentialUse::close);
    credentialUse.start(CredentialUse.FLUSH_INTERVAL);
    EdgeServer web =
        StartFailures.listen(
            config,
            () ->
                HttpApi.start(
                    config,
                    store,
                    snapshots,
                    () -> List.of(signingKey.current().verificationKey()),
                    tokens,
                    clock,
                    probe,
                    metrics,
                    fleet,
                    heartbeats,
                    changes,
                    new NamespaceService(store, rollouts, changes),
                    windows,
                    credentialUse,
                    keySets,
                    tls,
                    version,
                    drain));
    started.add(web::close);
    metrics.bindEdge(web);
    VersionMetrics.bind(metrics.registry(), version);
    // Only now that the replica listens: a replica that cannot serve must not lead rollouts.
    RolloutEngine engine =
        new RolloutEngine(
            rollouts,
            store,
            clock,
            replicaName(config, web.port()),
            config.rollouts().leaseTtl(),
            () -> refreshQuietly(snapshots),
            metrics::recordBackout);
    started.add(engine::close);
    metrics.bindRollouts(engine);
    if (config.rollouts().engineEnabled()) {
      engine.start(config.rollouts().tickInterval());
    }
    String scheme = tls.enabled() ? "https" : "http";
    LOG.info(
        "Holdfast {} (schema {}) listening on {}://{}:{} for instances and {}://{}:{} for /metrics"
            + " and health (store {}, signing key {})",
        version.release(),
        version.schema().understood(),
        scheme,
        config.host(),
        web.port(),
        scheme,
        config.host(),
        HttpApi.managementPort(web),
        JdbcUrls.redact(config.jdbcUrl()),
        signingKey.current().verificationKey().keyId());
    if (tls.enabled() && config.probe().enabled() && config.probe().targets().isEmpty()) {
      // The probe's client trusts the JDK's authorities and has no client certificate; this
      // replica's own name and CA are not known to it.
      LOG.warn(
          "the synthetic probe does not probe this replica over TLS by itself; set probe-targets to its https "
              + "address (trusted by the JDK's authorities, and without tls-client-ca)");
    } else {
      probe.start(config.host(), web.port());
    }
    probe.running().ifPresent(running -> metrics.bindProbe(probe.results(), running.targets()));
    return new HoldfastServer(
        config,
        store,
        snapshots,
        web,
        signingKey,
        adminToken,
        probe,
        metrics,
        heartbeats,
        engine,
        notifications,
        credentialUse,
        tls,
        keySets,
        version,
        drain);
  }

  /**
   * A name for this replica's rollout lease: its address, and a nonce that tells restarts apart.
   */
  private static String replicaName(ServerConfig config, int port) {
    byte[] nonce = new byte[4];
    new SecureRandom().nextBytes(nonce);
    return config.host() + ":" + port + "/" + java.util.HexFormat.of().formatHex(nonce);
  }

  private static void refreshQuietly(SnapshotHolder snapshots) {
    try {
      snapshots.refresh();
    } catch (RuntimeException e) {
      // A rollout transition or a key set committed; the next poll serves it.
      LOG.warn("the snapshot could not be refreshed yet: {}", e.getMessage());
    }
  }

  /** The port the replica listens on for instances, admin calls and the console. */
  public int port() {
    return web.port();
  }

  /** The management port: {@code /metrics}, {@code /health/live}, {@code /health/ready}. */
  public int managementPort() {
    return HttpApi.managementPort(web);
  }

  public ServerConfig config() {
    return config;
  }

  /** When this replica's admin credentials were last used, not yet written; tests flush it. */
  public CredentialUse credentialUse() {
    return credentialUse;
  }

  /**
   * The bootstrap admin token this replica was started with: configured, or read from (or generated
   * into) the admin-token file. Once the bootstrap credential is rotated or revoked through the API
   * it no longer works, and a restart with the same token does not revive it.
   */
  public String adminToken() {
    return adminToken;
  }

  /** The public key that verifies this replica's signatures now. */
  public VerificationKey verificationKey() {
    return signingKey.current().verificationKey();
  }

  /** The key this replica signs with, and its reload from disk; tests run a check at once. */
  public ReplicaSigningKey signingKey() {
    return signingKey;
  }

  /** The replica's metrics registry. */
  public ServerMetrics metrics() {
    return metrics;
  }

  /** The synthetic probe this replica runs, and its latest results. */
  public ReplicaProbe probe() {
    return probe;
  }

  /** This replica's rollout engine; tests drive its ticks when the timer is off. */
  public RolloutEngine rolloutEngine() {
    return engine;
  }

  /** The snapshot machinery, for tests and health. */
  public SnapshotHolder snapshots() {
    return snapshots;
  }

  /** The release and schema versions this replica runs. */
  public ReplicaVersion version() {
    return version;
  }

  /**
   * Stops the replica so that its instances do not notice (issue 23): it turns not-ready and sends
   * its watches elsewhere at once, keeps serving reads for {@code drain-delay} while load balancers
   * take it out of rotation, then stops taking requests and lets those in flight finish.
   */
  @Override
  public void close() {
    drain.begin();
    snapshots.releaseWatchers();
    engine.close(); // early, so the lease passes to another replica at once
    drain.holdForBalancers();
    if (notifications != null) {
      notifications.close();
    }
    probe.close(); // its rounds read this replica: stop them before it stops answering
    keySets.close();
    signingKey.close();
    try {
      // First, so that long-polling watchers answer at once instead of holding the web server's
      // stop for its whole grace period; requests in flight are still served from the snapshot.
      snapshots.close();
    } finally {
      try {
        tls.close();
        web.close();
      } finally {
        heartbeats.close(); // writes what is waiting before the store closes
        credentialUse.close(); // the same for when admin credentials were last used
        store.close();
        metrics.close();
        LOG.info("Holdfast replica on port {} stopped", config.port());
      }
    }
  }
}
