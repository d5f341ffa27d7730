package io.holdfast.server.window;

/**
 * A change window, blackout or time zone that cannot be accepted. The message names the part that
 * is wrong (the range or blackout as the operator wrote it) and says what would be right, so the
 * API can return it as the detail of a 400 problem and the CLI can print it as it is.
 */
public final class InvalidWindowException extends IllegalArgumentException {
  public InvalidWindowException(String message) {
    super(message);
  }
}
