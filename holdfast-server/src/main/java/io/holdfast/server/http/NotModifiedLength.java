package io.holdfast.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * Takes Helidon's {@code Content-Length: 0} off every 304 response.
 *
 * <p>RFC 9110 §8.6 forbids a Content-Length on a 304 unless it equals the length a 200 would have
 * had; a cache that refreshes its stored headers from the 304 would otherwise truncate the body it
 * holds (FAULTS A15). Helidon 4.5 sets {@code Content-Length: 0} on every body-less status after
 * the {@code beforeSend} callbacks have run, and turns any other value into a 500, so the header
 * can only be removed here: the send listener sees the status, then the live header object, just
 * before the header block is written. Both calls for one response happen on the connection's own
 * thread, one after the other. Thread-safe.
 */
final class NotModifiedLength implements Http1ConnectionListener {

  /**
   * Whether the response being written on this thread is a 304. Set, never removed: removing it on
   * every response made the next read create the thread's entry again, and that cost a tenth of a
   * document read's CPU (issue 21).
   */
  private static final ThreadLocal<Boolean> NOT_MODIFIED = ThreadLocal.withInitial(() -> false);

  @Override
  public void status(ConnectionContext ctx, Status status) {
    // Set on every response, so a 304 whose headers were never written cannot leave a mark that
    // strips the length from the next response on this connection.
    NOT_MODIFIED.set(status.code() == Status.NOT_MODIFIED_304.code());
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    if (NOT_MODIFIED.get()) {
      NOT_MODIFIED.set(false);
      if (headers instanceof WritableHeaders<?> writable) {
        writable.remove(HeaderNames.CONTENT_LENGTH);
      }
    }
  }
}
