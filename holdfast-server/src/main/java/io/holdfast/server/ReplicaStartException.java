package io.holdfast.server;

/**
 * A replica could not start: a port is taken, the database cannot be reached, the signing key
 * cannot be used. Its message is one line for an operator, naming what failed and where (with any
 * secret redacted); the cause keeps the details for the debug log. By the time it is thrown,
 * everything the start had opened is stopped again.
 */
public final class ReplicaStartException extends RuntimeException {

  public ReplicaStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
