package io.holdfast.server.edge;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.util.Set;

/**
 * Takes every connection on the instance port before Helidon's HTTP/1.1 selector does, so that the
 * first request line is judged here ({@link RequestLineConnection}). Helidon alone closes an
 * HTTP/1.0 connection, or one whose first line ends in a bare LF or names another version, without
 * a word: a proxy in front (nginx talks HTTP/1.0 to upstreams by default) then reports 502 for
 * everything (FAULTS F4). Stateless.
 */
final class RequestLineSelector implements ServerConnectionSelector {

  private final Http1ConnectionSelector http1;
  private final EdgeConnections connections;
  private final ClientMistakeLog log;

  RequestLineSelector(
      Http1ConnectionSelector http1, EdgeConnections connections, ClientMistakeLog log) {
    this.http1 = http1;
    this.connections = connections;
    this.log = log;
  }

  @Override
  public int bytesToIdentifyConnection() {
    return 0;
  }

  @Override
  public Support supports(BufferData data) {
    return Support.SUPPORTED;
  }

  @Override
  public Set<String> supportedApplicationProtocols() {
    return http1.supportedApplicationProtocols();
  }

  @Override
  public ServerConnection connection(ConnectionContext ctx) {
    return new RequestLineConnection(ctx, http1, connections, log);
  }
}
