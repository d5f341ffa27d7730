package io.holdfast.it.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP/1.1 requests through the proxy under test, as an instance or an operator sends them. */
final class EdgeClient implements AutoCloseable {

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  /**
   * {@code GET uri} with {@code token} as bearer credential ({@code null}: none) and extra
   * header name/value pairs; waits at most {@code deadline} for the answer.
   */
  HttpResponse<String> get(URI uri, String token, Duration deadline, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(deadline).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(URI uri, String token, String... headers) {
    return get(uri, token, Duration.ofSeconds(10), headers);
  }

  @Override
  public void close() {
    http.close();
  }
}
