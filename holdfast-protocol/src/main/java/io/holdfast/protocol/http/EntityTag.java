package io.holdfast.protocol.http;

import java.util.Objects;

/**
 * An HTTP entity tag (RFC 9110 §8.8.3): an opaque quoted string, optionally marked weak.
 *
 * <p>Holdfast's own tags are always strong and content-addressed; weak tags only arrive from
 * clients or intermediaries, and are compared with the weak comparison function that RFC 9110
 * §13.1.2 prescribes for {@code If-None-Match}. Instances are immutable and thread-safe.
 */
public record EntityTag(String opaque, boolean weak) {

  public EntityTag {
    Objects.requireNonNull(opaque, "opaque");
    for (int i = 0; i < opaque.length(); i++) {
      if (!isEtagChar(opaque.charAt(i))) {
        throw new IllegalArgumentException(
            "entity tag contains a character that RFC 9110 forbids at index " + i);
      }
    }
  }

  /** A strong tag with the given opaque value (without quotes). */
  public static EntityTag strong(String opaque) {
    return new EntityTag(opaque, false);
  }

  /**
   * Parses one entity tag such as {@code "abc"} or {@code W/"abc"}.
   *
   * @throws IllegalArgumentException if the text is not exactly one well-formed entity tag
   */
  public static EntityTag parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    boolean weak = false;
    if (s.startsWith("W/")) {
      weak = true;
      s = s.substring(2);
    }
    if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
      throw new IllegalArgumentException("entity tag must be a quoted string: " + abbreviate(text));
    }
    return new EntityTag(s.substring(1, s.length() - 1), weak);
  }

  /** Weak comparison: the opaque values are equal, whatever the weakness of either tag. */
  public boolean weaklyMatches(EntityTag other) {
    return opaque.equals(other.opaque);
  }

  /** Strong comparison: both tags are strong and their opaque values are equal. */
  public boolean stronglyMatches(EntityTag other) {
    return !weak && !other.weak && opaque.equals(other.opaque);
  }

  /** The header form, for example {@code "abc"} or {@code W/"abc"}. */
  public String toHeaderValue() {
    return (weak ? "W/\"" : "\"") + opaque + '"';
  }

  @Override
  public String toString() {
    return toHeaderValue();
  }

  static boolean isEtagChar(char c) {
    // etagc = %x21 / %x23-7E / obs-text
    return c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
  }

  static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
