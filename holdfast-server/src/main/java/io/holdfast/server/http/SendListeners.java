package io.holdfast.server.http;

import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.util.List;

/**
 * Several send listeners as the one Helidon is given, each told the status and then the headers of
 * every response, in order.
 *
 * <p>Why not {@code Http1Config.addSendListener} once per listener: Helidon 4.5 joins two or more
 * into a list listener that forwards nothing, so none of them would ever be called (found by issue
 * 21's tests: the 304s kept their {@code Content-Length: 0}). Immutable and thread-safe.
 */
final class SendListeners implements Http1ConnectionListener {

  private final List<Http1ConnectionListener> listeners;

  SendListeners(Http1ConnectionListener... listeners) {
    this.listeners = List.of(listeners);
  }

  @Override
  public void status(ConnectionContext ctx, Status status) {
    for (Http1ConnectionListener listener : listeners) {
      listener.status(ctx, status);
    }
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    for (Http1ConnectionListener listener : listeners) {
      listener.headers(ctx, headers);
    }
  }
}
