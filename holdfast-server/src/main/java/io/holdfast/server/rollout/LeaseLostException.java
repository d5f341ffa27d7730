package io.holdfast.server.rollout;

/** A write under a lease was refused because the lease expired or passed to another holder. */
public final class LeaseLostException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LeaseLostException(String message) {
    super(message);
  }
}
