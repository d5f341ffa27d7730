package io.holdfast.agent.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where the agent listens: a host (an IP literal or a name resolved once, at start) and a port, 0
 * for any free one. Written {@code 127.0.0.1:7070}, {@code [::1]:7070} or {@code localhost:7070}.
 */
public record ListenAddress(InetAddress address, int port) {

  /**
   * @throws IllegalArgumentException naming the setting and the text
   */
  public static ListenAddress parse(String setting, String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(
          setting + ": '" + text + "' is not host:port (e.g. 127.0.0.1:7070)");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting + ": '" + text + "' has no numeric port", e);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(setting + ": port " + port + " is not 0 to 65535");
    }
    try {
      return new ListenAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(setting + ": host '" + host + "' does not resolve", e);
    }
  }

  /** Only this machine can reach it (127.0.0.0/8 or ::1). */
  public boolean loopback() {
    return address.isLoopbackAddress();
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  @Override
  public String toString() {
    String host = address.getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
