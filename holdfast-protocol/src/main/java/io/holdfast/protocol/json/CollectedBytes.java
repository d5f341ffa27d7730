package io.holdfast.protocol.json;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a JSON generator writes, kept as one array. A generator writes its whole buffer at once when
 * it closes, so a document that fits in it (every document Holdfast writes, in practice) arrives in
 * one piece and is copied exactly once; a larger one arrives in several and is gathered in a
 * growing array. Not thread-safe: one generator, one thread.
 */
final class CollectedBytes extends OutputStream {

  private static final byte[] NONE = new byte[0];

  private byte[] bytes = NONE;
  private int length;

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] source, int offset, int count) {
    Objects.checkFromIndexSize(offset, count, source.length);
    if (count == 0) {
      return;
    }
    if (length == 0) {
      bytes = Arrays.copyOfRange(source, offset, offset + count);
      length = count;
      return;
    }
    if (count > bytes.length - length) {
      bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, Math.addExact(length, count)));
    }
    System.arraycopy(source, offset, bytes, length, count);
    length += count;
  }

  /** Everything written, in order: the array itself when it is exactly full. */
  byte[] bytes() {
    return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
  }
}
