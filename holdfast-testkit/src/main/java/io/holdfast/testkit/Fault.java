package io.holdfast.testkit;

import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.HoldfastHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One way for a {@link FaultyReplica} to misbehave, applied to each request a rule matches. Faults
 * that "forward" send the request to the real replica and tamper with its answer; the others answer
 * on their own and never contact it. Every connection is answered with {@code Connection: close}
 * and then closed.
 *
 * <p>Only one fault applies to a request; they do not compose.
 *
 * <p><b>Thread safety.</b> Immutable; share freely.
 */
public final class Fault {

  /** What a fault does to one exchange. */
  @FunctionalInterface
  interface Action {
    void apply(Exchange exchange) throws IOException, InterruptedException;
  }

  private static final Fault REFUSE = new Fault("refuseConnections()", null);

  private static final byte[] CAPTIVE_PORTAL =
      ("<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head>\n"
              + "<body><h1>Welcome to Guest Wi-Fi</h1>\n"
              + "<form method=\"post\" action=\"/login\"><input name=\"room\">"
              + "<button>Accept the terms and connect</button></form></body></html>\n")
          .getBytes(StandardCharsets.UTF_8);

  private final String description;
  private final Action action;

  private Fault(String description, Action action) {
    this.description = description;
    this.action = action;
  }

  /**
   * The port refuses connections, as when the replica's process is down: the proxy stops listening
   * until a later rule or {@link FaultyReplica#clear()} opens it again on the same port.
   * Connections already accepted carry on. Only as a rule for every path.
   */
  public static Fault refuseConnections() {
    return REFUSE;
  }

  /**
   * Accepts the connection and reads the request, then never answers: the connection stays open and
   * silent until the rule is cleared or the proxy closed, and is then closed unanswered.
   */
  public static Fault blackhole() {
    return new Fault("blackhole()", Exchange::holdUntilCleared);
  }

  /**
   * Forwards, sends the status line and headers (with the full {@code Content-Length}) at once,
   * then the body one byte per {@code perByte}, waiting before each byte. If the rule is cleared
   * meanwhile, the rest of the body goes out at once. An event stream is trickled as it arrives, a
   * byte per chunk, and passed on as it comes once the rule is cleared.
   *
   * @param perByte the pause before each body byte; positive
   */
  public static Fault trickle(Duration perByte) {
    requirePositive(perByte, "perByte");
    return new Fault(
        "trickle(" + perByte + ")", exchange -> exchange.trickle(exchange.forward(), perByte));
  }

  /**
   * Forwards after waiting {@code delay} (cut short if the rule is cleared).
   *
   * @param delay how long to wait before forwarding; positive
   */
  public static Fault delay(Duration delay) {
    requirePositive(delay, "delay");
    return new Fault(
        "delay(" + delay + ")",
        exchange -> {
          if (!exchange.awaitCleared(delay) || !exchange.replicaClosed()) {
            exchange.send(exchange.forward());
          }
        });
  }

  /**
   * Answers {@code code} with a small {@code application/problem+json} body, without contacting the
   * replica.
   *
   * @param code a status from 400 to 599
   */
  public static Fault status(int code) {
    return status(code, null);
  }

