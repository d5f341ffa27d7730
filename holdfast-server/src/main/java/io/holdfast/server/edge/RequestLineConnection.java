package io.holdfast.server.edge;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.holdfast.protocol.problem.Problem;
import io.holdfast.protocol.problem.ProblemType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Reads a connection's first request line and decides who answers it.
 *
 * <ul>
 *   <li>{@code HTTP/1.1}: Helidon's HTTP/1.1 connection, untouched, for this request and every
 *       later one on the connection (it answers their framing errors itself).
 *   <li>{@code HTTP/1.0}: the same connection, fed the line with its version rewritten to 1.1, so
 *       the request is routed as any other; the response is HTTP/1.1 with a length (RFC 9112
 *       section 2.3 lets a server answer with its own version), and the connection closes after it
 *       ({@link EdgeFilter}), as HTTP/1.0 expects.
 *   <li>Anything else gets one clear answer and the connection closes: 414 for a line longer than
 *       {@link #MAX_LINE_BYTES}, 505 for another version, 400 for a bare LF, a method that is not a
 *       token, or a line that is not {@code method SP target SP version}.
 * </ul>
 *
 * Not thread-safe: one connection, one thread.
 */
final class RequestLineConnection implements ServerConnection {

  /** Longest request line answered; Helidon's own prologue limit is the same. */
  static final int MAX_LINE_BYTES = 4096;

  /** Most of a refused request's remaining bytes read and dropped before closing. */
  private static final int MAX_DRAIN_BYTES = 1024 * 1024;

  private final ConnectionContext ctx;
  private final Http1ConnectionSelector http1;
  private final EdgeConnections connections;
  private final ClientMistakeLog log;
  private volatile ServerConnection delegate;
  private final long created = System.nanoTime();

  RequestLineConnection(
      ConnectionContext ctx,
      Http1ConnectionSelector http1,
      EdgeConnections connections,
      ClientMistakeLog log) {
    this.ctx = ctx;
    this.http1 = http1;
    this.connections = connections;
    this.log = log;
  }

  @Override
  public void handle(Limit limit) throws InterruptedException {
    DataReader reader = ctx.dataReader();
    int eol;
    try {
      eol = reader.findNewLine(MAX_LINE_BYTES);
    } catch (DataReader.IncorrectNewLineException e) {
      refuse(
          ProblemType.MALFORMED_REQUEST,
          "a request line ends with CRLF, not a bare CR or LF",
          "bare-newline",
          "");
      return;
    } catch (DataReader.InsufficientDataAvailableException e) {
      return; // the client left, or the edge ended it, before a whole line: nobody to answer
    }
    if (eol >= MAX_LINE_BYTES) {
      refuse(
          ProblemType.URI_TOO_LONG,
          "the request line is longer than " + MAX_LINE_BYTES + " bytes",
          "line-too-long",
          "");
      return;
    }
    byte[] line = reader.getBuffer(eol).readBytes();
    RequestLine parsed = RequestLine.parse(line);
    switch (parsed.verdict()) {
      case HTTP_1_1 -> delegate(ctx, limit);
      case HTTP_1_0 -> {
        reader.skip(eol + 2);
        EdgeConnections.Connection c = connections.find(ctx.remotePeer().address());
        if (c != null) {
          c.http10 = true;
        }
        byte[] rewritten = parsed.asHttp11();
        if (lacksHost(reader)) {
          // HTTP/1.0 makes Host optional, HTTP/1.1 requires it: name this server, as the
          // request reached it.
          String host = "Host: " + ctx.localPeer().host() + ":" + ctx.localPeer().port() + "\r\n";
          byte[] withHost = new byte[rewritten.length + host.length()];
          System.arraycopy(rewritten, 0, withHost, 0, rewritten.length);
          System.arraycopy(
              host.getBytes(StandardCharsets.US_ASCII),
              0,
              withHost,
              rewritten.length,
              host.length());
          rewritten = withHost;
        }
        delegate(new RewrittenContext(ctx, rewritten, reader), limit);
      }
      case OTHER_VERSION ->
          refuse(
              ProblemType.HTTP_VERSION_NOT_SUPPORTED,
              "this server speaks HTTP/1.1 (and answers HTTP/1.0)",
              "http-version",
              parsed.version());
      case BAD_METHOD ->
          refuse(
              ProblemType.MALFORMED_REQUEST,
              "the request method is not an HTTP token",
              "bad-method",
              new String(line, StandardCharsets.ISO_8859_1));
      case MALFORMED ->
          refuse(
              ProblemType.MALFORMED_REQUEST,
              "the request line must be: method SP target SP HTTP/1.1",
              "bad-request-line",
              new String(line, StandardCharsets.ISO_8859_1));
    }
  }

  private void delegate(ConnectionContext context, Limit limit) throws InterruptedException {
    ServerConnection connection = http1.connection(context);
    delegate = connection;
    connection.handle(limit);
  }

  /**
   * Whether the header block already read (the request line consumed) ends without a Host field. A
   * block not yet read whole is left as it is: Helidon then judges it.
   */
  private static boolean lacksHost(DataReader reader) {
    int available = reader.available();
    if (available == 0) {
      return false;
    }
    String block = new String(reader.getBuffer(available).readBytes(), StandardCharsets.ISO_8859_1);
    int end = block.startsWith("\r\n") ? 0 : block.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    for (String field : block.substring(0, end).split("\r\n")) {
      if (field.regionMatches(true, 0, "host:", 0, 5)) {
        return false;
      }
    }
    return true;
  }

  /** Answers once, closes the sending side, and drops what the client still sends. */
  private void refuse(ProblemType type, String detail, String kind, String excerpt) {
    log.mistake(
        kind,
        ctx.remotePeer().host(),
        detail + (excerpt.isEmpty() ? "" : ": " + ClientMistakeLog.excerpt(excerpt)));
    byte[] body = new Problem(type, detail).toBytes();
    String head =
        "HTTP/1.1 "
            + type.status()
            + " "
            + reason(type.status())
            + "\r\n"
            + "Content-Type: application/problem+json\r\n"
            + "Cache-Control: no-store\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "Connection: close\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    DataWriter writer = ctx.dataWriter();
    try {
      writer.writeNow(BufferData.create(head.getBytes(StandardCharsets.US_ASCII)));
      writer.writeNow(BufferData.create(body));
    } catch (RuntimeException e) {
      return; // the client is gone
    }
    EdgeConnections.Connection c = connections.find(ctx.remotePeer().address());
    if (c == null) {
      return;
    }
    try {
      c.channel.shutdownOutput();
    } catch (IOException e) {
      return;
    }
    // Closing with unread input would send a reset, which can destroy the answer before the
    // client reads it; read on until the client closes (bounded: the edge's sweeper closes the
    // connection outright after its close grace).
    connections.closing(c);
    DataReader reader = ctx.dataReader();
    int drained = 0;
    try {
      while (drained < MAX_DRAIN_BYTES) {
        int available = reader.available();
        if (available > 0) {
          reader.skip(available);
          drained += available;
        } else {
          reader.pullData();
        }
      }
    } catch (RuntimeException e) {
      // end of stream, or closed by the sweeper: done
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 414 -> "URI Too Long";
      case 505 -> "HTTP Version Not Supported";
      default -> "Error";
    };
  }

  @Override
  public Duration idleTime() {
    ServerConnection d = delegate;
    return d != null ? d.idleTime() : Duration.ofNanos(System.nanoTime() - created);
  }

  @Override
  public void close(boolean interrupt) {
    ServerConnection d = delegate;
    if (d != null) {
      d.close(interrupt);
    }
  }

  /**
   * The connection's context with a reader that yields the rewritten first line, then everything
   * the original reader holds or will read.
   */
  private static final class RewrittenContext implements ConnectionContext {
    private final ConnectionContext ctx;
    private final DataReader reader;

    RewrittenContext(ConnectionContext ctx, byte[] firstLine, DataReader original) {
      this.ctx = ctx;
      boolean[] firstSent = {false};
      this.reader =
          DataReader.create(
              () -> {
                if (!firstSent[0]) {
                  firstSent[0] = true;
                  return firstLine;
                }
                try {
                  if (original.available() == 0) {
                    original.pullData();
                  }
                  return original.readBytes(original.available());
                } catch (DataReader.InsufficientDataAvailableException e) {
                  return null;
                }
              });
    }

    @Override
    public DataReader dataReader() {
      return reader;
    }

    @Override
    public ListenerContext listenerContext() {
      return ctx.listenerContext();
    }

    @Override
    public ExecutorService executor() {
      return ctx.executor();
    }

    @Override
    public DataWriter dataWriter() {
      return ctx.dataWriter();
    }

    @Override
    public Router router() {
      return ctx.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
      return ctx.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
      return ctx.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
      return ctx.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
      return ctx.localPeer();
    }

    @Override
    public boolean isSecure() {
      return ctx.isSecure();
    }

    @Override
    public String socketId() {
      return ctx.socketId();
    }

    @Override
    public String childSocketId() {
      return ctx.childSocketId();
    }
  }
}
