package io.holdfast.server.http;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.metrics.MetricsApi;
import io.holdfast.server.metrics.ServerMetrics;
import io.holdfast.server.tls.ReplicaTls;

/**
 * The management listener: {@code /metrics}, {@code /health/live} and {@code /health/ready} on a
 * port of their own ({@code management-port}), a second socket of the same web server.
 *
 * <p>Why a port apart: operator surfaces must not share a door with instances (FAULTS.md F3).
 * Operators firewall this port off from the instance network, so no instance (or anyone who reaches
 * the instance port) can flood the scrape; and the instance port's filters (admission control,
 * request metrics) never see scrapes. The instance port keeps {@code /health} for load balancers.
 * The edge's connection caps and deadlines ({@code EdgeConnections}) are the instance listener's: a
 * full instance listener leaves the management port answering. No filter runs here, and nothing
 * here authenticates: what it serves is counts and status, and the network decides who reaches it.
 * Content encoding (off) and the answers to requests rejected before routing ({@code
 * TransportProblems}) are the web server's, shared with the instance port.
 */
final class ManagementListener {

  /** The web server's name for this socket. */
  static final String SOCKET = "management";

  private final String host;
  private final HttpRouting.Builder routing;
  private final ReplicaTls tls;

  /** The configured port until the first start, then the bound one, so a restart keeps it. */
  private volatile int port;

  ManagementListener(ServerConfig config, HealthApi health, ServerMetrics metrics, ReplicaTls tls) {
    this.host = config.host();
    this.tls = tls;
    this.port = config.managementPort();
    // One routing, and so one scrape memo, for the life of the replica.
    this.routing =
        HttpRouting.builder()
            .register("/health", health)
            .register("/metrics", new MetricsApi(metrics))
            .any(Routes.notFound())
            .error(Throwable.class, ProblemResponses::send);
  }

  /**
   * Adds the management socket to {@code server}; called for every build of the web server, as
   * {@code EdgeServer} builds it again when it restarts the instance listener.
   */
  WebServerConfig.Builder addTo(WebServerConfig.Builder server) {
    // The same certificate as the instance port: metrics and health are no less worth protecting.
    return server.putSocket(
        SOCKET,
        socket ->
            HttpApi.withTls(socket, tls)
                .name(SOCKET)
                .host(host)
                .port(port)
                // As on the instance port: a 150 KB scrape must not wait on Nagle and delayed ACKs.
                .connectionOptions(options -> options.tcpNoDelay(true))
                // As on the instance port: requests Helidon rejects before routing get
                // problem+json.
                .errorHandling(errors -> errors.includeEntity(true))
                .routing(routing));
  }

  /** Keeps the port {@code server} bound (a free one when configured 0) for later builds. */
  void started(WebServer server) {
    port = server.port(SOCKET);
  }
}
