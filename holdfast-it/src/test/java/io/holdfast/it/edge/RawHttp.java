package io.holdfast.it.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw HTTP over a socket, for what a well-behaved client library cannot send: bare newlines,
 * HTTP/1.0, unknown versions, bytes that trickle. Every read is bounded in time.
 */
final class RawHttp {

  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

  private RawHttp() {}

  /**
   * A socket from {@code localAddress} (any 127.x.y.z works on Linux's loopback) to the replica.
   */
  static Socket connect(String localAddress, int port) {
    try {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What came back on a connection: its bytes, and whether the server closed it. */
  record Exchange(String text, boolean closed) {
    /** The status codes of every response in the bytes, in order. */
    List<Integer> statuses() {
      List<Integer> statuses = new ArrayList<>();
      Matcher m = STATUS.matcher(text);
      while (m.find()) {
        statuses.add(Integer.parseInt(m.group(1)));
      }
      return statuses;
    }
  }

  /**
   * Sends {@code request} on a new connection and reads until the server closes or {@code wait}
   * passes.
   */
  static Exchange exchange(int port, String request, Duration wait) {
    try (Socket socket = connect("127.0.0.1", port)) {
      try {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      } catch (SocketException e) {
        // The server answered and closed before taking it all (a header block over its limit):
        // what it said is still there to read.
      }
      return readUntilClosed(socket, wait);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until the server closes the connection (or resets it), or until {@code wait} passes. */
  static Exchange readUntilClosed(Socket socket, Duration wait) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + wait.toNanos();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return new Exchange(out.toString(StandardCharsets.ISO_8859_1), false);
      }
      socket.setSoTimeout((int) left);
      try {
        int n = in.read(buffer);
        if (n < 0) {
          return new Exchange(out.toString(StandardCharsets.ISO_8859_1), true);
        }
        out.write(buffer, 0, n);
      } catch (SocketTimeoutException e) {
        return new Exchange(out.toString(StandardCharsets.ISO_8859_1), false);
      } catch (SocketException e) {
        return new Exchange(out.toString(StandardCharsets.ISO_8859_1), true); // reset: closed too
      }
    }
  }
}
