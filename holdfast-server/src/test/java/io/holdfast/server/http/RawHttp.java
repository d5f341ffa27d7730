package io.holdfast.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A deliberately dumb HTTP/1.1 client over a plain socket: it sends exactly the bytes it is given
 * (so tests can send headers that {@link java.net.http.HttpClient} would refuse or rewrite) and
 * returns exactly what came back, with every header line as sent and every byte after the header
 * block. Each request uses {@code Connection: close} and reads to end of stream, so "no body" means
 * no byte at all followed the headers.
 */
final class RawHttp {

  /** A response as it was on the wire. */
  record Response(int status, List<String[]> headers, byte[] rest) {

    /** Every value of the header, case-insensitively, in order. */
    List<String> all(String name) {
      List<String> values = new ArrayList<>();
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          values.add(h[1]);
        }
      }
      return values;
    }

    Optional<String> first(String name) {
      List<String> values = all(name);
      return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Header names, lower-cased. */
    List<String> names() {
      return headers.stream().map(h -> h[0].toLowerCase(Locale.ROOT)).toList();
    }
  }

  private RawHttp() {}

  /**
   * Sends {@code method path} with the given extra header lines (already formatted as {@code Name:
   * value}) and no body.
   */
  static Response request(int port, String method, String path, String... headerLines) {
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    for (String line : headerLines) {
      head.append(line).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    return exchange(port, head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends raw request bytes and reads the whole response until the server closes. */
  static Response exchange(int port, byte[] request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      socket.shutdownOutput();
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      bytes.write(buffer, 0, n);
    }
    return bytes.toByteArray();
  }

  private static Response parse(byte[] raw) {
    int end = indexOf(raw, new byte[] {'\r', '\n', '\r', '\n'});
    if (end < 0) {
      throw new AssertionError(
          "no complete header block in "
              + raw.length
              + " bytes: "
              + new String(raw, StandardCharsets.ISO_8859_1));
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = Integer.parseInt(statusLine[1]);
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.add(
          new String[] {
            lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()
          });
    }
    return new Response(status, List.copyOf(headers), Arrays.copyOfRange(raw, end + 4, raw.length));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
