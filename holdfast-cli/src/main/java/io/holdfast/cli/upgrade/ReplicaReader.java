package io.holdfast.cli.upgrade;

import io.holdfast.cli.AdminClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * Reads instance documents from replicas as an admin, through the public path, over one HTTP/1.1
 * client whose connections are kept alive between requests. Every request waits for its slot from
 * the {@link RequestPacer}. An answer that says "not now" ({@code 429}, {@code 503}) is asked again
 * after its {@code Retry-After} (at most {@link #MAX_RETRY_WAIT}), a few times, since it says
 * nothing about the replica's version; whatever comes after that is compared as it is. A replica
 * that cannot be reached ends the check: {@link AdminClient.UnreachableException}.
 *
 * <p>At most {@code inFlight} requests are outstanding at once, over every caller: {@link #getEach}
 * asks several replicas at once (one virtual thread per request, each waiting for a permit), so
 * that an instance's replicas are read side by side rather than one after another without the
 * operator's bound being exceeded.
 *
 * <p>Thread-safe.
 */
final class ReplicaReader implements AutoCloseable {

  /** Instance documents are at most 1 MiB (the server's body limit); room for the headers. */
  private static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

  private static final int BUSY_RETRIES = 3;
  private static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(2);

  private final String token;
  private final Duration timeout;
  private final RequestPacer pacer;
  private final HttpClient http;
  private final AtomicLong requests = new AtomicLong();
  private final Semaphore inFlight;
  private final ExecutorService fanOut =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("upgrade-read-", 0).factory());

  /**
   * @param inFlight most requests outstanding at once; 1 or more
   */
  ReplicaReader(
      String token, Duration timeout, SSLContext sslContext, RequestPacer pacer, int inFlight) {
    if (inFlight < 1) {
      throw new IllegalArgumentException("inFlight must be 1 or more, was " + inFlight);
    }
    this.token = token;
    this.timeout = timeout;
    this.pacer = pacer;
    this.inFlight = new Semaphore(inFlight);
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    this.http = builder.build();
  }

  /**
   * {@code GET path} on each replica at once; the answers in the order of {@code replicas}. The
   * first replica that cannot be reached ends the call with its {@link
   * AdminClient.UnreachableException}, once every request has finished.
   */
  List<Reading> getEach(List<URI> replicas, String path, boolean authenticated)
      throws InterruptedException {
    List<Future<Reading>> answers = new ArrayList<>(replicas.size());
    try {
      for (URI replica : replicas) {
        answers.add(fanOut.submit(() -> get(replica, path, authenticated)));
      }
      List<Reading> readings = new ArrayList<>(replicas.size());
      RuntimeException failure = null;
      for (Future<Reading> answer : answers) {
        try {
          readings.add(answer.get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure =
                e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new IllegalStateException("reading " + path + " failed", e.getCause());
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
      return readings;
    } finally {
      // Interrupted while waiting: the requests still out are of no use to anyone.
      answers.forEach(answer -> answer.cancel(true));
    }
  }

  /** {@code GET path} on the replica, with the admin token when {@code authenticated}. */
  Reading get(URI replica, String path, boolean authenticated) throws InterruptedException {
    inFlight.acquire();
    try {
      return send(replica, path, authenticated);
    } finally {
      inFlight.release();
    }
  }

  private Reading send(URI replica, String path, boolean authenticated)
      throws InterruptedException {
    URI uri = resolve(replica, path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    if (authenticated) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpRequest built = request.build();
    for (int attempt = 0; ; attempt++) {
      pacer.acquire();
      requests.incrementAndGet();
      HttpResponse<byte[]> response;
      try {
        response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new AdminClient.UnreachableException(
            "cannot read "
                + uri
                + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
            e);
      }
      int status = response.statusCode();
      if ((status == 429 || status == 503) && attempt < BUSY_RETRIES) {
        TimeUnit.MILLISECONDS.sleep(retryWait(response).toMillis());
        continue;
      }
      byte[] body = response.body();
      if (body.length > MAX_BODY_BYTES) {
        throw new AdminClient.UnreachableException(
            uri + " answered " + body.length + " bytes, over the limit of " + MAX_BODY_BYTES, null);
      }
      return Reading.of(status, response.headers().map(), body);
    }
  }

  /** How many requests were sent, retries included. */
  long requests() {
    return requests.get();
  }

  private static Duration retryWait(HttpResponse<?> response) {
    Duration wait = Duration.ofMillis(200);
    String value = response.headers().firstValue("Retry-After").orElse("");
    if (value.matches("\\d{1,4}")) {
      wait = Duration.ofSeconds(Long.parseLong(value));
    }
    return wait.compareTo(MAX_RETRY_WAIT) > 0 ? MAX_RETRY_WAIT : wait;
  }

  static URI resolve(URI replica, String path) {
    String base = replica.toString().replaceAll("/+$", "");
    return URI.create(base + path);
  }

  @Override
  public void close() {
    fanOut.shutdownNow();
    http.close();
  }
}
