package io.holdfast.cli.soak.history;

import java.util.List;
import java.util.Map;

/**
 * How the clients came back after one heal: a moment when the last active fault ended (or the final
 * {@link Heal}).
 *
 * @param healNanos when the heal happened
 * @param freshAtHeal how many clients were FRESH at that moment (not counted in the times)
 * @param nanosToFresh for each client that was not FRESH at the heal and became FRESH before the
 *     next fault started (or the history ended), how long that took
 * @param notFresh the clients that were not FRESH at the heal and did not become FRESH before the
 *     next fault started (or the history ended)
 */
public record HealRecovery(
    long healNanos, int freshAtHeal, Map<String, Long> nanosToFresh, List<String> notFresh) {

  public HealRecovery {
    nanosToFresh = Map.copyOf(nanosToFresh);
    notFresh = List.copyOf(notFresh);
  }
}
