package io.holdfast.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.holdfast.client.internal.TestDocuments;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.http.HoldfastHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A replica of one instance with one namespace ({@code core} unless named), on the JDK's HTTP
 * server, for client tests that need real requests but no real server: it serves signed checksums
 * listing the document it serves, and that document, with {@code If-None-Match} answered by 304.
 * The test swaps what it serves, or makes the checksums or the document fail with a status. It
 * counts the document bodies it sent and the 304s it answered, and keeps the heartbeats it receives
 * (answering 204). Its watch never holds a request: it answers 304 at once when the checksums are
 * those named, else 200 with them. Thread-safe.
 */
public final class InProcessReplica implements AutoCloseable {

  private static final String BASE = "/v1/instances/" + TestDocuments.INSTANCE;

  private final TestDocuments docs;
  private final HttpServer server;
  private volatile TestDocuments.Signed document;
  private final String namespace;
  private volatile int checksumsStatus = 200;
  private volatile int documentStatus = 200;
  private final AtomicInteger documentsSent = new AtomicInteger();
  private final AtomicInteger documentsNotModified = new AtomicInteger();
  private final AtomicInteger watches = new AtomicInteger();
  private volatile Draining draining = Draining.NO;
  private final BlockingQueue<JsonNode> heartbeats = new LinkedBlockingQueue<>();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  InProcessReplica(TestDocuments docs, TestDocuments.Signed document) {
    this(docs, "core", document);
  }

  public InProcessReplica(TestDocuments docs, String namespace, TestDocuments.Signed document) {
    this.docs = docs;
    this.namespace = namespace;
    this.document = document;
    server = loopbackServer();
    server.createContext(BASE + "/checksums", this::checksums);
    server.createContext(BASE + "/config/" + namespace, this::document);
    server.createContext(BASE + "/heartbeat", this::heartbeat);
    server.createContext(BASE + "/watch", this::watch);
    server.start();
  }

  /** An HTTP server on a free loopback port, not started. */
  static HttpServer loopbackServer() {
    try {
      return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Serves this as {@code core} from now on, and lists it in the checksums. */
  public void serve(TestDocuments.Signed next) {
    this.document = next;
  }

  /** Answers the checksums with this status and no body; 200 serves them again. */
  public void checksumsStatus(int status) {
    this.checksumsStatus = status;
  }

  /** Answers requests for the document with this status and no body; 200 serves it again. */
  public void documentStatus(int status) {
    this.documentStatus = status;
  }

  /** How a stopping replica answers watches (issue 23). */
  public enum Draining {
    /** Not stopping. */
    NO,
    /** Answers the watch as usual, marked {@code Holdfast-Draining}, as a released watch is. */
    RELEASES_WATCHES,
    /** Refuses the watch with {@code 503 draining}, as a new watch on a stopping replica is. */
    REFUSES_WATCHES
  }

  /** Makes the watch answer as a stopping replica's does. */
  public void draining(Draining draining) {
    this.draining = draining;
  }

  /** How many watch requests it answered. */
  public int watches() {
    return watches.get();
  }

  /** How many times a request for the document was answered 304 Not Modified. */
  public int documentsNotModified() {
    return documentsNotModified.get();
  }

  /** How many times the document was sent with its body (a 200, not a 304). */
  public int documentsSent() {
    return documentsSent.get();
  }

  /**
   * The next heartbeat received that matches, skipping others.
   *
   * @throws AssertionError if none arrives within the timeout
   */
  JsonNode nextHeartbeat(Predicate<JsonNode> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      JsonNode heartbeat = heartbeats.poll(left, TimeUnit.NANOSECONDS);
      if (heartbeat != null && wanted.test(heartbeat)) {
        return heartbeat;
      }
    }
    throw new AssertionError("no matching heartbeat within " + timeout);
  }

  private void heartbeat(HttpExchange exchange) throws IOException {
    try (exchange) {
      heartbeats.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(204, -1);
    }
  }

  private void checksums(HttpExchange exchange) throws IOException {
    int status = checksumsStatus;
    if (status != 200) {
      send(exchange, status, Map.of(), new byte[0]);
      return;
    }
    TestDocuments.Signed signed = signedChecksums();
    send(exchange, 200, signedHeaders(signed), signed.body());
  }

  private TestDocuments.Signed signedChecksums() {
    TestDocuments.Signed served = document;
    return docs.checksums(
        TestDocuments.INSTANCE,
        Map.of(namespace, new Checksums.Entry(1, served.etag(), served.reprDigest())));
  }

  private void watch(HttpExchange exchange) throws IOException {
    watches.incrementAndGet();
    Draining mode = draining;
    if (mode == Draining.REFUSES_WATCHES) {
      send(
          exchange,
          503,
          Map.of(
              "Content-Type",
              HoldfastHeaders.PROBLEM_MEDIA_TYPE,
              HoldfastHeaders.DRAINING,
              "true",
              "Retry-After",
              "1"),
          "{\"type\":\"urn:holdfast:problem:draining\",\"status\":503}".getBytes(UTF_8));
      return;
    }
    if (mode == Draining.RELEASES_WATCHES) {
      exchange.getResponseHeaders().add(HoldfastHeaders.DRAINING, "true");
    }
    TestDocuments.Signed signed = signedChecksums();
    String query = exchange.getRequestURI().getQuery();
    String named = query.substring(query.indexOf("etag=") + 5, query.indexOf("&timeout="));
    if (named.equals(signed.etag())) {
      send(exchange, 304, Map.of("ETag", signed.etag()), new byte[0]);
      return;
    }
    send(exchange, 200, signedHeaders(signed), signed.body());
  }

  private void document(HttpExchange exchange) throws IOException {
    int status = documentStatus;
    if (status != 200) {
      send(exchange, status, Map.of(), new byte[0]);
      return;
    }
    TestDocuments.Signed served = document;
    String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
    if (served.etag().equals(ifNoneMatch)) {
      documentsNotModified.incrementAndGet();
      send(exchange, 304, Map.of("ETag", served.etag()), new byte[0]);
      return;
    }
    documentsSent.incrementAndGet();
    send(exchange, 200, signedHeaders(served), served.body());
  }

  static Map<String, String> signedHeaders(TestDocuments.Signed signed) {
    return Map.of(
        "Content-Type",
        HoldfastHeaders.ENVELOPE_MEDIA_TYPE,
        HoldfastHeaders.REPR_DIGEST,
        signed.reprDigest(),
        HoldfastHeaders.SIGNATURE,
        signed.signature(),
        "ETag",
        signed.etag());
  }

  static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    try (exchange) {
      headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
