package io.holdfast.cli;

import io.holdfast.server.HoldfastServer;
import io.holdfast.server.ReplicaStartException;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.config.ServerConfigLoader;
import io.holdfast.server.datadir.UnsafePermissionsException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast server}: runs one replica until SIGINT or SIGTERM, then shuts it down gracefully.
 * Configuration comes from {@code --config FILE}, then {@code HOLDFAST_*} environment variables,
 * then flags, later ones winning.
 */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run a Holdfast replica.")
final class ServerCommand implements Callable<Integer> {

  /** Exit status when the replica refuses to start because a secret file is open to others. */
  static final int EXIT_UNSAFE_FILES = 5;

  /**
   * Exit status when the replica cannot start: a port taken, the database unreachable, a bad key.
   */
  static final int EXIT_START_FAILED = 6;

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file with any of the keys below.")
  Path configFile;

  @Option(names = "--host", description = "Address to bind (default 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "Port (default 7070; 0 picks a free one).")
  String port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory (default ./holdfast-data).")
  String dataDir;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description = "Database (default jdbc:sqlite:<data-dir>/holdfast.db).")
  String jdbcUrl;

  @Option(
      names = "--signing-key",
      paramLabel = "FILE",
      description = "Ed25519 key file (default <data-dir>/signing-key.pem).")
  String signingKey;

  @Option(
      names = "--max-body-bytes",
      description = "Largest accepted request body (default 1048576).")
  String maxBodyBytes;

  @Option(names = "--max-depth", description = "Deepest accepted JSON nesting (default 32).")
  String maxDepth;

  @Option(
      names = "--refresh-interval",
      description = "How often to look for other replicas' writes (default 250ms).")
  String refreshInterval;

  @Option(
      names = "--max-watchers",
      description = "Most concurrent long-poll watchers (default 20000).")
  String maxWatchers;

  @Option(
      names = "--max-concurrent-requests",
      description =
          "Most instance requests served at once; more wait briefly, then get 503 overloaded (default 256).")
  String maxConcurrentRequests;

