package io.holdfast.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A loopback port free now, for a replica that must come back on the port it had (a restart) or a
 * process told its port on the command line.
 */
public final class FreePorts {

  private FreePorts() {}

  public static int any() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
