package io.holdfast.cli.soak.history;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * No seat holder is ever denied. The one denial a holder may get is {@code DENIED_NOT_SUBSCRIBED}
 * after its subscription was suspended or cancelled: that must have been acknowledged, before or (a
 * client may see it first) after the denial.
 */
final class SeatHolderCheck implements HistoryCheck {

  private final Set<SeatKey> everInactive = new HashSet<>();
  private final List<Decision> unexplained = new ArrayList<>();

  @Override
  public void accept(SoakEvent event, Violations violations) {
    if (event instanceof SubscriptionChanged s && !s.active()) {
      SeatKey key = new SeatKey(s.instance(), s.application());
      everInactive.add(key);
      unexplained.removeIf(d -> key.equals(new SeatKey(d.instance(), d.application())));
    } else if (event instanceof Decision d
        && d.operation() == Decision.Operation.ADMIT
        && d.holder()
        && d.outcome().denied()) {
      boolean maybeExplained = d.outcome() == DecisionOutcome.DENIED_NOT_SUBSCRIBED;
      if (!maybeExplained) {
        report(d, violations);
      } else if (!everInactive.contains(new SeatKey(d.instance(), d.application()))) {
        unexplained.add(d);
      }
    }
  }

  private static void report(Decision d, Violations violations) {
    violations.report(
        ViolationKind.SEAT_HOLDER_DENIED,
        d.nanos(),
        d.client(),
        "%s denied %s of %s/%s (%s: %s) though %s held a seat"
            .formatted(
                d.client(),
                d.user(),
                d.instance(),
                d.application(),
                d.outcome(),
                d.reason(),
                d.user()));
  }

  @Override
  public void finish(long endNanos, Violations violations) {
    unexplained.forEach(d -> report(d, violations));
    unexplained.clear();
  }
}