  @Option(
      names = "--management-port",
      description =
          "Port for /metrics and health, to firewall off from instances (default port + 10; 0 picks a free one).")
  String managementPort;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      description = "Close a kept-alive connection idle this long between requests (default 75s).")
  String idleTimeout;

  @Option(
      names = "--header-timeout",
      paramLabel = "DURATION",
      description =
          "A new connection must deliver its request's headers within this (default 10s).")
  String headerTimeout;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      description =
          "A request and its body must be done within this; waiting watches are exempt (default 30s).")
  String requestTimeout;

  @Option(
      names = "--max-connections",
      description = "Most open connections on the instance port (default 20000).")
  String maxConnections;

  @Option(
      names = "--max-connections-per-address",
      description =
          "Most open connections from one remote address; raise it for a proxy in front (default 1024).")
  String maxConnectionsPerAddress;

  @Option(
      names = "--max-watches-per-instance",
      description = "Most waiting watches per instance credential (default 64).")
  String maxWatchesPerInstance;

  @Option(
      names = "--max-requests-per-instance",
      description = "Most requests in flight per instance credential (default 64).")
  String maxRequestsPerInstance;

  @Option(
      names = "--max-admin-requests",
      description =
          "Most admin and console requests served at once; more wait their turn (default half the cores).")
  String maxAdminRequests;

  @Option(
      names = "--trusted-proxies",
      paramLabel = "CIDR,CIDR",
      description =
          "Proxies whose X-Forwarded-For / Forwarded client address the console believes (default none).")
  String trustedProxies;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "PEM certificate chain for TLS on every port, reloaded when it changes (default plain HTTP).")
  String tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "PEM private key of --tls-cert (unencrypted).")
  String tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description =
          "PEM bundle of authorities whose client certificates are required (mutual TLS; default none).")
  String tlsClientCa;

  @Option(
      names = "--tls-reload-interval",
      paramLabel = "DURATION",
      description = "How often the TLS files are checked for a renewed certificate (default 10s).")
  String tlsReloadInterval;

  @Option(
      names = "--signing-key-reload-interval",
      paramLabel = "DURATION",
      description =
          "How often the signing-key file is checked for a new key, taken without a restart"
              + " (default 30s; 0 never).")
  String signingKeyReloadInterval;

  @Option(
      names = "--checksums-validity",
      paramLabel = "DURATION",
      description =
          "How long the freshness statement in every instance's checksums holds; re-issued every"
              + " half of it (default 24h; 10m to 30d).")
  String checksumsValidity;

  @Option(
      names = "--probe-enabled",
      paramLabel = "true|false",
      description = "Run the synthetic probe (default true).")
  String probeEnabled;

  @Option(
      names = "--probe-interval",
      paramLabel = "DURATION",
      description = "Time between probe rounds (default 10s).")
  String probeInterval;

  @Option(
      names = "--probe-targets",
      paramLabel = "URL,URL",
      description = "Replicas to probe, this one included (default this replica only).")
  String probeTargets;

  @Option(
      names = "--probe-lag-tolerance",
      paramLabel = "DURATION",
      description =
          "How long a replica may be behind its peers before it counts as lagging (default 30s).")
  String probeLagTolerance;

  @Option(
      names = "--drain-delay",
      paramLabel = "DURATION",
      description =
          "On stop, how long the replica reports not-ready while it still serves, so that load"
              + " balancers take it out first (default 5s; 0s to stop at once).")
  String drainDelay;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> flags = new HashMap<>();
    flags.put("host", host);
    flags.put("port", port);
    flags.put("data-dir", dataDir);
    flags.put("jdbc-url", jdbcUrl);
    flags.put("signing-key", signingKey);
    flags.put("max-body-bytes", maxBodyBytes);
    flags.put("max-depth", maxDepth);
    flags.put("refresh-interval", refreshInterval);
    flags.put("max-watchers", maxWatchers);
    flags.put("max-concurrent-requests", maxConcurrentRequests);
    flags.put("management-port", managementPort);
    flags.put("idle-timeout", idleTimeout);
    flags.put("header-timeout", headerTimeout);
    flags.put("request-timeout", requestTimeout);
    flags.put("max-connections", maxConnections);
    flags.put("max-connections-per-address", maxConnectionsPerAddress);
    flags.put("max-watches-per-instance", maxWatchesPerInstance);
    flags.put("max-requests-per-instance", maxRequestsPerInstance);
    flags.put("max-admin-requests", maxAdminRequests);
    flags.put("trusted-proxies", trustedProxies);
    flags.put("tls-cert", tlsCert);
    flags.put("tls-key", tlsKey);
    flags.put("tls-client-ca", tlsClientCa);
    flags.put("tls-reload-interval", tlsReloadInterval);
    flags.put("signing-key-reload-interval", signingKeyReloadInterval);
    flags.put("checksums-validity", checksumsValidity);
    flags.put("probe-enabled", probeEnabled);
    flags.put("probe-interval", probeInterval);
    flags.put("probe-targets", probeTargets);
    flags.put("probe-lag-tolerance", probeLagTolerance);
    flags.put("drain-delay", drainDelay);
    ServerConfig config = ServerConfigLoader.load(configFile, System.getenv(), flags);
    HoldfastServer server;
    try {
      server = HoldfastServer.start(config);
    } catch (UnsafePermissionsException e) {
      // A refusal to start, not a crash: one clear line and a non-zero exit, no stack trace.
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return EXIT_UNSAFE_FILES;
    } catch (ReplicaStartException e) {
      // Everything the start had opened is stopped again, so returning ends the process at once.
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return EXIT_START_FAILED;
    }
    awaitShutdown(server);
    return 0;
  }

  /** Blocks until the JVM is asked to stop, then closes {@code servers} in order. */
  static void awaitShutdown(AutoCloseable... servers) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (AutoCloseable server : servers) {
                    try {
                      server.close();
                    } catch (Exception e) {
                      System.err.println("error while stopping: " + e);
                    }
                  }
                  stopped.countDown();
                },
                "holdfast-shutdown"));
    stopped.await();
  }
}
