package io.holdfast.protocol.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed {@code If-None-Match} header (RFC 9110 §13.1.2): either {@code *} or a list of entity
 * tags.
 *
 * <p>{@link #parse(List)} accepts the field values of every header line (a recipient must treat
 * repeated lines as one comma-separated list) and either returns a result or throws {@link
 * IllegalArgumentException}; it never throws anything else. A list that mixes {@code *} with tags
 * is rejected, since its meaning is undefined. Immutable and thread-safe.
 */
public final class IfNoneMatch {

  private static final IfNoneMatch ANY = new IfNoneMatch(List.of(), true);

  private final List<EntityTag> tags;
  private final boolean any;

  private IfNoneMatch(List<EntityTag> tags, boolean any) {
    this.tags = tags;
    this.any = any;
  }

  /** The condition {@code *}: matches whenever the resource has a current representation. */
  public static IfNoneMatch any() {
    return ANY;
  }

  /** A condition listing the given tags. */
  public static IfNoneMatch of(List<EntityTag> tags) {
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("If-None-Match lists no entity tag");
    }
    return new IfNoneMatch(List.copyOf(tags), false);
  }

  /**
   * Parses the values of all {@code If-None-Match} header lines of one request.
   *
   * @param fieldValues the raw values, in order; must not be empty
   * @throws IllegalArgumentException if any value is malformed
   */
  public static IfNoneMatch parse(List<String> fieldValues) {
    Objects.requireNonNull(fieldValues, "fieldValues");
    if (fieldValues.isEmpty()) {
      throw new IllegalArgumentException("If-None-Match has no value");
    }
    List<EntityTag> tags = new ArrayList<>();
    boolean sawAny = false;
    for (String value : fieldValues) {
      if (value == null) {
        throw new IllegalArgumentException("If-None-Match has no value");
      }
      int i = 0;
      int n = value.length();
      boolean expectElement = true;
      boolean sawElementInLine = false;
      while (i < n) {
        char c = value.charAt(i);
        if (c == ' ' || c == '\t') {
          i++;
        } else if (c == ',') {
          // Empty list elements are allowed by RFC 9110 §5.6.1.2.
          expectElement = true;
          i++;
        } else if (!expectElement) {
          throw new IllegalArgumentException(
              "If-None-Match entries must be separated by commas at index " + i);
        } else if (c == '*') {
          sawAny = true;
          sawElementInLine = true;
          expectElement = false;
          i++;
        } else {
          boolean weak = false;
          if (c == 'W' && i + 1 < n && value.charAt(i + 1) == '/') {
            weak = true;
            i += 2;
          }
          if (i >= n || value.charAt(i) != '"') {
            throw new IllegalArgumentException(
                "If-None-Match entity tags must be quoted strings at index " + i);
          }
          int close = value.indexOf('"', i + 1);
          if (close < 0) {
            throw new IllegalArgumentException(
                "If-None-Match has an unterminated entity tag at index " + i);
          }
          tags.add(new EntityTag(value.substring(i + 1, close), weak));
          sawElementInLine = true;
          expectElement = false;
          i = close + 1;
        }
      }
      if (!sawElementInLine) {
        throw new IllegalArgumentException("If-None-Match has an empty value");
      }
    }
    if (sawAny && !tags.isEmpty()) {
      throw new IllegalArgumentException("If-None-Match mixes * with entity tags");
    }
    if (sawAny) {
      return ANY;
    }
    return new IfNoneMatch(List.copyOf(tags), false);
  }

  /** Whether the condition is {@code *}. */
  public boolean isAny() {
    return any;
  }

  /** The listed tags; empty for {@code *}. */
  public List<EntityTag> tags() {
    return tags;
  }

  /**
   * Whether a representation with the given current tag matches, so that a GET or HEAD should
   * answer 304. Uses the weak comparison, as RFC 9110 requires for {@code If-None-Match}.
   */
  public boolean matches(EntityTag current) {
    if (any) {
      return true;
    }
    for (EntityTag tag : tags) {
      if (tag.weaklyMatches(current)) {
        return true;
      }
    }
    return false;
  }

  /** The header form of this condition. */
  public String toHeaderValue() {
    if (any) {
      return "*";
    }
    StringBuilder sb = new StringBuilder();
    for (EntityTag tag : tags) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(tag.toHeaderValue());
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return toHeaderValue();
  }
}
