package io.holdfast.server.keyset;

import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.keyset.SignedKeySet;
import java.nio.charset.StandardCharsets;

/**
 * One published key set as the store holds it: its version and its signed bytes, exactly as
 * published. Immutable: the bytes are copied in and out.
 */
public final class StoredKeySet {

  private final long version;
  private final byte[] body;

  public StoredKeySet(long version, byte[] body) {
    this.version = version;
    this.body = body.clone();
  }

  public long version() {
    return version;
  }

  /** The signed key set, byte for byte as published. */
  public byte[] body() {
    return body.clone();
  }

  /**
   * The stored key set, parsed.
   *
   * @throws IllegalStateException if the bytes do not parse: only verified, canonical bytes are
   *     ever stored, so this is a damaged store, not a client's mistake
   */
  public SignedKeySet parsed() {
    try {
      return SignedKeySet.parse(body);
    } catch (JsonInputException e) {
      throw new IllegalStateException(
          "stored key set version " + version + " cannot be parsed: " + e.getMessage(), e);
    }
  }

  /** Whether {@code bytes} are the very bytes stored. */
  boolean hasBody(byte[] bytes) {
    return java.util.Arrays.equals(body, bytes);
  }

  int length() {
    return body.length;
  }

  /** Appends the body to {@code out} without another copy. */
  void writeTo(java.io.ByteArrayOutputStream out) {
    out.write(body, 0, body.length);
  }

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "StoredKeySet[version=" + version + ", " + body.length + " bytes]";
  }
}
