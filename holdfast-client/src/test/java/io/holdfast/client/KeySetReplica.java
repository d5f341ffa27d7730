package io.holdfast.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.holdfast.client.internal.TestDocuments;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.keyset.SignedKeySet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replica of one instance with the namespace {@code core} that serves root-signed key sets, as a
 * replica with {@code holdfast keys publish} does: {@code GET /v1/keyset} (the newest) and {@code
 * GET /v1/keyset/chain?after=N}. It signs the checksums and the document with the online key the
 * test chooses ({@link #signWith}); the checksums carry the freshness statement and the newest key
 * set's version, and list the document served unless the test makes them list another ({@link
 * #listInstead}, a mix-and-match). {@code If-None-Match} is answered 304. It counts the document
 * requests that came without {@code If-None-Match}. No watch endpoint: clients poll. Thread-safe.
 */
final class KeySetReplica implements AutoCloseable {

  private static final String BASE = "/v1/instances/" + TestDocuments.INSTANCE;

  private final HttpServer server;
  private final List<SignedKeySet> keySets = new CopyOnWriteArrayList<>();
  private volatile TestDocuments signer;
  private volatile Envelope document;
  private volatile Envelope listed;
  private volatile Checksums.Validity validity;
  private volatile int checksumsStatus = 200;
  private final AtomicInteger unconditional = new AtomicInteger();
  private final AtomicInteger keySetRequests = new AtomicInteger();

  /**
   * @param signer the online key that signs the checksums and the document
   * @param validity the checksums' freshness statement
   */
  KeySetReplica(TestDocuments signer, Envelope document, Checksums.Validity validity) {
    this.signer = signer;
    this.document = document;
    this.validity = validity;
    server = InProcessReplica.loopbackServer();
    server.createContext("/v1/keyset", this::keySet);
    server.createContext(BASE + "/checksums", this::checksums);
    server.createContext(BASE + "/config/core", this::document);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Publishes key sets, in ascending version order after those published before. */
  void publish(SignedKeySet... published) {
    keySets.addAll(List.of(published));
  }

  /** Signs the checksums and the document with this online key from now on. */
  void signWith(TestDocuments next) {
    this.signer = next;
  }

  /** Serves this document from now on, and lists it in the checksums. */
  void serve(Envelope next) {
    this.document = next;
    this.listed = null;
  }

  /** Lists this document in the checksums while serving another (FAULTS D12). */
  void listInstead(Envelope other) {
    this.listed = other;
  }

  /** Answers the checksums with this status and no body; 200 serves them again (FAULTS A9). */
  void checksumsStatus(int status) {
    this.checksumsStatus = status;
  }

  /** The freshness statement of the checksums from now on. */
  void validity(Checksums.Validity next) {
    this.validity = next;
  }

  /** Document requests that came without {@code If-None-Match}. */
  int unconditionalDocumentRequests() {
    return unconditional.get();
  }

  /** Requests for a key set or a chain of them. */
  int keySetRequests() {
    return keySetRequests.get();
  }

  private long newestVersion() {
    return keySets.isEmpty() ? 0 : keySets.get(keySets.size() - 1).keySet().version();
  }

  private void keySet(HttpExchange exchange) throws IOException {
    keySetRequests.incrementAndGet();
    String path = exchange.getRequestURI().getPath();
    if (keySets.isEmpty()) {
      InProcessReplica.send(exchange, 404, Map.of(), new byte[0]);
    } else if (path.equals("/v1/keyset")) {
      InProcessReplica.send(exchange, 200, json(), keySets.get(keySets.size() - 1).toBytes());
    } else if (path.equals("/v1/keyset/chain")) {
      String query = exchange.getRequestURI().getQuery();
      long after = Long.parseLong(query.substring(query.indexOf("after=") + 6));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes("{\"keySets\":[".getBytes(StandardCharsets.US_ASCII));
      String separator = "";
      for (SignedKeySet keySet : keySets) {
        if (keySet.keySet().version() > after) {
          out.writeBytes(separator.getBytes(StandardCharsets.US_ASCII));
          out.writeBytes(keySet.toBytes());
          separator = ",";
        }
      }
      out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
      InProcessReplica.send(exchange, 200, json(), out.toByteArray());
    } else {
      InProcessReplica.send(exchange, 404, Map.of(), new byte[0]);
    }
  }

  private void checksums(HttpExchange exchange) throws IOException {
    if (checksumsStatus != 200) {
      InProcessReplica.send(exchange, checksumsStatus, Map.of(), new byte[0]);
      return;
    }
    TestDocuments key = signer;
    Envelope inList = listed == null ? document : listed;
    TestDocuments.Signed entry = key.sign(inList.toBytes());
    Checksums checksums =
        new Checksums(
            TestDocuments.INSTANCE,
            inList.revision(),
            new TreeMap<>(
                Map.of(
                    "core",
                    new Checksums.Entry(inList.revision(), entry.etag(), entry.reprDigest()))),
            Optional.of(validity),
            newestVersion());
    TestDocuments.Signed signed = key.sign(checksums.toBytes());
    InProcessReplica.send(exchange, 200, InProcessReplica.signedHeaders(signed), signed.body());
  }

  private void document(HttpExchange exchange) throws IOException {
    TestDocuments.Signed served = signer.sign(document.toBytes());
    String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
    if (ifNoneMatch == null) {
      unconditional.incrementAndGet();
    } else if (served.etag().equals(ifNoneMatch)) {
      InProcessReplica.send(exchange, 304, Map.of("ETag", served.etag()), new byte[0]);
      return;
    }
    InProcessReplica.send(exchange, 200, InProcessReplica.signedHeaders(served), served.body());
  }

  private static Map<String, String> json() {
    return Map.of("Content-Type", "application/json");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
