package io.holdfast.cli.soak.history;

import java.util.Objects;

/**
 * An exception that reached the application from the SDK: a read, {@code admit()}, {@code
 * release()} or a listener callback threw.
 *
 * @param operation what the application called ("snapshot core", "admit", "release" ...)
 * @param exceptionClass the exception's class name
 * @param message its message, or {@code ""}
 */
public record ApplicationError(
    long nanos,
    String client,
    String instance,
    String operation,
    String exceptionClass,
    String message)
    implements SoakEvent {

  public ApplicationError {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(exceptionClass, "exceptionClass");
    Objects.requireNonNull(message, "message");
  }

  /** The error an application saw when a call threw {@code e}. */
  public static ApplicationError of(
      long nanos, String client, String instance, String operation, Throwable e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return new ApplicationError(
        nanos, client, instance, operation, e.getClass().getName(), message);
  }
}
