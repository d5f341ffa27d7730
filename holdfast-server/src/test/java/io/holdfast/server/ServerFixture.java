package io.holdfast.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.store.ConfigStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A real replica on a loopback port over a real SQLite file, with a small HTTP client for tests.
 * Close it to stop the server.
 */
public final class ServerFixture implements AutoCloseable {

  public static final ObjectMapper JSON = new ObjectMapper();

  private final HoldfastServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServerFixture(HoldfastServer server) {
    this.server = server;
  }

  /** A replica on a free port over {@code dataDir}. */
  public static ServerFixture start(Path dataDir) {
    return start(dataDir, UnaryOperator.identity());
  }

  /** A replica whose store is wrapped, for fault injection. */
  public static ServerFixture start(Path dataDir, UnaryOperator<ConfigStore> storeDecorator) {
    ServerConfig config =
        ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMillis(50)).build();
    return new ServerFixture(HoldfastServer.start(config, Clock.systemUTC(), storeDecorator));
  }

  /** A replica that tells time by {@code clock}, for tests that drive it (credential expiry). */
  public static ServerFixture startWithClock(Path dataDir, Clock clock) {
    ServerConfig config =
        ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMillis(50)).build();
    return new ServerFixture(HoldfastServer.start(config, clock, UnaryOperator.identity()));
  }

  /**
   * A replica over {@code dataDir} with its configuration adjusted by {@code configure}, for
   * example a lower {@code max-watchers}.
   */
  public static ServerFixture startConfigured(
      Path dataDir, UnaryOperator<ServerConfig.Builder> configure) {
    return startConfigured(dataDir, configure, UnaryOperator.identity());
  }

  /** {@link #startConfigured}, with the store wrapped for fault injection. */
  public static ServerFixture startConfigured(
      Path dataDir,
      UnaryOperator<ServerConfig.Builder> configure,
      UnaryOperator<ConfigStore> storeDecorator) {
    ServerConfig config =
        configure
            .apply(ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMillis(50)))
            .build();
    return new ServerFixture(HoldfastServer.start(config, Clock.systemUTC(), storeDecorator));
  }

  public HoldfastServer server() {
    return server;
  }

  public String adminToken() {
    return server.adminToken();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** An address on the management port ({@code /metrics}, {@code /health/...}). */
  public URI managementUri(String path) {
    return URI.create("http://127.0.0.1:" + server.managementPort() + path);
  }

  /** A GET on the management port. */
  public HttpResponse<byte[]> getManagement(String path) {
    return send(managementUri(path), "GET", null, null);
  }

  /**
   * The Prometheus exposition from the management port, asserted to be a 200. A scrape may be up to
   * a second old ({@code ScrapeMemo}): tests that look for a change wait for it with Awaitility.
   */
  public String scrapeMetrics() {
    HttpResponse<byte[]> response = getManagement("/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET /metrics on the management port answered " + response.statusCode());
    }
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** Sends a request; {@code headers} are name/value pairs. */
  public HttpResponse<byte[]> send(
      String method, String path, String token, byte[] body, String... headers) {
    return send(uri(path), method, token, body, headers);
  }

  private HttpResponse<byte[]> send(
      URI uri, String method, String token, byte[] body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<byte[]> get(String path, String token, String... headers) {
    return send("GET", path, token, null, headers);
  }

  /** Sends JSON text with {@code Content-Type: application/json}. */
  public HttpResponse<byte[]> sendJson(String method, String path, String token, String json) {
    return send(
        method,
        path,
        token,
        json.getBytes(StandardCharsets.UTF_8),
        "Content-Type",
        "application/json");
  }

  /** Sends JSON as the bootstrap admin and requires a 2xx answer. */
  public JsonNode admin(String method, String path, String json) {
    HttpResponse<byte[]> response =
        json == null
            ? send(method, path, adminToken(), null)
            : sendJson(method, path, adminToken(), json);
    if (response.statusCode() >= 300) {
      throw new AssertionError(
          method
              + " "
              + path
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    return json(response);
  }

  public static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a namespace. */
  public void createNamespace(String name) {
    admin("POST", "/v1/admin/namespaces", "{\"name\":\"" + name + "\"}");
  }

  /** Creates an instance and returns its credential. */
  public String createInstance(String id, String ring) {
    return admin("POST", "/v1/admin/instances", "{\"id\":\"" + id + "\",\"ring\":\"" + ring + "\"}")
        .get("credential")
        .asText();
  }

  /** Stages a layer and publishes it; returns the new revision. */
  public long publishLayer(String namespace, String scope, String json) {
    admin("PUT", "/v1/admin/namespaces/" + namespace + "/layers/" + scope, json);
    return admin("POST", "/v1/admin/namespaces/" + namespace + "/publish", "{\"message\":\"test\"}")
        .get("revision")
        .asLong();
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      http.close();
    }
  }
}
