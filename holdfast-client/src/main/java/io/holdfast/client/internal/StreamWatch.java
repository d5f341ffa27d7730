package io.holdfast.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.http.HoldfastHeaders;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Watches a replica's checksums through its event stream ({@code GET /v1/instances/{id}/events},
 * docs/protocol.md), keeping the stream open across the sync loop's cycles, and says when the long
 * poll must do instead.
 *
 * <p>Design memo. Each cycle that would long-poll asks {@link #next} instead. It answers as the
 * long poll would, so the sync loop verifies and adopts the same way: a 200 built from the newest
 * event (the checksums' exact bytes and header values, verified like any fetched checksums), or a
 * 304 naming the held checksums when the wait passed while the stream stayed alive (its keep-alive
 * comments show that the replica has nothing newer). It answers {@code null} where a stream cannot
 * be had, and the loop long-polls: a replica without the endpoint; an answer that is not a 200
 * event stream; a stream whose first bytes do not arrive within {@link #OPENING_WAIT} (a proxy that
 * buffers the stream; a stream that worked on this replica before makes that a replica failure
 * instead, as does a stream that falls silent); or streams that end {@link #MAX_FRUITLESS} times in
 * a row without an event (a proxy that cuts them). Such a replica is long-polled for {@link
 * #LONG_POLL_SPELL} before the stream is tried again.
 *
 * <p>Keep-alive loss: a stream that brings no byte for {@link #SILENCE_FACTOR} times the replica's
 * announced keep-alive interval is dead (a blackholed replica, a dropped NAT flow): it is closed
 * and the cycle fails like an unreachable replica, so the loop turns to the next. A stream that
 * ends is reopened at once with {@code Last-Event-ID}, so nothing is missed. Real time on purpose:
 * this paces connections, it measures no grace. Used by the sync loop's thread only.
 */
final class StreamWatch {

  /** How long a new stream may take to show its first bytes (its opening comment). */
  static final Duration OPENING_WAIT = Duration.ofSeconds(3);

  /** A stream silent for this many keep-alive intervals is dead. */
  static final double SILENCE_FACTOR = 2.5;

  /** The keep-alive interval assumed when a replica does not announce one. */
  static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);

  /** Streams ended without any event this many times in a row: a proxy cuts them. */
  static final int MAX_FRUITLESS = 3;

  /** How long a replica whose streams do not work is long-polled before the stream is retried. */
  static final Duration LONG_POLL_SPELL = Duration.ofMinutes(5);

  /**
   * The longest event line taken: checksums list a digest per namespace, so even thousands of
   * namespaces stay far below this; a stream sending more is broken or hostile.
   */
  static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String instance;
  private final Transport transport;
  private final Duration requestTimeout;
  private final System.Logger log;
  private final CountDownLatch stopped;

  private final Map<URI, Long> longPollUntil = new HashMap<>();
  private final Map<URI, Boolean> streamed = new HashMap<>();
  private URI replica;
  private OpenEventStream open;
  private long silenceNanos;
  private boolean eventSinceOpen;
  private int fruitless;

  /**
   * @param stopped counted down when the client closes: no stream is opened after that
   */
  StreamWatch(
      String instance,
      Transport transport,
      Duration requestTimeout,
      System.Logger log,
      CountDownLatch stopped) {
    this.instance = instance;
    this.transport = transport;
    this.requestTimeout = requestTimeout;
    this.log = log;
    this.stopped = stopped;
  }

  /**
   * The replica's next checksums: a 200 as {@code GET /checksums} gives them, once they differ from
   * {@code heldEtag} and are not older than {@code heldRevision}; a 304 naming {@code heldEtag} if
   * nothing newer came within {@code wait}; or {@code null} if the long poll must do.
   *
   * @throws Transport.TransportException if the replica is unreachable or its stream fell silent
   */
  Transport.Response next(URI target, String heldEtag, long heldRevision, Duration wait)
      throws Transport.TransportException {
    Long until = longPollUntil.get(target);
    if (until != null) {
      if (System.nanoTime() - until < 0) {
        return null;
      }
      longPollUntil.remove(target);
    }
    if (open != null && !target.equals(replica)) {
      close();
    }
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (true) {
        if (open == null && stopped.getCount() == 0) {
          throw new Transport.TransportException("abandoned: the client is closing", null);
        }
        if (open == null && !connect(target, heldEtag)) {
          return null;
        }
        OpenEventStream.State state = open.await(deadline, silenceNanos);
        switch (state) {
          case EVENT -> {
            Transport.Response response = response(open.take());
            if (response == null) {
              continue; // malformed: the verifier would refuse it anyway; wait for the next
            }
            if (ReplicaSync.weaklyEqual(response.header("ETag"), heldEtag)
                || revision(response) < heldRevision) {
              continue; // what is held, or older than it (sent before a poll caught up)
            }
            // Only news makes a stream fruitful: one that ends after repeating what the client
            // holds (a proxy replaying an old event) would otherwise be reopened in a hot loop.
            eventSinceOpen = true;
            fruitless = 0;
            return response;
          }
          case QUIET -> {
            return notModified(heldEtag);
          }
          case SILENT -> {
            long silentFor = silenceNanos / 1_000_000;
            close();
            throw new Transport.TransportException(
                "the event stream brought no byte for " + silentFor + " ms", null);
          }
          case ENDED -> {
            String reason = open.endReason();
            boolean fruitful = eventSinceOpen;
            close();
            if (!fruitful && ++fruitless >= MAX_FRUITLESS) {
              fallBack(target, "its event streams end without events (" + reason + ")");
              return null;
            }
            // Reopened at once with Last-Event-ID: nothing is missed.
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new Transport.TransportException("interrupted", e);
    }
  }

  /** Closes the open stream, if any. */
  void close() {
    if (open != null) {
      transport.closeStream(open);
      open = null;
    }
  }

  /**
   * Opens a stream to {@code target}; returns {@code false} (and marks it for the long poll) if it
   * answers but not with a working stream.
   */
  private boolean connect(URI target, String heldEtag)
      throws Transport.TransportException, InterruptedException {
    OpenEventStream stream = new OpenEventStream(MAX_EVENT_BYTES);
    URI uri = target.resolve("/v1/instances/" + instance + "/events");
    // A proxy that buffers the stream holds its head as well as its body: a silent start is a
    // buffering proxy on a replica whose stream never worked, a failure on one whose stream did.
    Duration openingWait =
        OPENING_WAIT.compareTo(requestTimeout) < 0 ? OPENING_WAIT : requestTimeout;
    long openingDeadline = System.nanoTime() + openingWait.toNanos();
    HttpResponse<Void> answer;
    try {
      String[] headers =
          heldEtag == null
              ? new String[] {"Accept", HoldfastHeaders.EVENT_STREAM_MEDIA_TYPE}
              : new String[] {
                "Accept",
                HoldfastHeaders.EVENT_STREAM_MEDIA_TYPE,
                HoldfastHeaders.LAST_EVENT_ID,
                heldEtag
              };
      answer = transport.openStream(uri, openingWait, stream, headers);
    } catch (Transport.TransportException e) {
      if (!(e.getCause() instanceof java.util.concurrent.TimeoutException)
          || Boolean.TRUE.equals(streamed.get(target))) {
        throw e;
      }
      fallBack(target, "its event stream did not start within " + openingWait.toMillis() + " ms");
      return false;
    }
    String type = answer.headers().firstValue("Content-Type").orElse("");
    if (answer.statusCode() != 200
        || !type.toLowerCase(Locale.ROOT).startsWith(HoldfastHeaders.EVENT_STREAM_MEDIA_TYPE)) {
      transport.closeStream(stream);
      if (answer.statusCode() == 404 || answer.statusCode() == 200) {
        fallBack(target, "it answers " + answer.statusCode() + " " + type + " for the stream");
      }
      // Anything else (401, 429, 503): the long poll meets it too and handles it as it does.
      return false;
    }
    if (!stream.awaitFirstBytes(Math.max(0, openingDeadline - System.nanoTime()))) {
      transport.closeStream(stream);
      if (Boolean.TRUE.equals(streamed.get(target))) {
        throw new Transport.TransportException(
            "the event stream showed no byte within " + openingWait.toMillis() + " ms", null);
      }
      fallBack(
          target,
          "its event stream showed nothing within "
              + openingWait.toMillis()
              + " ms (a proxy that buffers it?)");
      return false;
    }
    streamed.put(target, true);
    replica = target;
    open = stream;
    eventSinceOpen = false;
    silenceNanos = (long) (keepAlive(answer.headers()).toNanos() * SILENCE_FACTOR);
    return true;
  }

  private void fallBack(URI target, String why) {
    log.log(
        Level.INFO,
        "replica {0}: {1}; long-polling it for {2} min",
        target,
        why,
        LONG_POLL_SPELL.toMinutes());
    fruitless = 0;
    longPollUntil.put(target, System.nanoTime() + LONG_POLL_SPELL.toNanos());
  }

  private static Duration keepAlive(HttpHeaders headers) {
    try {
      long seconds =
          Long.parseLong(headers.firstValue(HoldfastHeaders.KEEP_ALIVE).orElse("").strip());
      return seconds >= 1 && seconds <= 300 ? Duration.ofSeconds(seconds) : DEFAULT_KEEP_ALIVE;
    } catch (NumberFormatException e) {
      return DEFAULT_KEEP_ALIVE;
    }
  }

  /** The event as the answer {@code GET /checksums} would have been, or {@code null}. */
  private static Transport.Response response(EventStreamParser.Event event) {
    JsonNode data;
    try {
      data = JSON.readTree(event.data());
    } catch (IOException e) {
      return null;
    }
    if (data == null || !data.path("body").isTextual()) {
      return null;
    }
    byte[] body;
    try {
      body = Base64.getDecoder().decode(data.get("body").asText());
    } catch (IllegalArgumentException e) {
      return null;
    }
    Map<String, List<String>> headers = new HashMap<>();
    headers.put("Content-Type", List.of(HoldfastHeaders.ENVELOPE_MEDIA_TYPE));
    copy(data, "etag", "ETag", headers);
    copy(data, "revision", HoldfastHeaders.REVISION, headers);
    copy(data, "reprDigest", HoldfastHeaders.REPR_DIGEST, headers);
    copy(data, "signature", HoldfastHeaders.SIGNATURE, headers);
    copy(data, "storeUnreachableSince", HoldfastHeaders.STORE_UNREACHABLE_SINCE, headers);
    return new Transport.Response(200, HttpHeaders.of(headers, (name, value) -> true), body);
  }

  private static void copy(
      JsonNode data, String member, String header, Map<String, List<String>> headers) {
    JsonNode value = data.get(member);
    if (value != null && value.isTextual()) {
      headers.put(header, List.of(value.asText()));
    }
  }

  private static long revision(Transport.Response response) {
    try {
      return Long.parseLong(response.header(HoldfastHeaders.REVISION));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // unknown: let the verifier and the rollback check judge it
    }
  }

  private static Transport.Response notModified(String heldEtag) {
    return new Transport.Response(
        304, HttpHeaders.of(Map.of("ETag", List.of(heldEtag)), (name, value) -> true), new byte[0]);
  }
}
