package io.holdfast.it.edge;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection that sends GETs and reads each answer's status and {@code
 * Content-Length} body, discarding the body. Cheap on the client side, so that a flood test spends
 * the shared cores on the server rather than on an HTTP client library, and so that "twenty
 * connections" means exactly twenty sockets. Not thread-safe: one per thread.
 */
final class KeepAliveConnection implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] skip = new byte[64 * 1024];
  private long lastBodyLength;

  KeepAliveConnection(int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(30_000);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    out = socket.getOutputStream();
  }

  /**
   * Sends {@code GET path} with the given header lines ({@code Name: value}); returns the status.
   */
  int get(String path, String... headerLines) throws IOException {
    StringBuilder head =
        new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String line : headerLines) {
      head.append(line).append("\r\n");
    }
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    String status = line();
    long length = -1;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (colon > 0
          && header.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
        length = Long.parseLong(header.substring(colon + 1).strip());
      }
    }
    if (length < 0) {
      throw new IOException("no Content-Length in the answer to " + path + " (" + status + ")");
    }
    lastBodyLength = length;
    while (length > 0) {
      int n = in.read(skip, 0, (int) Math.min(skip.length, length));
      if (n < 0) {
        throw new IOException("the connection closed inside a body");
      }
      length -= n;
    }
    return Integer.parseInt(status.split(" ")[1]);
  }

  /** The length of the last answer's body. */
  long lastBodyLength() {
    return lastBodyLength;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("the connection closed inside the headers");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
