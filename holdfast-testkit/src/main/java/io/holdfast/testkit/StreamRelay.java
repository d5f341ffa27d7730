package io.holdfast.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Passes a replica's event stream on to the client as it arrives: each read from the replica goes
 * out as one HTTP chunk, flushed at once, so that a client behind the proxy sees each event when
 * the replica sent it. Faults shape the relay: a byte limit cuts the stream without its last chunk
 * (the client sees the connection end inside the body), a pause per byte trickles it, and a flip
 * alters the first event's {@code data} line.
 *
 * <p>Not thread-safe: one per exchange, on the connection's thread.
 */
final class StreamRelay {

  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] DATA_FIELD = "data:".getBytes(StandardCharsets.ISO_8859_1);

  private final Exchange exchange;
  private final OutputStream out;
  private long limit = Long.MAX_VALUE;
  private Duration perByte;
  private boolean flipFirstData;

  StreamRelay(Exchange exchange, OutputStream out) {
    this.exchange = exchange;
    this.out = out;
  }

  /** Sends at most {@code bytes} bytes of the stream, then closes without the last chunk. */
  StreamRelay limit(long bytes) {
    this.limit = bytes;
    return this;
  }

  /** Sends a byte at a time, pausing before each, until the rules are cleared. */
  StreamRelay trickle(Duration pause) {
    this.perByte = pause;
    return this;
  }

  /** Flips the lowest bit of the middle byte of the first {@code data:} line's value. */
  StreamRelay flipFirstData() {
    this.flipFirstData = true;
    return this;
  }

  /** Writes the head, then the stream until the replica ends it, the limit, or a write fails. */
  void relay(Response response) throws IOException, InterruptedException {
    out.write(response.head());
    out.flush();
    ByteArrayOutputStream held = new ByteArrayOutputStream(); // until the first data line is whole
    long sent = 0;
    try (InputStream in = response.stream()) {
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        byte[] bytes = Arrays.copyOf(buffer, n);
        if (flipFirstData) {
          held.write(bytes);
          bytes = held.toByteArray();
          if (!flipDataLine(bytes)) {
            continue;
          }
          flipFirstData = false;
          held.reset();
        }
        int take = (int) Math.min(bytes.length, limit - sent);
        write(bytes, take);
        sent += take;
        if (sent >= limit) {
          return; // cut mid-stream: no last chunk
        }
      }
      byte[] rest = held.toByteArray(); // a stream that ended before any data line
      write(rest, (int) Math.min(rest.length, limit - sent));
      out.write(LAST_CHUNK);
      out.flush();
    }
  }

  private void write(byte[] bytes, int length) throws IOException, InterruptedException {
    int from = 0;
    while (perByte != null && from < length) {
      if (exchange.awaitCleared(perByte)) {
        perByte = null; // cleared: the rest as it comes
        break;
      }
      chunk(bytes, from, 1);
      from++;
    }
    chunk(bytes, from, length - from);
  }

  private void chunk(byte[] bytes, int from, int length) throws IOException {
    if (length == 0) {
      return;
    }
    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes, from, length);
    out.write('\r');
    out.write('\n');
    out.flush();
  }

  /**
   * Flips the middle byte of the first whole {@code data:} line's value in {@code bytes}.
   *
   * @return whether such a line was found (and flipped)
   */
  private static boolean flipDataLine(byte[] bytes) {
    for (int start = 0; start + DATA_FIELD.length <= bytes.length; start++) {
      if ((start == 0 || bytes[start - 1] == '\n') && startsWith(bytes, start, DATA_FIELD)) {
        int value = start + DATA_FIELD.length;
        int end = value;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
          end++;
        }
        if (end == bytes.length) {
          return false; // the line is not whole yet
        }
        if (end > value) {
          bytes[value + (end - value) / 2] ^= 1;
        }
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
