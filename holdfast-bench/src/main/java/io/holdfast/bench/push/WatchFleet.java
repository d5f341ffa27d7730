package io.holdfast.bench.push;

import io.holdfast.protocol.http.Backoff;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;

/**
 * A fleet of simulated instances, each doing what the SDK does on one keep-alive connection: fetch
 * the checksums, fetch its {@code core} document (now it is FRESH), then watch the checksums again
 * and again. A refused request ({@code 503}) waits for {@code Retry-After} with the SDK's own
 * jitter, and a lost connection reconnects with the SDK's own full-jitter backoff and defaults
 * ({@link Backoff}, with {@link Backoff#nextRefused()} while nothing listens at the address), so
 * the recovery herd here is the one real clients make.
 *
 * <p>Every watcher's newest revision and the moment it arrived are readable from any thread; the
 * rest belongs to the load client's loop thread.
 */
final class WatchFleet implements AutoCloseable {

  private static final Duration BACKOFF_BASE = Duration.ofMillis(200);
  private static final Duration BACKOFF_CAP = Duration.ofMinutes(1);
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private enum Step {
    CONNECTING,
    CHECKSUMS,
    DOCUMENT,
    WATCHING
  }

  private final LoadClient client;
  private final InetSocketAddress address;
  private final int size;
  private final IntFunction<String> authorization;
  private final Watcher[] watchers;
  private final boolean shortRefusals;

  /** Newest revision each watcher has heard of, and when (System.nanoTime) it heard it. */
  final AtomicLongArray revision;

  final AtomicLongArray heardAt;

  /** Checksums answers with a new revision, per watcher; reset by the benchmark. */
  final AtomicLongArray events;

  final AtomicInteger fresh = new AtomicInteger();
  final AtomicInteger refused = new AtomicInteger();
  final AtomicInteger failures = new AtomicInteger();
  final AtomicInteger wentBackwards = new AtomicInteger();

  /** Set by the benchmark: from then on {@link #fresh} counts watchers FRESH again. */
  private volatile boolean recounting;

  private final class Watcher implements LoadClient.Handler {
    final int index;
    final String instance;
    final Backoff backoff;
    Step step = Step.CONNECTING;
    String etag;

    /** The request line's start and the headers after it, built once. */
    final String instancePath;

    String headers;
    boolean freshSinceRecount;

    Watcher(int index, Random random) {
      this.index = index;
      this.instance = "i-" + index;
      this.instancePath = "GET /v1/instances/" + instance;
      this.backoff = new Backoff(BACKOFF_BASE, BACKOFF_CAP, MAX_RETRY_AFTER, random);
    }

    void connect() {
      step = Step.CONNECTING;
      client.connect(address, this, null);
    }

    @Override
    public void onConnected(LoadClient.Conn conn) {
      conn.attachment = this;
      step = Step.CHECKSUMS;
      send(conn);
    }

    void send(LoadClient.Conn conn) {
      if (headers == null) {
        String auth = authorization.apply(index);
        headers =
            " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (auth == null ? "" : "Authorization: Bearer " + auth + "\r\n")
                + "\r\n";
      }
      String path =
          switch (step) {
            case CHECKSUMS -> "/checksums";
            case DOCUMENT -> "/config/core";
            case WATCHING -> "/watch?etag=" + unquoted(etag) + "&timeout=60s";
            case CONNECTING -> throw new IllegalStateException("not connected");
          };
      conn.send(instancePath + path + headers);
    }

