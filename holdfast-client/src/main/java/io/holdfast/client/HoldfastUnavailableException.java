package io.holdfast.client;

/**
 * Thrown by {@link HoldfastClient#start()} when, within the start-up timeout, no replica could be
 * verified and there is no last-known-good copy on disk for some namespace, and the client was
 * built to fail in that case.
 */
public final class HoldfastUnavailableException extends RuntimeException {
  public HoldfastUnavailableException(String message) {
    super(message);
  }
}
