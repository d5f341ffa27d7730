package io.holdfast.protocol.json;

/**
 * Thrown when untrusted JSON is rejected. The {@link Kind} tells which limit or rule was broken, so
 * that the server can map each to its own problem type.
 */
public final class JsonInputException extends Exception {

  /** Why the input was rejected. */
  public enum Kind {
    /** Not well-formed JSON, or not the expected shape. */
    MALFORMED,
    /** An object names the same member twice. */
    DUPLICATE_KEY,
    /** Nesting deeper than the configured limit. */
    TOO_DEEP,
    /** More bytes than the configured limit. */
    TOO_LARGE
  }

  private final Kind kind;

  public JsonInputException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
