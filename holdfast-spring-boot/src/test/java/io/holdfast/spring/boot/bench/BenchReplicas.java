package io.holdfast.spring.boot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Two real replicas in this JVM on one SQLite store, set up through replica A's admin API, as an
 * operator would. The benchmark's applications run in other JVMs and reach them over loopback.
 */
final class BenchReplicas implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HoldfastServer a;
  private final HoldfastServer b;
  private final HttpClient http = HttpClient.newHttpClient();

  BenchReplicas(Path store) {
    this.a = HoldfastServer.start(config(store));
    this.b = HoldfastServer.start(config(store));
  }

  private static ServerConfig config(Path store) {
    // B learns of A's publishes from its store poll: short, so that set-up does not wait long.
    return ServerConfig.builder(store).port(0).refreshInterval(Duration.ofMillis(100)).build();
  }

  /** The {@code holdfast.replicas} value: replica A, then B. */
  String replicas() {
    return "http://127.0.0.1:" + a.port() + ",http://127.0.0.1:" + b.port();
  }

  String trustedKey() {
    return a.verificationKey().toBase64();
  }

  void createNamespace(String name) {
    admin("POST", "/v1/admin/namespaces", "{\"name\":\"" + name + "\"}");
  }

  /** Creates an instance in the ring {@code live}; returns its credential. */
  String createInstance(String id) {
    return admin("POST", "/v1/admin/instances", "{\"id\":\"" + id + "\",\"ring\":\"live\"}")
        .path("credential")
        .asText();
  }

  /** Stages {@code document} as the namespace's default layer and publishes it. */
  void publish(String namespace, JsonNode document) {
    admin("PUT", "/v1/admin/namespaces/" + namespace + "/layers/default", document.toString());
    admin("POST", "/v1/admin/namespaces/" + namespace + "/publish", "{\"message\":\"benchmark\"}");
  }

  /**
   * Waits until both replicas serve every namespace to the instance, so that no run meets a replica
   * that has not yet seen the publish.
   */
  void awaitServed(String instance, String credential, List<String> namespaces) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (HoldfastServer replica : List.of(a, b)) {
      for (String namespace : namespaces) {
        URI uri =
            URI.create(
                "http://127.0.0.1:"
                    + replica.port()
                    + "/v1/instances/"
                    + instance
                    + "/config/"
                    + namespace);
        while (status(uri, credential) != 200) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("replica never served " + uri);
          }
          pause();
        }
      }
    }
  }

  private int status(URI uri, String credential) {
    HttpRequest request =
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + credential).build();
    return send(request).statusCode();
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonNode admin(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port() + path))
            .header("Authorization", "Bearer " + a.adminToken())
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<byte[]> response = send(request);
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + ": " + new String(response.body(), StandardCharsets.UTF_8));
    }
    try {
      return response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    b.close();
    a.close();
    http.close();
  }
}
