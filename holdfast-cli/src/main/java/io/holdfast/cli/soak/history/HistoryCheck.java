package io.holdfast.cli.soak.history;

/**
 * One property checked over a history, event by event, holding only what it needs. The {@link
 * HistoryChecker} hands every event to every check in recorded order, then calls {@link #finish}
 * once.
 */
interface HistoryCheck {

  void accept(SoakEvent event, Violations violations);

  /**
   * Reports what can only be judged with the whole history seen.
   *
   * @param endNanos the time of the last event
   */
  void finish(long endNanos, Violations violations);
}
