package io.holdfast.server.edge;

/**
 * Thrown from {@link AcceptHook} when a cap refuses a new connection, after the client was
 * answered; Helidon then closes the socket and takes the next one. No stack trace: it is a client's
 * limit, not a fault.
 */
final class ConnectionRefusedException extends RuntimeException {

  ConnectionRefusedException(String message) {
    super(message, null, false, false);
  }
}
