package io.holdfast.server.config;

/** A configuration value is missing, malformed or out of range; the message names it. */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
