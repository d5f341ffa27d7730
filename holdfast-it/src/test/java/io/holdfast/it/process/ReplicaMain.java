package io.holdfast.it.process;

import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.EdgeSettings;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.config.TrustedProxies;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

/**
 * A replica in a process of its own, for system tests that need real separate processes: {@code
 * ReplicaMain <data-dir> <port> <admin-token> <probe-interval-ms> [probe-target …]
 * [--trusted-proxies=CIDR,…] [--signing-key-reload-ms=N] [--watch-load=N]}: {@code --watch-load}
 * raises the per-address connection and per-instance watch limits to {@code N}, for load tests
 * whose many watchers all come from loopback. Its management port ({@code /metrics}, health) is a
 * free one. Prints {@code READY <port> <management-port>} once it serves ({@link Ready#of} reads
 * it), and runs until the process is stopped.
 */
public final class ReplicaMain {

  private ReplicaMain() {}

  /** The ports a started replica process announced. */
  public record Ready(int port, int managementPort) {

    /** Waits for the process's {@code READY} line and reads its ports. */
    public static Ready of(JavaProcess process, long timeoutSeconds)
        throws TimeoutException, InterruptedException {
      String[] words = process.awaitLine("READY ", timeoutSeconds).strip().split(" ");
      return new Ready(Integer.parseInt(words[1]), Integer.parseInt(words[2]));
    }
  }

  public static void main(String[] args) throws InterruptedException {
    String trusted = "--trusted-proxies=";
    String reload = "--signing-key-reload-ms=";
    List<URI> targets =
        Arrays.stream(args).skip(4).filter(a -> !a.startsWith("--")).map(URI::create).toList();
    List<String> proxies =
        Arrays.stream(args)
            .skip(4)
            .filter(a -> a.startsWith(trusted))
            .flatMap(a -> Arrays.stream(a.substring(trusted.length()).split(",")))
            .toList();
    // The trust drills replace signing-key.pem and must not wait the default 30 s for the reload.
    Duration reloadInterval =
        Arrays.stream(args)
            .skip(4)
            .filter(a -> a.startsWith(reload))
            .map(a -> Duration.ofMillis(Long.parseLong(a.substring(reload.length()))))
            .findFirst()
            .orElse(ServerConfig.DEFAULT_SIGNING_KEY_RELOAD_INTERVAL);
    String watchLoad = "--watch-load=";
    EdgeSettings edge =
        Arrays.stream(args)
            .skip(4)
            .filter(a -> a.startsWith(watchLoad))
            .map(a -> Integer.parseInt(a.substring(watchLoad.length())))
            .map(ReplicaMain::loadEdge)
            .findFirst()
            .orElse(EdgeSettings.DEFAULTS);
    ServerConfig config =
        ServerConfig.builder(Path.of(args[0]))
            .port(Integer.parseInt(args[1]))
            .adminToken(args[2])
            .refreshInterval(Duration.ofMillis(100))
            .probeEnabled(!targets.isEmpty())
            .probeInterval(Duration.ofMillis(Long.parseLong(args[3])))
            .probeTargets(targets)
            .trustedProxies(TrustedProxies.of(proxies))
            .signingKeyReloadInterval(reloadInterval)
            .edge(edge)
            .build();
    HoldfastServer server = HoldfastServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("READY " + server.port() + " " + server.managementPort());
    System.out.flush();
    new CountDownLatch(1).await();
  }

  /**
   * The default edge, but with {@code watchers} connections per address and watches per instance.
   */
  private static EdgeSettings loadEdge(int watchers) {
    EdgeSettings d = EdgeSettings.DEFAULTS;
    return new EdgeSettings(
        d.idleTimeout(),
        d.headerTimeout(),
        d.requestTimeout(),
        d.maxConnections(),
        watchers,
        watchers,
        d.maxRequestsPerInstance(),
        d.maxAdminRequests());
  }
}
