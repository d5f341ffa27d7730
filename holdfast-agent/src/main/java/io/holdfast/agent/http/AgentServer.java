package io.holdfast.agent.http;

import com.sun.net.httpserver.HttpServer;
import io.holdfast.agent.config.ListenAddress;
import io.holdfast.agent.metrics.AgentMetrics;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.seats.SubscriptionChecker;
import io.holdfast.protocol.problem.ProblemType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The agent's two listeners, on the JDK's own HTTP server: it starts in a few milliseconds with
 * nothing on the class path, which a daemon that must answer from its disk cache at once needs more
 * than Helidon's throughput (measured: docs/agent.md). Requests run on virtual threads, so a
 * thousand waiting watches cost no platform thread; at most {@code maxConcurrentRequests} run at
 * once. The server's own limits (header count and size, request read time, idle connections) are
 * set by {@link #configureLimits()} before the first server is made.
 *
 * <ul>
 *   <li>API: {@code /v1/config/{namespace}}, {@code /v1/watch} (server-sent events), {@code
 *       /v1/status}, {@code /v1/seats/...}.
 *   <li>Management: {@code /health}, {@code /metrics}.
 * </ul>
 */
public final class AgentServer implements AutoCloseable {

  private final HttpServer api;
  private final HttpServer management;
  private final ExecutorService executor;

  private AgentServer(HttpServer api, HttpServer management, ExecutorService executor) {
    this.api = api;
    this.management = management;
    this.executor = executor;
  }

  /**
   * Sets the JDK server's limits, unless the operator set them with {@code -D}: they are read once,
   * when its classes load. Bounded request headers, a request that must arrive within 10 s (a
   * slow-loris client holds a connection no longer), idle keep-alive connections closed after 60 s,
   * at most 1,024 connections open, and no Nagle delay on small answers.
   */
  public static void configureLimits() {
    setDefault("sun.net.httpserver.maxReqHeaders", "64");
    setDefault("sun.net.httpserver.maxReqHeaderSize", "16384");
    setDefault("sun.net.httpserver.maxReqTime", "10");
    setDefault("sun.net.httpserver.idleInterval", "60");
    setDefault("sun.net.httpserver.maxIdleConnections", "256");
    setDefault("sun.net.httpserver.nodelay", "true");
    // Open connections in all, idle or not: a flood of sockets is refused at accept.
    setDefault("jdk.httpserver.maxConnections", "1024");
  }

  private static void setDefault(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  /**
   * Binds both listeners and starts serving.
   *
   * @param seats the checker once its store is open (may return {@code null} before); {@code null}
   *     for an agent without seats
   * @param seatToken the seat endpoints' token; {@code null} without seats
   * @throws IOException if an address cannot be bound (in use, not local)
   */
  public static AgentServer start(
      HoldfastConfig config,
      ListenAddress listen,
      ListenAddress managementListen,
      int maxConcurrentRequests,
      Supplier<SubscriptionChecker> seats,
      String seatToken,
      AgentMetrics metrics)
      throws IOException {
    configureLimits();
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    Semaphore permits = new Semaphore(maxConcurrentRequests);
    HttpServer api = HttpServer.create(listen.socketAddress(), 128);
    HttpServer management;
    try {
      management = HttpServer.create(managementListen.socketAddress(), 16);
    } catch (IOException e) {
      api.stop(0);
      throw e;
    }
    ChangeSignal changes = ChangeSignal.listeningTo(config);
    api.createContext(
        ConfigEndpoint.PREFIX,
        new Endpoint("config", new ConfigEndpoint(config, changes), permits, metrics));
    api.createContext(
        WatchStreamEndpoint.PATH,
        new Endpoint("watch", new WatchStreamEndpoint(config, changes), permits, metrics));
    api.createContext(
        "/v1/status",
        new Endpoint("status", new StatusEndpoint(config, false, "/v1/status"), permits, metrics));
    Endpoint.Handler seatHandler =
        seats == null
            ? exchange -> {
              throw AgentProblem.seatsNotServed();
            }
            : new SeatEndpoint(
                config,
                seats,
                seatToken.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                metrics);
    api.createContext(SeatEndpoint.PREFIX, new Endpoint("seats", seatHandler, permits, metrics));
    api.createContext("/", new Endpoint("other", AgentServer::notFound, permits, metrics));
    // The management port has permits of its own: a flood of API requests must not hide /health.
    Semaphore managementPermits = new Semaphore(16);
    management.createContext(
        "/health",
        new Endpoint(
            "health", new StatusEndpoint(config, true, "/health"), managementPermits, metrics));
    management.createContext(
        "/metrics",
        new Endpoint(
            "metrics",
            exchange -> {
              Exchanges.requireMethod(exchange, "GET");
              byte[] body = metrics.scrape(config);
              exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
            },
            managementPermits,
            metrics));
    management.createContext(
        "/", new Endpoint("other", AgentServer::notFound, managementPermits, metrics));
    api.setExecutor(executor);
    management.setExecutor(executor);
    api.start();
    management.start();
    return new AgentServer(api, management, executor);
  }

  private static void notFound(com.sun.net.httpserver.HttpExchange exchange) {
    throw AgentProblem.of(
        ProblemType.ROUTE_NOT_FOUND,
        "no such resource; the agent serves /v1/config/{namespace}, /v1/watch, /v1/status and"
            + " /v1/seats");
  }

  public InetSocketAddress address() {
    return api.getAddress();
  }

  public InetSocketAddress managementAddress() {
    return management.getAddress();
  }

  @Override
  public void close() {
    api.stop(0);
    management.stop(0);
    executor.shutdownNow();
  }
}
