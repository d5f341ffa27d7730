package io.holdfast.bench.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.holdfast.bench.FleetEdge;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server side of the push benchmark, in a process of its own so that its memory can be read
 * from the operating system and it can be killed for the recovery herd:
 *
 * <ul>
 *   <li>{@code holdfast DATA_DIR PORT ADMIN_TOKEN MANAGEMENT_PORT [MAX_CONCURRENT_REQUESTS]}: a
 *       Holdfast replica on a data directory the benchmark prepared, with {@code /metrics} on
 *       {@code MANAGEMENT_PORT};
 *   <li>{@code plain PORT}: the baseline, the JDK's own HttpServer on virtual threads doing the
 *       same long poll with none of Holdfast's work (no store, no authentication, no signing, no
 *       snapshot): {@code GET /v1/instances/ID/checksums|config/core|watch?etag=…&timeout=…},
 *       {@code POST /publish} and {@code GET /health};
 *   <li>{@code plain-sse PORT}: the same baseline for event streams ({@link PlainSseServer}).
 * </ul>
 *
 * Prints {@code READY <port>} once it serves.
 */
public final class PushBenchServer {

  private PushBenchServer() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "holdfast" -> {
        ServerConfig.Builder config =
            ServerConfig.builder(Path.of(args[1]))
                .host("127.0.0.1")
                .port(Integer.parseInt(args[2]))
                .adminToken(args[3])
                .managementPort(Integer.parseInt(args[4]))
                // Room for the 50,000-watcher run of the event streams (issue 21).
                .maxWatchers(100_000)
                // Every simulated instance connects from 127.0.0.1: the per-address cap that
                // guards a replica against one flooding host would refuse most of the fleet here.
                .edge(FleetEdge.oneHost());
        if (args.length > 5) {
          config.maxConcurrentRequests(Integer.parseInt(args[5]));
        }
        HoldfastServer server = HoldfastServer.start(config.build());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        ready(server.port());
      }
      case "plain" -> {
        PlainWatchServer server = new PlainWatchServer(Integer.parseInt(args[1]));
        ready(server.port());
      }
      case "plain-sse" -> {
        PlainSseServer server = new PlainSseServer(Integer.parseInt(args[1]));
        ready(server.port());
      }
      default -> throw new IllegalArgumentException("holdfast|plain|plain-sse, not " + args[0]);
    }
    new CountDownLatch(1).await();
  }

  private static void ready(int port) {
    System.out.println("READY " + port);
    System.out.flush();
  }

  /** The baseline: the same long poll on the JDK's HttpServer, one virtual thread per exchange. */
  static final class PlainWatchServer {

    private final HttpServer server;
    private final AtomicReference<CompletableFuture<Long>> changed =
        new AtomicReference<>(new CompletableFuture<>());
    private volatile long revision = 1;
    private final AtomicInteger waiting = new AtomicInteger();

    PlainWatchServer(int port) throws IOException {
      // Its defaults close idle keep-alive connections beyond 200 and after 30 s: set so that it
      // holds a fleet's connections as Holdfast does. Read when the server classes load.
      System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
      System.setProperty("sun.net.httpserver.idleInterval", "3600");
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4096);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/v1/instances/", this::instance);
      server.createContext("/publish", this::publish);
      server.createContext(
          "/health", exchange -> send(exchange, 200, null, "{\"waiting\":" + waiting.get() + "}"));
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    private void instance(HttpExchange exchange) throws IOException {
      URI uri = exchange.getRequestURI();
      String[] parts = uri.getPath().split("/");
      String instance = parts[3];
      if (uri.getPath().endsWith("/watch")) {
        String known = query(uri, "etag");
        long seen = revision;
        if (known != null && ("\"" + known + "\"").equals(tag(seen))) {
          CompletableFuture<Long> next = changed.get();
          if (revision == seen) {
            waiting.incrementAndGet();
            try {
              next.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
              exchange.getResponseHeaders().set("ETag", tag(seen));
              exchange.sendResponseHeaders(304, -1);
              exchange.close();
              return;
            } catch (Exception e) {
              throw new IOException(e);
            } finally {
              waiting.decrementAndGet();
            }
          }
        }
      }
      long now = revision;
      send(exchange, 200, tag(now), document(instance, now));
    }

    private void publish(HttpExchange exchange) throws IOException {
      long next;
      synchronized (this) {
        next = ++revision;
        changed.getAndSet(new CompletableFuture<>()).complete(next);
      }
      send(exchange, 200, null, "{\"revision\":" + next + "}");
    }

    /** About the size of a Holdfast checksums document with two namespaces. */
    private static String document(String instance, long revision) {
      return "{\"format\":\"holdfast-checksums-1\",\"instance\":\""
          + instance
          + "\",\"namespaces\":{"
          + "\"core\":{\"digest\":\"sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:\",\"etag\":\"\\\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\\"\",\"revision\":"
          + revision
          + "},"
          + "\"subscriptions\":{\"digest\":\"sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:\",\"etag\":\"\\\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\\"\",\"revision\":1}},"
          + "\"revision\":"
          + revision
          + "}";
    }

    private static String tag(long revision) {
      return "\"r" + revision + "\"";
    }

    private static String query(URI uri, String name) {
      String query = uri.getQuery();
      if (query == null) {
        return null;
      }
      for (String pair : query.split("&")) {
        if (pair.startsWith(name + "=")) {
          return pair.substring(name.length() + 1);
        }
      }
      return null;
    }

    private static void send(HttpExchange exchange, int status, String etag, String body)
        throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      if (etag != null) {
        exchange.getResponseHeaders().set("ETag", etag);
        exchange
            .getResponseHeaders()
            .set("Holdfast-Revision", etag.substring(2, etag.length() - 1));
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
