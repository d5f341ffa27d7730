package io.holdfast.it.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Raw long-poll watchers on one replica, as many as a test wants from one JVM: each watch is one
 * asynchronous request of the JDK's client (its own connection), answered on a small pool, so
 * thousands cost the test a few threads. Closing it drops every connection.
 */
final class Watchers implements AutoCloseable {

  /** One watch's answer: its status, the checksums ETag it carries and when it arrived. */
  record Answer(int status, String etag, long arrivedNanos, String body) {}

  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor).build();
  private static final int MAX_RETRIES = 5;

  private final URI replica;
  private final AtomicInteger retries = new AtomicInteger();

  Watchers(URI replica) {
    this.replica = replica;
  }

  /** The instance's checksums ETag now. */
  String etag(String instance, String credential) {
    try {
      HttpResponse<Void> response =
          http.send(
              request("/v1/instances/" + instance + "/checksums", credential),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200) {
        throw new AssertionError("checksums of " + instance + ": " + response.statusCode());
      }
      return response.headers().firstValue("ETag").orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts a 50-second watch of the instance's checksums from {@code etag}. As the SDK does, a
   * watch the replica sheds ({@code 503} or {@code 429}, as admission control answers a flood of
   * new requests) is sent again after its {@code Retry-After}, at most {@value #MAX_RETRIES} times.
   */
  CompletableFuture<Answer> watch(String instance, String credential, String etag) {
    return watch(instance, credential, etag, 0);
  }

  /** Watches sent again after a {@code 503} or {@code 429}. */
  int retries() {
    return retries.get();
  }

  private CompletableFuture<Answer> watch(
      String instance, String credential, String etag, int attempt) {
    String query = "?timeout=50s&etag=" + URLEncoder.encode(etag, StandardCharsets.UTF_8);
    return http.sendAsync(
            request("/v1/instances/" + instance + "/watch" + query, credential),
            HttpResponse.BodyHandlers.ofString())
        .thenCompose(
            r -> {
              boolean shed = r.statusCode() == 503 || r.statusCode() == 429;
              if (!shed || attempt == MAX_RETRIES) {
                return CompletableFuture.completedFuture(
                    new Answer(
                        r.statusCode(),
                        r.headers().firstValue("ETag").orElse(""),
                        System.nanoTime(),
                        r.body()));
              }
              retries.incrementAndGet();
              long after = r.headers().firstValueAsLong("Retry-After").orElse(1);
              return CompletableFuture.supplyAsync(
                      () -> null, CompletableFuture.delayedExecutor(after, TimeUnit.SECONDS))
                  .thenCompose(ignored -> watch(instance, credential, etag, attempt + 1));
            });
  }

  private HttpRequest request(String path, String credential) {
    return HttpRequest.newBuilder(replica.resolve(path))
        .header("Authorization", "Bearer " + credential)
        .timeout(Duration.ofSeconds(120))
        .build();
  }

  @Override
  public void close() {
    http.shutdownNow();
    executor.shutdownNow();
  }
}
