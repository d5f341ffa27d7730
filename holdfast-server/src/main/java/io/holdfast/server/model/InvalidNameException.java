package io.holdfast.server.model;

/** A name or id that breaks the {@link Names} rule. */
public final class InvalidNameException extends IllegalArgumentException {
  public InvalidNameException(String message) {
    super(message);
  }
}
