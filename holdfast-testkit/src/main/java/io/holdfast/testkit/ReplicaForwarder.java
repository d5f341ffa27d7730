package io.holdfast.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The way a {@link FaultyReplica} reaches the real replica: forwards a request read from a client
 * and re-frames the answer, or records an answer for a later replay. If the replica cannot be
 * reached, the answer is a {@code 502}.
 *
 * <p><b>Thread safety.</b> Safe for use from any number of threads.
 */
final class ReplicaForwarder {

  /** Request headers not forwarded: hop-by-hop, and those the proxy's client sets itself. */
  private static final Set<String> NOT_FORWARDED = notForwarded();

  private final String upstreamBase;
  private final HttpClient http;

  ReplicaForwarder(URI upstream, SSLContext upstreamTls) {
    HttpClient.Builder client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER);
    if (upstreamTls != null) {
      client.sslContext(upstreamTls);
    }
    this.http = client.build();
    String base = upstream.toString();
    this.upstreamBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** Records the replica's current answer to {@code GET path}. */
  FaultyReplica.Recorded record(String path, String... headers) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstreamBase + path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new FaultyReplica.Recorded(
          path, response.statusCode(), response.headers(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while recording " + path);
    }
  }

  /** Sends {@code request} to the replica; answers {@code 502} if it cannot be reached. */
  Response forward(Exchange.Request request) throws IOException, InterruptedException {
    URI target;
    try {
      target = URI.create(upstreamBase + request.target());
    } catch (IllegalArgumentException e) {
      return Response.problem(400, null, "FaultyReplica cannot forward this request-target.");
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(target);
    for (String[] header : request.headers()) {
      if (!NOT_FORWARDED.contains(header[0].toLowerCase(Locale.ROOT))) {
        try {
          builder.header(header[0], header[1]);
        } catch (IllegalArgumentException e) {
          // A header the JDK client refuses to send: it is not forwarded.
        }
      }
    }
    byte[] body = request.body();
    builder.method(
        request.method(),
        body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    boolean head = request.method().equals("HEAD");
    HttpResponse<InputStream> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException | IllegalArgumentException e) {
      return Response.problem(502, null, "FaultyReplica could not reach the replica.");
    }
    InputStream stream = response.body();
    if (!head
        && Response.hasBody(response.statusCode())
        && Response.isEventStream(response.headers().firstValue("Content-Type").orElse(null))) {
      return Response.streaming(response.statusCode(), response.headers(), stream);
    }
    byte[] answer;
    try (stream) {
      answer = stream.readAllBytes();
    } catch (IOException e) {
      return Response.problem(502, null, "FaultyReplica could not read the replica's answer.");
    }
    return Response.from(response.statusCode(), response.headers(), answer, head);
  }

  private static Set<String> notForwarded() {
    Set<String> names = new HashSet<>(Response.HOP_BY_HOP);
    names.addAll(Set.of("host", "content-length", "expect", "http2-settings"));
    return Set.copyOf(names);
  }
}
