package io.holdfast.client.seats;

/**
 * The tenant's seat store could not answer (its database is down, a lock wait timed out). Nothing
 * was assigned or released.
 */
public final class SeatStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SeatStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
