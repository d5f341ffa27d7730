package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small client of the admin API for the CLI. A problem response becomes {@link RefusedException}
 * with the problem's title and detail; a connection failure becomes {@link UnreachableException}.
 * Thread-safe.
 */
public final class AdminClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String token;
  private final HttpClient http;

  public AdminClient(URI base, String token) {
    this(base, token, null);
  }

  /**
   * A client trusting {@code sslContext} for an https server; {@code null} for the JDK's trust
   * store.
   */
  public AdminClient(URI base, String token, javax.net.ssl.SSLContext sslContext) {
    this.base = base;
    this.token = token;
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (sslContext != null) {
      http.sslContext(sslContext);
    }
    this.http = http.build();
  }

  /** The server refused the request. */
  public static final class RefusedException extends RuntimeException {
    private final int status;

    RefusedException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** The server could not be reached. */
  public static final class UnreachableException extends RuntimeException {
    public UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public JsonNode get(String path) {
    return send("GET", path, null);
  }

  public JsonNode post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  /** POST with request headers as name, value pairs (such as {@code If-Match}). */
  public JsonNode post(String path, JsonNode body, String... headers) {
    return send("POST", path, body, headers);
  }

  public JsonNode put(String path, JsonNode body) {
    return send("PUT", path, body);
  }

  /** PUT with request headers as name, value pairs (such as {@code If-Match}). */
  public JsonNode put(String path, JsonNode body, String... headers) {
    return send("PUT", path, body, headers);
  }

  /**
   * PUT of a body sent exactly as given, for a document whose bytes are signed (a key set):
   * re-serialising it could change them.
   */
  public JsonNode putBytes(String path, byte[] json) {
    return sendBytes("PUT", path, json);
  }

  public JsonNode patch(String path, JsonNode body) {
    return send("PATCH", path, body);
  }

  public JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  /** Encodes one path segment or query value. */
  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode send(String method, String path, JsonNode body, String... headers) {
    try {
      return sendBytes(method, path, body == null ? null : JSON.writeValueAsBytes(body), headers);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private JsonNode sendBytes(String method, String path, byte[] body, String... headers) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no admin token: pass --token or set HOLDFAST_TOKEN");
    }
    URI uri = base.resolve(path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.header("Content-Type", "application/json");
        request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
      }
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode node =
          response.body().length == 0 ? JSON.nullNode() : JSON.readTree(response.body());
      if (response.statusCode() >= 400) {
        String title = node.path("title").asText("HTTP " + response.statusCode());
        String detail = node.path("detail").asText("");
        throw new RefusedException(
            response.statusCode(),
            title + (detail.isEmpty() ? "" : ": " + detail) + " (" + response.statusCode() + ")");
      }
      return node;
    } catch (IOException e) {
      throw new UnreachableException(
          "cannot reach "
              + base
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while calling " + uri, e);
    }
  }
}
