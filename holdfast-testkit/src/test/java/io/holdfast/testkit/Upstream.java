package io.holdfast.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A stand-in replica: serves one JSON document on every path, with ETag and Repr-Digest. */
final class Upstream implements AutoCloseable {

  /** What the replica saw of the last request. */
  record Seen(String method, String target, Map<String, List<String>> headers, byte[] body) {}

  private final HttpServer server;
  private final AtomicReference<byte[]> document = new AtomicReference<>();
  private final AtomicReference<Seen> last = new AtomicReference<>();
  private final AtomicInteger hits = new AtomicInteger();

  Upstream(String document) throws IOException {
    serve(document);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void serve(String newDocument) {
    document.set(newDocument.getBytes(StandardCharsets.UTF_8));
  }

  int hits() {
    return hits.get();
  }

  Seen last() {
    return last.get();
  }

  static String etagOf(String body) {
    byte[] digest = sha256(body.getBytes(StandardCharsets.UTF_8));
    return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "\"";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      hits.incrementAndGet();
      byte[] requestBody = exchange.getRequestBody().readAllBytes();
      last.set(
          new Seen(
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              Map.copyOf(exchange.getRequestHeaders()),
              requestBody));
      byte[] body = document.get();
      String etag = etagOf(new String(body, StandardCharsets.UTF_8));
      exchange.getResponseHeaders().set("ETag", etag);
      exchange.getResponseHeaders().set("Cache-Control", "private, no-cache");
      if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/vnd.holdfast.envelope+json");
      exchange
          .getResponseHeaders()
          .set("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(sha256(body)) + ":");
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
