package io.holdfast.server.edge;

import io.helidon.common.socket.SocketOptions;
import java.net.Socket;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The instance listener's socket options, which also hand every accepted socket to {@link
 * EdgeConnections} before Helidon reads from it. Helidon calls {@link
 * #configureSocket(SocketChannel)} on its accept thread for each new connection; this is the one
 * place it lets us see a connection before its first byte. Immutable apart from what {@link
 * EdgeConnections} keeps.
 */
final class AcceptHook implements SocketOptions {

  private final SocketOptions options;
  private final EdgeConnections connections;

  AcceptHook(SocketOptions options, EdgeConnections connections) {
    this.options = options;
    this.connections = connections;
  }

  @Override
  public void configureSocket(SocketChannel socket) {
    options.configureSocket(socket);
    connections.accepted(socket);
  }

  @Override
  public void configureSocket(Socket socket) {
    options.configureSocket(socket);
  }

  @Override
  public Map<SocketOption<?>, Object> socketOptions() {
    return options.socketOptions();
  }

  @Override
  public Duration connectTimeout() {
    return options.connectTimeout();
  }

  @Override
  public Duration readTimeout() {
    return options.readTimeout();
  }

  @Override
  public Optional<Integer> socketReceiveBufferSize() {
    return options.socketReceiveBufferSize();
  }

  @Override
  public Optional<Integer> socketSendBufferSize() {
    return options.socketSendBufferSize();
  }

  @Override
  public boolean socketReuseAddress() {
    return options.socketReuseAddress();
  }

  @Override
  public boolean socketKeepAlive() {
    return options.socketKeepAlive();
  }

  @Override
  public boolean tcpNoDelay() {
    return options.tcpNoDelay();
  }
}
