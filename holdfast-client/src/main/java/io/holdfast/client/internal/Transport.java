package io.holdfast.client.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HTTP for the client, with the deadlines that keep a broken replica from holding it: a connect
 * timeout, and a deadline for the whole exchange, body included, so that a replica trickling one
 * byte at a time is abandoned (FAULTS A4). Bodies larger than the limit are abandoned as they
 * arrive, never buffered whole. Thread-safe.
 */
final class Transport {

  /** An HTTP answer of any status. */
  public record Response(int status, HttpHeaders headers, byte[] body) {
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /** The exchange failed: no connection, a timeout, a reset, an oversized or truncated body. */
  public static final class TransportException extends Exception {
    TransportException(String message, Throwable cause) {
      super(message, cause);
    }

    /**
     * Whether nothing listened at the replica's address: the connection was refused at once. Such a
     * replica is down (or restarting), and asking it again costs it nothing.
     */
    public boolean refused() {
      return getCause() instanceof java.net.ConnectException;
    }
  }

  /**
   * Made by the first request, on the sync thread, not by the constructor: building the JDK's
   * client loads its TLS context and trust store, a few hundred milliseconds of a cold JVM that
   * would otherwise stand between {@code start()} and the disk cache's documents.
   */
  private final HttpClient.Builder builder;

  private HttpClient http;
  private boolean closed;
  private final java.util.Set<CompletableFuture<?>> inFlight =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.Set<OpenEventStream> streams =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final String bearer;
  private final int maxBodyBytes;
  private final String userAgent;
  private final ClockSkew skew;

  /**
   * @param sslContext trust for https replicas, or {@code null} for the JDK's default trust store.
   *     Certificates and host names are always verified: a replica failing TLS is a failed replica
   *     (FAULTS A24), never a reason to fall back to plain HTTP.
   * @param skew told the {@code Date} of every answer, or {@code null}
   */
  Transport(
      Duration connectTimeout,
      String credential,
      int maxBodyBytes,
      String userAgent,
      javax.net.ssl.SSLContext sslContext,
      ClockSkew skew) {
    this.skew = skew;
    HttpClient.Builder builder = HttpClient.newBuilder();
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    this.builder =
        builder
            .connectTimeout(connectTimeout)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER);
    this.bearer = "Bearer " + credential;
    this.maxBodyBytes = maxBodyBytes;
    this.userAgent = userAgent;
  }

