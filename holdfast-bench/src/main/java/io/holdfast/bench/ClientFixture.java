package io.holdfast.bench;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real replica with one instance and namespace, and client builders pointed at it, for the client
 * benchmarks. Close it to stop everything and delete its files.
 */
final class ClientFixture implements AutoCloseable {

  static final String INSTANCE = "bench-1";
  static final String DOCUMENT =
      "{\"seats\":{\"crm\":25,\"helpdesk\":10},\"support\":{\"email\":\"x@example.com\"}}";

  private final Path directory;
  private final HoldfastServer server;
  private final String token;
  private HoldfastClient client;

  private ClientFixture(Path directory, HoldfastServer server, String token) {
    this.directory = directory;
    this.server = server;
    this.token = token;
  }

  static ClientFixture start() throws IOException, InterruptedException {
    return start(false);
  }

  /**
   * A fixture whose replica takes a fleet of clients from this one host: every simulated instance
   * connects from 127.0.0.1, so the per-address connection cap that guards a replica against one
   * flooding host is raised to the replica-wide one.
   */
  static ClientFixture startForFleet() throws IOException, InterruptedException {
    return start(true);
  }

  private static ClientFixture start(boolean fleet) throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("holdfast-client-bench");
    ServerConfig.Builder config = ServerConfig.builder(directory.resolve("server")).port(0);
    if (fleet) {
      config.edge(FleetEdge.oneHost());
    }
    HoldfastServer server = HoldfastServer.start(config.build());
    HttpClient http = HttpClient.newHttpClient();
    admin(http, server, "POST", "/v1/admin/namespaces", "{\"name\":\"core\"}");
    String created =
        admin(
            http,
            server,
            "POST",
            "/v1/admin/instances",
            "{\"id\":\"" + INSTANCE + "\",\"ring\":\"live\"}");
    String token = created.replaceAll(".*\"credential\":\"([^\"]+)\".*", "$1");
    admin(http, server, "PUT", "/v1/admin/namespaces/core/layers/default", DOCUMENT);
    admin(http, server, "POST", "/v1/admin/namespaces/core/publish", "{\"message\":\"bench\"}");
    return new ClientFixture(directory, server, token);
  }

  /**
   * A fixture whose client was filled from the replica, closed, and restarted from its disk cache
   * alone.
   */
  static ClientFixture startedFromDiskCache() throws IOException, InterruptedException {
    ClientFixture fixture = start();
    try (HoldfastClient warm = fixture.builder(fixture.replica()).build()) {
      warm.start();
    }
    fixture.client = fixture.builder(closedPort()).startupTimeout(Duration.ZERO).build();
    fixture.client.start();
    if (fixture.client.snapshot("core").status() == Status.INITIALIZING) {
      throw new IllegalStateException("the disk cache did not fill the client");
    }
    return fixture;
  }

  private static String admin(
      HttpClient http, HoldfastServer server, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + response.body());
    }
    return response.body();
  }

  /** An admin call to the replica as its bootstrap admin; returns the response body. */
  String admin(String method, String path, String body) throws IOException, InterruptedException {
    return admin(HttpClient.newHttpClient(), server, method, path, body);
  }

  String token() {
    return token;
  }

  /** Creates another instance in the same ring as the first; returns its credential. */
  String addInstance(String id) throws IOException, InterruptedException {
    String created =
        admin("POST", "/v1/admin/instances", "{\"id\":\"" + id + "\",\"ring\":\"live\"}");
    return created.replaceAll(".*\"credential\":\"([^\"]+)\".*", "$1");
  }

  io.holdfast.protocol.signature.VerificationKey key() {
    return server.verificationKey();
  }

  URI replica() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  Path cacheDirectory() {
    return directory.resolve("cache");
  }

  HoldfastClient client() {
    return client;
  }

  /** A client builder for this instance with the given replicas, caching under this fixture. */
  HoldfastClient.Builder builder(URI... replicas) {
    return untrusting(replicas).trustedKey(server.verificationKey());
  }

  /**
   * Publishes key set 1 of a new root, listing the replica's signing key, and returns the root to
   * pin: what operators do before clients use {@code trustedRoot(...)}.
   */
  BenchRoot publishKeySet() throws IOException, InterruptedException {
    BenchRoot root = new BenchRoot();
    admin(
        "PUT",
        "/v1/admin/keyset",
        new String(
            root.keySet(1, java.util.List.of(server.verificationKey()), java.util.Set.of()),
            java.nio.charset.StandardCharsets.UTF_8));
    return root;
  }

  /** As {@link #builder}, trusting a root instead of the replica's key. */
  HoldfastClient.Builder builder(BenchRoot root, URI... replicas) {
    return untrusting(replicas).trustedRoot(root.root());
  }

  /** Everything but what the client trusts. */
  private HoldfastClient.Builder untrusting(URI... replicas) {
    return HoldfastClient.builder()
        .replicas(replicas)
        .instance(INSTANCE, token)
        .namespaces("core")
        .cacheDirectory(cacheDirectory())
        .heartbeatInterval(Duration.ZERO);
  }

  /** A loopback URI on which nothing listens: connections are refused at once. */
  static URI closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    server.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
