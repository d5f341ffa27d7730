package io.holdfast.server.edge;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads a request body whole, at most a bound, and turns broken framing into a client error.
 *
 * <p>Helidon parses chunked framing as the body is read and throws unchecked exceptions of the
 * JDK's own kinds ({@code NumberFormatException} for a chunk size such as {@code
 * fffffffffffffffffff1}, {@code IllegalStateException} and others for a malformed chunk), which
 * would otherwise be logged as server faults and answered 500; a connection reset mid-body is
 * treated the same. After such a body the rest of the connection cannot be trusted to start at a
 * request boundary, so the answer closes it ({@link BrokenFramingException}; {@link EdgeFilter}
 * closes), and Helidon cannot send a second, unsolicited answer for what follows.
 */
public final class RequestBody {

  private RequestBody() {}

  /**
   * The body's bytes; {@code maxBytes + 1} of them when it is longer, so the caller can tell.
   *
   * @throws BrokenFramingException when the body's framing is invalid
   * @throws DataReader.InsufficientDataAvailableException when the client went away mid-body
   */
  public static byte[] readAtMost(ServerRequest req, int maxBytes) {
    InputStream in = req.content().inputStream();
    byte[] bytes;
    try {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (DataReader.InsufficientDataAvailableException | ProblemException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // A chunk size that is not hexadecimal, a malformed chunk, a connection reset mid-body:
      // the client's framing or transport, not a fault of this server.
      // Not closed: closing would read on through the broken framing until the client gives up.
      // Marked on the request, so that EdgeFilter closes the connection after whatever answer a
      // handler makes of the exception.
      req.context().register(new BrokenFraming());
      throw new BrokenFramingException();
    }
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the request body", e);
    }
    return bytes;
  }

  /** Whether this request's body was found to be framed wrongly. */
  static boolean framingBroken(ServerRequest req) {
    // Only a request that has a body can have broken its framing; asking the others' context
    // (made on first use) cost every GET a few per cent of its CPU (issue 21).
    Headers headers = req.headers();
    return (headers.contains(HeaderNames.TRANSFER_ENCODING)
            || headers.contains(HeaderNames.CONTENT_LENGTH))
        && req.context().get(BrokenFraming.class).isPresent();
  }

  /** The mark a broken body leaves in its request's context. */
  record BrokenFraming() {}

  /** A request body whose framing is invalid: answered 400, and the connection closes after. */
  public static final class BrokenFramingException extends ProblemException {
    BrokenFramingException() {
      super(
          ProblemType.MALFORMED_REQUEST,
          "the request body's framing is invalid (a chunk size or chunk is malformed)");
    }
  }
}