  /**
   * Abandons every exchange in flight (a watch may be held open for its whole timeout), then
   * releases the HTTP client's thread where the runtime allows it (Java 21+).
   */
  public void close() {
    HttpClient http;
    synchronized (this) {
      closed = true;
      http = this.http;
    }
    for (CompletableFuture<?> exchange : inFlight) {
      exchange.cancel(true);
    }
    for (OpenEventStream stream : streams) {
      stream.cancel();
    }
    if (http instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Nothing is left to do with a client that fails to close.
      }
    }
  }

  /**
   * The HTTP client, made on first use.
   *
   * @throws CancellationException once closed: no client (and its thread) is made after close
   */
  private synchronized HttpClient http() {
    if (closed) {
      throw new CancellationException("the client is closing");
    }
    if (http == null) {
      http = builder.build();
    }
    return http;
  }

  /** GET with extra headers as name/value pairs, abandoned after {@code deadline}. */
  public Response get(URI uri, Duration deadline, String... headers) throws TransportException {
    return await(getAsync(uri, deadline, headers));
  }

  /**
   * Opens a streaming GET whose body, if the answer is 200, flows into {@code body} until it ends
   * or is cancelled ({@link #closeStream}, or when the transport closes). Returns the answer's
   * status and headers once they arrive, within {@code deadline}.
   */
  public HttpResponse<Void> openStream(
      URI uri, Duration deadline, OpenEventStream body, String... headers)
      throws TransportException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    request.header("Authorization", bearer).header("User-Agent", userAgent);
    HttpClient http;
    try {
      http = http();
    } catch (CancellationException e) {
      throw new TransportException("abandoned: the client is closing", e);
    }
    streams.add(body);
    CompletableFuture<HttpResponse<Void>> future =
        http.sendAsync(
            request.build(),
            info -> info.statusCode() == 200 ? body : HttpResponse.BodySubscribers.replacing(null));
    try {
      return future.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      closeStream(body);
      throw new TransportException("no answer within " + deadline.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      closeStream(body);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new TransportException(describe(cause), cause);
    } catch (CancellationException e) {
      closeStream(body);
      throw new TransportException("abandoned: the client is closing", e);
    } catch (InterruptedException e) {
      future.cancel(true);
      closeStream(body);
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted", e);
    }
  }

  /** Ends a stream opened by {@link #openStream}. */
  public void closeStream(OpenEventStream body) {
    streams.remove(body);
    body.cancel();
  }

  /** POST of a JSON body, abandoned after {@code deadline}. */
  public Response postJson(URI uri, byte[] body, Duration deadline) throws TransportException {
    return send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
        deadline);
  }

  /**
   * GET without waiting: the answer, or a {@link TransportException} for the same failures as
   * {@link #get}. Cancelling the future abandons the exchange (a hedged request that lost its
   * race).
   */
  public CompletableFuture<Response> getAsync(URI uri, Duration deadline, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return exchange(request, deadline);
  }

  private Response send(HttpRequest.Builder builder, Duration deadline) throws TransportException {
    return await(exchange(builder, deadline));
  }

  /** Waits for an exchange started by {@link #getAsync}; an interrupt abandons it. */
  public static Response await(CompletableFuture<Response> exchange) throws TransportException {
    try {
      return exchange.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TransportException failure) {
        throw failure;
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new TransportException(describe(cause), cause);
    } catch (CancellationException e) {
      throw new TransportException("abandoned", e);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted", e);
    }
  }

  /**
   * One exchange, abandoned at its deadline. The deadline covers the body too: the HTTP client's
   * own request timeout ends only the wait for the headers.
   */
  private CompletableFuture<Response> exchange(HttpRequest.Builder builder, Duration deadline) {
    HttpRequest request =
        builder
            .timeout(deadline)
            .header("Authorization", bearer)
            .header("User-Agent", userAgent)
            .build();
    CompletableFuture<HttpResponse<byte[]>> future;
    try {
      future = http().sendAsync(request, info -> new LimitedBody(maxBodyBytes));
    } catch (CancellationException e) {
      return CompletableFuture.failedFuture(failure(e, false, deadline));
    }
    inFlight.add(future);
    AtomicBoolean timedOut = new AtomicBoolean();
    CompletableFuture<Response> result = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(deadline.toNanos(), TimeUnit.NANOSECONDS)
        .execute(
            () -> {
              if (!future.isDone()) {
                timedOut.set(true);
                future.cancel(true);
              }
            });
    future.whenComplete(
        (response, error) -> {
          inFlight.remove(future);
          if (error == null) {
            if (skew != null) {
              skew.observe(
                  response.headers().firstValue("Date").orElse(null),
                  response.headers().firstValue("Age").orElse(null),
                  request.uri().getRawAuthority());
            }
            result.complete(
                new Response(response.statusCode(), response.headers(), response.body()));
          } else {
            result.completeExceptionally(failure(error, timedOut.get(), deadline));
          }
        });
    // Whoever gives up on the answer (a lost hedge, an interrupted caller) ends the exchange.
    result.whenComplete(
        (response, error) -> {
          if (result.isCancelled()) {
            future.cancel(true);
          }
        });
    return result;
  }

  private static TransportException failure(Throwable error, boolean timedOut, Duration deadline) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (timedOut) {
      return new TransportException(
          "no complete answer within " + deadline.toMillis() + " ms", cause);
    }
    if (cause instanceof CancellationException) {
      return new TransportException("abandoned: the client is closing", cause);
    }
    return new TransportException(describe(cause), cause);
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    String kind = cause.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : kind + ": " + message;
  }

  /** Collects a body, failing as soon as it grows past the limit. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        if (bytes.size() + item.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(
              new IOException("response body exceeds " + limit + " bytes"));
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }
}
