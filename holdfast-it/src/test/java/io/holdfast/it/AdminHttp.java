package io.holdfast.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Admin API calls for the system tests' fixtures (replica pairs, rollout fleets, console fleets):
 * JSON in, JSON out, and any status of 300 or more fails the test with the server's answer. One
 * HTTP client, closed with it.
 */
public final class AdminHttp implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String scheme;

  /** Over plain HTTP. */
  public AdminHttp() {
    this.http = HttpClient.newHttpClient();
    this.scheme = "http";
  }

  /** Over TLS, trusting {@code trust}. */
  public AdminHttp(javax.net.ssl.SSLContext trust) {
    this.http = HttpClient.newBuilder().sslContext(trust).build();
    this.scheme = "https";
  }

  /**
   * Calls {@code method path} on the replica at {@code port} with {@code token}; {@code body} may
   * be {@code null}. An empty answer reads as an empty object.
   */
  public JsonNode call(int port, String token, String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
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

  @Override
  public void close() {
    http.close();
  }
}
