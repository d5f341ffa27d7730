package io.holdfast.bench.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The baseline of the push benchmark's event-stream mode (issue 21): the JDK's own HttpServer on
 * virtual threads serving {@code GET /v1/instances/ID/events} as Holdfast's replica does, with none
 * of its work (no store, no authentication, no signing, no snapshot). Each stream's virtual thread
 * parks on the next publish and then writes the newest revision's event, so it coalesces as
 * Holdfast's does; an opening comment is sent at once and a keep-alive comment every 15 s. The
 * event has Holdfast's shape and about its size: a checksums document of five namespaces, base64,
 * beside a digest and a signature. {@code POST /publish} moves the revision and {@code GET /health}
 * answers {@code {"waiting":N}} with the streams open.
 */
final class PlainSseServer {

  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final byte[] OPENING =
      ": plain checksums stream\n\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] KEEP_ALIVE_COMMENT =
      ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
  private static final String DIGEST = "sha-256=:" + "A".repeat(43) + "=:";
  private static final String SIGNATURE = "ed25519;key=\"k1\";sig=:" + "A".repeat(86) + "==:";

  /** The checksums document's size, so that the whole event is about Holdfast's. */
  private static final int BODY_BYTES = 1645;

  private final HttpServer server;
  private final AtomicReference<CompletableFuture<Long>> changed =
      new AtomicReference<>(new CompletableFuture<>());
  private volatile long revision = 1;
  private final AtomicInteger open = new AtomicInteger();

  PlainSseServer(int port) throws IOException {
    // Its defaults close idle keep-alive connections beyond 200 and after 30 s; a stream is not
    // idle, but set as PlainWatchServer does so both baselines hold a fleet alike.
    System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    System.setProperty("sun.net.httpserver.idleInterval", "3600");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4096);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/instances/", this::stream);
    server.createContext("/publish", this::publish);
    server.createContext("/health", exchange -> json(exchange, "{\"waiting\":" + open.get() + "}"));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void stream(HttpExchange exchange) throws IOException {
    String instance = exchange.getRequestURI().getPath().split("/")[3];
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-store, no-transform");
    exchange.sendResponseHeaders(200, 0); // chunked, as Holdfast's stream is
    open.incrementAndGet();
    try (OutputStream out = exchange.getResponseBody()) {
      write(out, OPENING);
      String lastId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
      long sent = lastId != null && lastId.equals(tag(revision)) ? revision : -1;
      while (true) {
        CompletableFuture<Long> next = changed.get();
        long now = revision;
        if (now != sent) {
          write(out, event(instance, now));
          sent = now;
        }
        try {
          next.get(KEEP_ALIVE.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          write(out, KEEP_ALIVE_COMMENT);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception e) {
          return;
        }
      }
    } catch (IOException gone) {
      // The client went away.
    } finally {
      open.decrementAndGet();
    }
  }

  private void publish(HttpExchange exchange) throws IOException {
    long next;
    synchronized (this) {
      next = ++revision;
      changed.getAndSet(new CompletableFuture<>()).complete(next);
    }
    json(exchange, "{\"revision\":" + next + "}");
  }

  /** A checksums event of Holdfast's shape and about its size, for {@code revision}. */
  static byte[] event(String instance, long revision) {
    StringBuilder body =
        new StringBuilder("{\"format\":\"holdfast-checksums-1\",\"instance\":\"")
            .append(instance)
            .append("\",\"namespaces\":{");
    String[] namespaces = {"burst-1", "burst-2", "burst-3", "burst-4", "core"};
    for (int i = 0; i < namespaces.length; i++) {
      body.append(i == 0 ? "" : ",")
          .append('"')
          .append(namespaces[i])
          .append("\":{\"digest\":\"")
          .append(DIGEST)
          .append("\",\"etag\":\"\\\"")
          .append("A".repeat(43))
          .append("\\\"\",\"revision\":")
          .append(revision)
          .append('}');
    }
    // Holdfast's event also carries each namespace's content type and its key id: pad to its
    // size (2,470 bytes for five namespaces at 10,000 instances, measured by the fleet), so both
    // write the same bytes.
    body.append("},\"revision\":").append(revision).append(",\"pad\":\"");
    body.append("A".repeat(Math.max(0, BODY_BYTES - body.length() - 2))).append("\"}");
    String encoded =
        Base64.getEncoder().encodeToString(body.toString().getBytes(StandardCharsets.UTF_8));
    String tag = tag(revision);
    String event =
        "event: checksums\nid: "
            + tag
            + "\ndata: {\"etag\":\""
            + tag.replace("\"", "\\\"")
            + "\",\"revision\":\""
            + revision
            + "\",\"reprDigest\":\""
            + DIGEST
            + "\",\"signature\":\""
            + SIGNATURE.replace("\"", "\\\"")
            + "\",\"body\":\""
            + encoded
            + "\"}\n\n";
    return event.getBytes(StandardCharsets.UTF_8);
  }

  private static String tag(long revision) {
    return "\"r" + revision + "\"";
  }

  private static void write(OutputStream out, byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  private static void json(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
