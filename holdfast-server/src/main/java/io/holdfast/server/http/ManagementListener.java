package io.holdfast.server.http;

import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.metrics.MetricsApi;
import io.holdfast.server.metrics.ServerMetrics;

/**
 * The management listener: {@code /metrics}, {@code /health/live} and {@code /health/ready} on a
 * port of their own ({@code management-port}), a second socket of the same web server.
 *
 * <p>Why a port apart: operator surfaces must not share a door with instances (FAULTS.md F3).
 * Operators firewall this port off from the instance network, so no instance (or anyone who
 * reaches the instance port) can flood the scrape; and the instance port's filters (admission
 * control, request metrics) never see scrapes. The instance port keeps {@code /health} for load
 * balancers. No filter runs here, and nothing here authenticates: what it serves is counts and
 * status, and the network decides who reaches it. Content encoding (off) and the answers to
 * requests rejected before routing ({@code TransportProblems}) are the web server's, shared with
 * the instance port.
 */
final class ManagementListener {

  /** The web server's name for this socket. */
  static final String SOCKET = "management";

  private ManagementListener() {}

  /** Adds the management socket, with its own routing, to {@code server}. */
  static void addTo(WebServerConfig.Builder server, ServerConfig config, HealthApi health, ServerMetrics metrics) {
    HttpRouting.Builder routing = HttpRouting.builder()
        .register("/health", health)
        .register("/metrics", new MetricsApi(metrics))
        .any(Routes.notFound())
        .error(Throwable.class, ProblemResponses::send);
    server.putSocket(SOCKET, socket -> configure(socket, config, routing));
  }

  private static void configure(ListenerConfig.Builder socket, ServerConfig config, HttpRouting.Builder routing) {
    socket.name(SOCKET)
        .host(config.host())
        .port(config.managementPort())
        // As on the instance port: a 150 KB scrape must not wait on Nagle and delayed ACKs.
        .connectionOptions(options -> options.tcpNoDelay(true))
        // As on the instance port: requests Helidon rejects before routing get problem+json.
        .errorHandling(errors -> errors.includeEntity(true))
        .routing(routing);
  }
}
