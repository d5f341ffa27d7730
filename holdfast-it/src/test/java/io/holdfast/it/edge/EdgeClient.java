package io.holdfast.it.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * HTTP/1.1 requests through the proxy under test, as an instance or an operator sends them: in
 * plain HTTP, or over TLS trusting exactly the authority of the proxy's certificate.
 */
final class EdgeClient implements AutoCloseable {

  private final HttpClient http;

  /** A client for plain HTTP. */
  EdgeClient() {
    this(null);
  }

  /** A client whose TLS connections trust {@code tls}'s authorities ({@code null}: the JDK's). */
  EdgeClient(SSLContext tls) {
    this(tls, null);
  }

  /**
   * As above, its connections coming from {@code localAddress} (such as {@code 127.0.0.2}, so that
   * the proxy sees a client address of its own; {@code null}: any).
   */
  EdgeClient(SSLContext tls, InetAddress localAddress) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      builder.sslContext(tls);
    }
    if (localAddress != null) {
      builder.localAddress(localAddress);
    }
    http = builder.build();
  }

  /**
   * {@code GET uri} with {@code token} as bearer credential ({@code null}: none) and extra header
   * name/value pairs; waits at most {@code deadline} for the answer.
   */
  HttpResponse<String> get(URI uri, String token, Duration deadline, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(deadline).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code POST uri} of an HTML form's fields ({@code application/x-www-form-urlencoded}), with
   * extra headers.
   */
  HttpResponse<String> postForm(URI uri, Map<String, String> fields, String... headers) {
    String body =
        fields.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> get(URI uri, String token, String... headers) {
    return get(uri, token, Duration.ofSeconds(10), headers);
  }

  @Override
  public void close() {
    http.close();
  }
}