    @Override
    public void onResponse(LoadClient.Conn conn, LoadClient.Response response) {
      int status = response.status();
      if (status == 503) {
        refused.incrementAndGet();
        Duration wait = backoff.next(Backoff.parseRetryAfter(response.header("Retry-After")));
        client.schedule(wait.toNanos(), () -> send(conn));
        return;
      }
      if (status != 200 && !(status == 304 && step == Step.WATCHING)) {
        failures.incrementAndGet();
        client.schedule(backoff.next(null).toNanos(), () -> send(conn));
        return;
      }
      backoff.reset();
      switch (step) {
        case CHECKSUMS -> {
          etag = response.header("ETag");
          heard(response);
          step = Step.DOCUMENT;
        }
        case DOCUMENT -> {
          step = Step.WATCHING;
          if (!freshSinceRecount) {
            freshSinceRecount = true;
            fresh.incrementAndGet();
          }
        }
        case WATCHING -> {
          if (status == 200) {
            etag = response.header("ETag");
            heard(response);
          }
        }
        case CONNECTING -> throw new IllegalStateException("an answer before connecting");
      }
      send(conn);
    }

    private void heard(LoadClient.Response response) {
      long r = Long.parseLong(response.header("Holdfast-Revision"));
      long before = revision.get(index);
      if (r < before) {
        wentBackwards.incrementAndGet();
      } else if (r > before) {
        revision.set(index, r);
        heardAt.set(index, response.receivedNanos());
        events.incrementAndGet(index);
      }
    }

    @Override
    public void onClosed(LoadClient.Conn conn, String reason) {
      // Closed while connecting: nothing listened at the address. The SDK then backs off at most
      // Backoff.REFUSED_CAP (issue 21); before, it backed off as after any failure.
      boolean refused = step == Step.CONNECTING;
      step = Step.CONNECTING;
      if (recounting) {
        freshSinceRecount = false;
      }
      Duration wait = refused && shortRefusals ? backoff.nextRefused() : backoff.next(null);
      client.schedule(wait.toNanos(), this::connect);
    }
  }

  /**
   * @param authorization the bearer token of watcher {@code i}, or {@code null} for none
   */
  WatchFleet(InetSocketAddress address, int size, IntFunction<String> authorization, long seed)
      throws IOException {
    this(address, size, authorization, seed, true);
  }

  /**
   * @param shortRefusals whether a refused connection backs off at most {@link
   *     Backoff#REFUSED_CAP}, as the SDK does since issue 21; {@code false} for the SDK before it
   */
  WatchFleet(
      InetSocketAddress address,
      int size,
      IntFunction<String> authorization,
      long seed,
      boolean shortRefusals)
      throws IOException {
    this.shortRefusals = shortRefusals;
    this.client = new LoadClient();
    this.address = address;
    this.size = size;
    this.authorization = authorization;
    this.watchers = new Watcher[size];
    this.revision = new AtomicLongArray(size);
    this.heardAt = new AtomicLongArray(size);
    this.events = new AtomicLongArray(size);
    Random seeds = new Random(seed);
    for (int i = 0; i < size; i++) {
      watchers[i] = new Watcher(i, new Random(seeds.nextLong()));
    }
  }

  /** Connects every watcher, {@code perBatch} at a time, a few milliseconds apart. */
  void start(int perBatch) {
    for (int first = 0; first < size; first += perBatch) {
      int from = first;
      int to = Math.min(size, first + perBatch);
      client.execute(
          () -> {
            for (int i = from; i < to; i++) {
              watchers[i].connect();
            }
          });
      sleepQuietly(Duration.ofMillis(20));
    }
  }

  /** From now on, {@link #fresh} counts the watchers that have been FRESH since. */
  void recountFresh() {
    client.execute(
        () -> {
          recounting = true;
          fresh.set(0);
          for (Watcher watcher : watchers) {
            watcher.freshSinceRecount = false;
          }
        });
  }

  int size() {
    return size;
  }

  /** How many watchers have heard of {@code revision} or a later one. */
  int reached(long target) {
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (revision.get(i) >= target) {
        n++;
      }
    }
    return n;
  }

  void resetEvents() {
    for (int i = 0; i < size; i++) {
      events.set(i, 0);
    }
  }

  private static String unquoted(String etag) {
    return etag.length() >= 2 && etag.startsWith("\"")
        ? etag.substring(1, etag.length() - 1)
        : etag;
  }

  static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
