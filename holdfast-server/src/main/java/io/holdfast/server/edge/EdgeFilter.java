package io.holdfast.server.edge;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.Problem;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import java.io.IOException;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The first filter on the instance port: tells {@link EdgeConnections} when each request starts and
 * ends (so the sweeper applies the request deadline, then the idle one), answers methods this
 * server does not implement with 501, and closes the connection after the answer when the client
 * asked for that ({@code Connection: close}, or HTTP/1.0). Helidon echoes {@code Connection: close}
 * but would otherwise keep reading the connection.
 *
 * <p>Failures of the rest of the chain are answered here, through the same problem mapping as
 * everywhere else, so that the connection is closed only after its answer. Stateless.
 */
public final class EdgeFilter implements io.helidon.webserver.http.Filter {

  /** What a failure becomes: the server's one problem mapping. */
  @FunctionalInterface
  public interface FailureResponder {
    void respond(ServerRequest req, ServerResponse res, Throwable failure);
  }

  /** The methods some route answers; any other token is 501 (RFC 9110 section 9.1). */
  static final Set<String> IMPLEMENTED =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final EdgeConnections connections;
  private final FailureResponder failures;
  private final ClientMistakeLog log;
  private final LongSupplier nanoTime;

  public EdgeFilter(
      EdgeConnections connections,
      FailureResponder failures,
      ClientMistakeLog log,
      LongSupplier nanoTime) {
    this.connections = connections;
    this.failures = failures;
    this.log = log;
    this.nanoTime = nanoTime;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    EdgeConnections.Connection c = connections.find(req.remotePeer().address());
    if (c != null) {
      c.enter(EdgeConnections.Phase.IN_REQUEST, nanoTime.getAsLong());
    }
    // contains() first: containsToken() streams and collects the values, and most requests send
    // no Connection header at all.
    boolean close =
        (c != null && c.http10)
            || (req.headers().contains(HeaderNames.CONNECTION)
                && req.headers().containsToken(HeaderValues.CONNECTION_CLOSE));
    if (close) {
      res.header(HeaderValues.CONNECTION_CLOSE);
    }
    try {
      String method = req.prologue().method().text();
      if (!IMPLEMENTED.contains(method)) {
        log.mistake(
            "method",
            req.remotePeer().host(),
            "unimplemented method " + ClientMistakeLog.excerpt(method));
        res.header(HeaderNames.ALLOW, String.join(", ", IMPLEMENTED));
        failures.respond(req, res, new UnimplementedMethodException(method));
        return;
      }
      chain.proceed();
    } catch (RuntimeException | Error failure) {
      if (failure instanceof RequestBody.BrokenFramingException && !res.isSent()) {
        res.header(HeaderValues.CONNECTION_CLOSE);
      }
      failures.respond(req, res, explain(req, res, failure));
    } finally {
      if (RequestBody.framingBroken(req)) {
        close = true;
        log.mistake(
            "body-framing", req.remotePeer().host(), "a request body with invalid chunked framing");
      }
      if (c != null) {
        if (close || c.pipelined || c.endedFor != null) {
          closeAfterAnswer(c);
        } else {
          c.enter(EdgeConnections.Phase.IDLE, nanoTime.getAsLong());
        }
      }
    }
  }

  /**
   * The failure to answer with: a body cut short because the edge ended its request (request
   * timeout) becomes 408, the connection closing after it; anything else is itself. Helidon's error
   * handlers may see a handler's failure before this filter does, so they call this too.
   */
  public Throwable explain(ServerRequest req, ServerResponse res, Throwable failure) {
    EdgeConnections.Connection c = connections.find(req.remotePeer().address());
    if (c != null
        && c.endedFor == EdgeConnections.Reason.REQUEST_TIMEOUT
        && failure instanceof DataReader.InsufficientDataAvailableException) {
      if (!res.isSent()) {
        res.header(HeaderValues.CONNECTION_CLOSE);
      }
      return new ProblemException(
          ProblemType.REQUEST_TIMEOUT,
          "the request did not arrive whole within the replica's request-timeout");
    }
    return failure;
  }

  /**
   * The answer is written (Helidon writes a response before {@code send} returns): send the end of
   * the stream after it, and end the input so Helidon's reader stops and closes the socket.
   */
  private void closeAfterAnswer(EdgeConnections.Connection c) {
    connections.closing(c);
    try {
      c.channel.shutdownOutput();
      c.channel.shutdownInput();
    } catch (IOException e) {
      // already gone
    }
  }

  /** A method token that no route implements. */
  public static final class UnimplementedMethodException extends RuntimeException {
    UnimplementedMethodException(String method) {
      super(
          "method "
              + ClientMistakeLog.excerpt(method)
              + " is not implemented; use one of "
              + IMPLEMENTED,
          null,
          false,
          false);
    }

    /** The problem to answer with. */
    public Problem problem(String path) {
      return new Problem(ProblemType.METHOD_NOT_IMPLEMENTED, getMessage(), path);
    }
  }
}
