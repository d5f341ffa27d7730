package io.holdfast.cli.soak.history;

/** No exception reaches the application: every {@link ApplicationError} is a violation. */
final class ApplicationErrorCheck implements HistoryCheck {

  @Override
  public void accept(SoakEvent event, Violations violations) {
    if (event instanceof ApplicationError e) {
      violations.report(
          ViolationKind.APPLICATION_EXCEPTION,
          e.nanos(),
          e.client(),
          e.client()
              + " got "
              + e.exceptionClass()
              + " from "
              + e.operation()
              + (e.message().isEmpty() ? "" : ": " + e.message()));
    }
  }

  @Override
  public void finish(long endNanos, Violations violations) {
    // Judged as the events come.
  }
}