  /**
   * Answers {@code code} with a {@code Retry-After} header and a small {@code
   * application/problem+json} body, without contacting the replica.
   *
   * @param code a status from 400 to 599
   * @param retryAfter the {@code Retry-After} value as sent (seconds, an HTTP date, or garbage to
   *     test the parser); {@code null} for none
   */
  public static Fault status(int code, String retryAfter) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("status must be 400-599: " + code);
    }
    if (retryAfter != null) {
      requireHeaderValue(retryAfter);
    }
    return new Fault(
        "status(" + code + (retryAfter == null ? "" : ", " + retryAfter) + ")",
        exchange -> exchange.send(Response.problem(code, retryAfter)));
  }

  /**
   * Forwards, then answers the replica's status and headers with {@code Content-Length: 0} and no
   * body.
   */
  public static Fault emptyBody() {
    return new Fault(
        "emptyBody()", exchange -> exchange.send(exchange.forward().withBody(new byte[0])));
  }

  /**
   * Forwards, then sends the replica's headers with the full {@code Content-Length} but only the
   * first {@code bytes} bytes of the body, and closes: the client sees the connection end early. A
   * body no longer than {@code bytes} goes out whole. An event stream is passed on until {@code
   * bytes} bytes of it have gone out, then cut without its last chunk (mid-event, for a count that
   * falls inside one).
   *
   * @param bytes how many body bytes to send; zero or more
   */
  public static Fault truncate(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative: " + bytes);
    }
    return new Fault(
        "truncate(" + bytes + ")", exchange -> exchange.truncate(exchange.forward(), bytes));
  }

  /**
   * Forwards, then flips the lowest bit of the body's middle byte (index {@code length / 2}),
   * leaving the headers, digests and signature as they were. An empty body is sent unchanged. In an
   * event stream, the middle byte of the first {@code data:} line's value is flipped instead (the
   * rest of the stream passes untouched): the event no longer matches its digest or signature, or
   * no longer parses.
   */
  public static Fault flipByte() {
    return new Fault("flipByte()", exchange -> exchange.flipByte(exchange.forward()));
  }

  /**
   * Forwards, then removes every header called {@code name} (any case) from the answer. Removing
   * {@code Content-Length} leaves the body delimited by the connection's close.
   *
   * @param name the header to remove; not {@code Connection}
   */
  public static Fault stripHeader(String name) {
    requireHeaderName(name);
    return new Fault(
        "stripHeader(" + name + ")",
        exchange -> {
          Response response = exchange.forward();
          response.remove(name);
          exchange.send(response);
        });
  }

  /**
   * Forwards, then sets header {@code name} to {@code value} in the answer, replacing any header of
   * that name (any case) or adding it.
   *
   * @param name the header; not {@code Connection}
   * @param value its value as sent
   */
  public static Fault setHeader(String name, String value) {
    requireHeaderName(name);
    requireHeaderValue(value);
    return new Fault(
        "setHeader(" + name + ": " + value + ")",
        exchange -> {
          Response response = exchange.forward();
          response.set(name, value);
          exchange.send(response);
        });
  }

  /**
   * Forwards, then sends {@code rewrite} applied to the body in its place, with {@code ETag} and
   * {@code Repr-Digest} recomputed for the new bytes where the replica sent them: what a replica
   * that serialises documents differently would send (a changed canonical form, say). The signature
   * is left as it was, so it no longer verifies. An empty body, or an answer that carries none, is
   * sent unchanged.
   *
   * @param description what the rewrite does, for {@link #toString()}
   * @param rewrite the new body from the old; must not return {@code null}
   */
  public static Fault rewriteBody(String description, UnaryOperator<byte[]> rewrite) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(rewrite, "rewrite");
    return new Fault(
        "rewriteBody(" + description + ")",
        exchange -> {
          Response response = exchange.forward();
          if (response.body().length > 0 && Response.hasBody(response.status())) {
            byte[] body = Objects.requireNonNull(rewrite.apply(response.body().clone()), "body");
            ContentHash hash = ContentHash.of(body);
            if (response.has("ETag")) {
              response.set("ETag", hash.entityTag().toHeaderValue());
            }
            if (response.has(HoldfastHeaders.REPR_DIGEST)) {
              response.set(HoldfastHeaders.REPR_DIGEST, hash.reprDigest());
            }
            response.withBody(body);
          }
          exchange.send(response);
        });
  }

  /**
   * Answers {@code 304 Not Modified} with this {@code ETag} and no body to every request,
   * conditional or not, without contacting the replica.
   *
   * @param etag the header value as sent, quotes included, such as {@code "\"abc\""}
   */
  public static Fault notModified(String etag) {
    requireHeaderValue(etag);
    return new Fault(
        "notModified(" + etag + ")", exchange -> exchange.send(Response.notModified(etag)));
  }

  /**
   * Forwards, then holds the whole answer until the replica has ended it and writes it at once with
   * its {@code Content-Length}, as a reverse proxy that buffers upstream answers does (nginx's
   * {@code proxy_buffering}, say). Answers that are not streams go out as without the fault; an
   * event stream shows its client no byte at all, since the replica keeps it open, until the
   * replica ends it or the proxy closes: the way a client tells that it must fall back to polling.
   */
  public static Fault bufferStreams() {
    return new Fault("bufferStreams()", exchange -> exchange.send(exchange.forward().buffered()));
  }

  /**
   * Answers with a response recorded earlier by {@link FaultyReplica#record(String, String...)},
   * without contacting the replica: a validly signed but older document, to test rollback
   * protection. A request for the checksums event stream ({@code GET .../events}) is answered
   * instead with a stream of one {@code checksums} event built from a recorded {@code GET
   * .../checksums} answer (as in docs/protocol.md), which then ends: the same old state, over the
   * channel the client asked on.
   *
   * @param recorded the response to serve
   */
  public static Fault replay(FaultyReplica.Recorded recorded) {
    Objects.requireNonNull(recorded, "recorded");
    return new Fault(
        "replay(" + recorded + ")",
        exchange ->
            exchange.send(
                exchange.forEventStream() && recorded.status() == 200
                    ? Response.replayAsEvent(recorded)
                    : Response.replay(recorded)));
  }

  /**
   * Answers {@code 200} with a {@code text/html} captive-portal sign-in page, as hotel and airport
   * networks do, without contacting the replica.
   */
  public static Fault html() {
    return new Fault(
        "html()",
        exchange ->
            exchange.send(Response.of(200, "text/html; charset=utf-8", CAPTIVE_PORTAL.clone())));
  }

  /**
   * Writes exactly these bytes as the whole answer (status line, headers and body, as given), then
   * closes, without contacting the replica: for malformed responses such as a chunked body without
   * its last chunk or a {@code 304} with a body.
   *
   * @param response the bytes to write
   */
  public static Fault rawResponse(byte[] response) {
    byte[] bytes = response.clone();
    return new Fault(
        "rawResponse(" + bytes.length + " bytes)", exchange -> exchange.writeRaw(bytes));
  }

  boolean refusesConnections() {
    return this == REFUSE;
  }

  Action action() {
    return action;
  }

  /** Describes the fault as its factory call, such as {@code status(503, 5)}. */
  @Override
  public String toString() {
    return description;
  }

  private static void requirePositive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + duration);
    }
  }

  private static void requireHeaderName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || !name.chars().allMatch(Fault::isTokenChar)) {
      throw new IllegalArgumentException("not a header name: " + name);
    }
    if (name.toLowerCase(Locale.ROOT).equals("connection")) {
      throw new IllegalArgumentException("the proxy always answers Connection: close");
    }
  }

  private static void requireHeaderValue(String value) {
    Objects.requireNonNull(value, "value");
    if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
      throw new IllegalArgumentException("header value contains CR, LF or NUL: " + value);
    }
  }

  private static boolean isTokenChar(int c) {
    return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
  }
}
