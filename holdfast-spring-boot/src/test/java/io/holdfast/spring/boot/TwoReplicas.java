package io.holdfast.spring.boot;

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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Two real replicas on one SQLite store, set up through replica A's admin API. Closing stops both
 * (every replica down); the store stays for the next pair.
 */
public final class TwoReplicas implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HoldfastServer a;
  private final HoldfastServer b;
  private final HttpClient http = HttpClient.newHttpClient();

  public TwoReplicas(Path store) {
    this.a = HoldfastServer.start(config(store));
    this.b = HoldfastServer.start(config(store));
  }

  private static ServerConfig config(Path store) {
    return ServerConfig.builder(store).port(0).refreshInterval(Duration.ofMillis(50)).build();
  }

  /** The {@code holdfast.replicas} value: replica A, then B. */
  public String replicas() {
    return "http://127.0.0.1:" + a.port() + ",http://127.0.0.1:" + b.port();
  }

  /** Replica A's and B's base URIs, for fault proxies to stand in front of. */
  List<URI> uris() {
    return List.of(
        URI.create("http://127.0.0.1:" + a.port()), URI.create("http://127.0.0.1:" + b.port()));
  }

  public String trustedKey() {
    return a.verificationKey().toBase64();
  }

  public void createNamespace(String name) {
    admin("POST", "/v1/admin/namespaces", "{\"name\":\"" + name + "\"}");
  }

  /** Creates an instance in the ring {@code live}; returns its credential. */
  public String createInstance(String id) {
    return admin("POST", "/v1/admin/instances", "{\"id\":\"" + id + "\",\"ring\":\"live\"}")
        .path("credential")
        .asText();
  }

  /** Stages {@code json} as the namespace's default layer and publishes it. */
  public void publish(String namespace, String json) {
    admin("PUT", "/v1/admin/namespaces/" + namespace + "/layers/default", json);
    admin("POST", "/v1/admin/namespaces/" + namespace + "/publish", "{\"message\":\"test\"}");
  }

  /**
   * Subscribes {@code instance} to {@code application} (created here) for {@code quantity} seats,
   * in force since a month ago; the replicas serve it in the instance's {@code subscriptions}.
   */
  void subscribe(String instance, String application, long quantity) {
    admin("POST", "/v1/admin/applications", "{\"name\":\"" + application + "\"}");
    admin(
        "POST",
        "/v1/admin/subscriptions",
        "{\"instance\":\""
            + instance
            + "\",\"application\":\""
            + application
            + "\",\"quantity\":"
            + quantity
            + ",\"validFrom\":\""
            + Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS)
            + "\",\"plan\":\"enterprise\"}");
  }

  private JsonNode admin(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port() + path))
            .header("Authorization", "Bearer " + a.adminToken())
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() >= 300) {
        throw new AssertionError(
            method + " " + path + ": " + new String(response.body(), StandardCharsets.UTF_8));
      }
      return response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes both replicas read the store now and checks that each serves every namespace to the
   * instance, so that no run meets a replica that has not yet seen the publish (B would otherwise
   * learn of it at its next poll).
   */
  public void awaitServed(String instance, String credential, List<String> namespaces) {
    for (HoldfastServer replica : List.of(a, b)) {
      replica.snapshots().refresh();
      for (String namespace : namespaces) {
        URI uri =
            URI.create(
                "http://127.0.0.1:"
                    + replica.port()
                    + "/v1/instances/"
                    + instance
                    + "/config/"
                    + namespace);
        int status = status(uri, credential);
        if (status != 200) {
          throw new IllegalStateException(uri + " answered " + status + " after a refresh");
        }
      }
    }
  }

  private int status(URI uri, String credential) {
    HttpRequest request =
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + credential).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
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
