package io.holdfast.testkit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One request received by a {@link FaultyReplica} and the means to answer it. */
final class Exchange {

  /** Limits on what a request may bring: the proxy buffers it whole. */
  static final int MAX_HEAD_BYTES = 1 << 20;

  static final int MAX_BODY_BYTES = 16 << 20;

  /** A parsed request: {@code target} is the request-target as sent (path and query). */
  record Request(String method, String target, List<String[]> headers, byte[] body) {

    String header(String name) {
      for (String[] header : headers) {
        if (header[0].equalsIgnoreCase(name)) {
          return header[1];
        }
      }
      return null;
    }
  }

  /** A request the proxy cannot take, to be answered with {@code status}. */
  static final class Refused extends ProtocolException {
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final FaultyReplica replica;
  private final Request request;
  private final OutputStream out;
  private final CountDownLatch cleared;
  private final Closeable connection;
  private final long rulesSeen;

  Exchange(
      FaultyReplica replica,
      Request request,
      OutputStream out,
      CountDownLatch cleared,
      Closeable connection,
      long rulesSeen) {
    this.replica = replica;
    this.request = request;
    this.out = out;
    this.cleared = cleared;
    this.connection = connection;
    this.rulesSeen = rulesSeen;
  }

  /** {@link FaultRules#sequence()} when this exchange's fault was chosen. */
  long rulesSeen() {
    return rulesSeen;
  }

  /** The request-target as sent. */
  String target() {
    return request.target();
  }

  /** Whether the request asks for the checksums event stream ({@code GET .../events}). */
  boolean forEventStream() {
    String target = request.target();
    int query = target.indexOf('?');
    return (query < 0 ? target : target.substring(0, query)).endsWith("/events");
  }

  /** Ends the exchange at once by closing its connection: a stream cut by a rule added later. */
  void cut() {
    try {
      connection.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /**
   * Reads one request. {@code out} is needed only to answer {@code Expect: 100-continue}.
   *
   * @return the request, or {@code null} if the connection ended before its first byte
   * @throws Refused if the request is malformed or beyond the proxy's limits
   */
  static Request read(InputStream in, OutputStream out) throws IOException {
    int[] budget = {MAX_HEAD_BYTES};
    String requestLine = readLine(in, budget);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3
        || parts[0].isEmpty()
        || !parts[1].startsWith("/")
        || !parts[2].startsWith("HTTP/1.")) {
      throw new Refused(400, "malformed request line");
    }
    List<String[]> headers = new ArrayList<>();
    for (String line = readLine(in, budget); ; line = readLine(in, budget)) {
      if (line == null) {
        throw new EOFException("connection ended inside the request head");
      }
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new Refused(400, "malformed header line");
      }
      headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
    }
    Request head = new Request(parts[0], parts[1], headers, new byte[0]);
    if (head.header("Transfer-Encoding") != null) {
      throw new Refused(411, "chunked request bodies are not supported");
    }
    String length = head.header("Content-Length");
    if (length == null) {
      return head;
    }
    int bodyLength;
    try {
      bodyLength = Integer.parseInt(length.strip());
    } catch (NumberFormatException e) {
      throw new Refused(400, "malformed Content-Length");
    }
    if (bodyLength < 0 || bodyLength > MAX_BODY_BYTES) {
      throw new Refused(bodyLength < 0 ? 400 : 413, "Content-Length out of range");
    }
    if (bodyLength > 0 && "100-continue".equalsIgnoreCase(head.header("Expect"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    byte[] body = in.readNBytes(bodyLength);
    if (body.length < bodyLength) {
      throw new EOFException("connection ended inside the request body");
    }
    return new Request(parts[0], parts[1], headers, body);
  }

  /** A line without its CR LF, or {@code null} at end of stream before any byte. */
  private static String readLine(InputStream in, int[] budget) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new EOFException("connection ended inside a line");
      }
      if (--budget[0] < 0) {
        throw new Refused(431, "request head too large");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  boolean replicaClosed() {
    return replica.isClosed();
  }

  /** Sends the request to the real replica and returns its answer, re-framed. */
  Response forward() throws IOException, InterruptedException {
    return replica.forward(request);
  }

  /** Writes {@code response} whole; a stream as it arrives. */
  void send(Response response) throws IOException, InterruptedException {
    truncate(response, Integer.MAX_VALUE);
  }

  /** Writes the head of {@code response} and at most {@code bytes} bytes of its body. */
  void truncate(Response response, int bytes) throws IOException, InterruptedException {
    if (response.stream() != null) {
      relay(response, new StreamRelay(this, out).limit(bytes));
      return;
    }
    out.write(response.head());
    if (carriesBody(response)) {
      out.write(response.body(), 0, Math.min(bytes, response.body().length));
    }
    out.flush();
  }

  /** Writes the head at once, then the body a byte at a time, or the rest once cleared. */
  void trickle(Response response, Duration perByte) throws IOException, InterruptedException {
    if (response.stream() != null) {
      relay(response, new StreamRelay(this, out).trickle(perByte));
      return;
    }
    out.write(response.head());
    out.flush();
    byte[] body = carriesBody(response) ? response.body() : new byte[0];
    for (int i = 0; i < body.length; i++) {
      if (awaitCleared(perByte)) {
        if (replicaClosed()) {
          return;
        }
        out.write(body, i, body.length - i);
        break;
      }
      out.write(body[i]);
      out.flush();
    }
    out.flush();
  }

  /**
   * Writes {@code response}, flipping a byte of its first event if it is a stream, else of the
   * body's middle byte.
   */
  void flipByte(Response response) throws IOException, InterruptedException {
    if (response.stream() != null) {
      relay(response, new StreamRelay(this, out).flipFirstData());
      return;
    }
    byte[] body = response.body();
    if (body.length > 0) {
      body[body.length / 2] ^= 1;
    }
    send(response);
  }

  /** Relays a stream, open to being cut by a rule added meanwhile that matches its target. */
  private void relay(Response response, StreamRelay relay)
      throws IOException, InterruptedException {
    replica.streams().opened(this);
    try {
      relay.relay(response);
    } finally {
      replica.streams().closed(this);
    }
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Waits until the rules are cleared or the proxy closes. */
  void holdUntilCleared() throws InterruptedException {
    cleared.await();
  }

  /**
   * Waits up to {@code timeout}.
   *
   * @return whether the rules were cleared, or the proxy closed, meanwhile
   */
  boolean awaitCleared(Duration timeout) throws InterruptedException {
    return cleared.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private boolean carriesBody(Response response) {
    return Response.hasBody(response.status()) && !request.method().equals("HEAD");
  }
}
