package io.holdfast.cli.soak.history;

import io.holdfast.client.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every client is FRESH within a bound after the final heal: the first time each client's status is
 * FRESH at or after the {@link Heal} is no later than the bound after it. A client that starts
 * after the heal is measured from the heal too.
 */
final class FreshAfterHealCheck implements HistoryCheck {

  private final long boundNanos;
  private final ClientStatuses statuses = new ClientStatuses();
  private final Map<String, Long> nanosToFresh = new HashMap<>();
  private final Set<String> waiting = new TreeSet<>();
  private long healNanos = -1;

  FreshAfterHealCheck(Duration bound) {
    this.boundNanos = bound.toNanos();
  }

  @Override
  public void accept(SoakEvent event, Violations violations) {
    String client = statuses.accept(event);
    if (event instanceof Heal heal) {
      healNanos = heal.nanos();
      statuses.clients().forEach(c -> track(c, heal.nanos()));
    } else if (client != null && healNanos >= 0) {
      track(client, event.nanos());
    }
  }

  private void track(String client, long nanos) {
    if (nanosToFresh.containsKey(client)) {
      return;
    }
    if (statuses.status(client) == Status.FRESH) {
      waiting.remove(client);
      nanosToFresh.put(client, nanos - healNanos);
    } else {
      waiting.add(client);
    }
  }

  @Override
  public void finish(long endNanos, Violations violations) {
    if (healNanos < 0) {
      return; // ServedAfterHealCheck reports the missing heal.
    }
    waiting.forEach(
        client ->
            violations.report(
                ViolationKind.NOT_FRESH_AFTER_HEAL,
                endNanos,
                client,
                client
                    + " was still "
                    + statuses.status(client)
                    + " at the end, "
                    + SoakTimes.format(endNanos - healNanos)
                    + " after the final heal (bound "
                    + SoakTimes.format(boundNanos)
                    + ")"));
    new TreeMap<>(nanosToFresh)
        .forEach(
            (client, nanos) -> {
              if (nanos > boundNanos) {
                violations.report(
                    ViolationKind.NOT_FRESH_AFTER_HEAL,
                    healNanos + nanos,
                    client,
                    client
                        + " became FRESH "
                        + SoakTimes.format(nanos)
                        + " after the final heal, over the bound "
                        + SoakTimes.format(boundNanos));
              }
            });
  }
}
