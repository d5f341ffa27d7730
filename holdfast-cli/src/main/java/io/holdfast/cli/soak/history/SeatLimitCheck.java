package io.holdfast.cli.soak.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Never more seats than quantity plus overage: no seat count, and no admission of a new seat,
 * exceeds the largest limit acknowledged for that application of that instance.
 *
 * <p>A client may see a subscription change before the runner records its acknowledgement, so an
 * excess is judged against the largest limit acknowledged before it or by the next acknowledgement
 * for the same application; a {@link SeatCount} that names the limit is judged against that.
 */
final class SeatLimitCheck implements HistoryCheck {

  private record Excess(long nanos, String who, long inUse, String what) {}

  private final Map<SeatKey, Long> largest = new HashMap<>();
  private final Map<SeatKey, List<Excess>> pending = new HashMap<>();

  @Override
  public void accept(SoakEvent event, Violations violations) {
    if (event instanceof SubscriptionChanged s) {
      SeatKey key = new SeatKey(s.instance(), s.application());
      largest.merge(key, s.limit(), Math::max);
      List<Excess> waiting = pending.remove(key);
      if (waiting != null) {
        waiting.forEach(excess -> judge(key, excess, violations));
      }
    } else if (event instanceof SeatCount c) {
      count(c, violations);
    } else if (event instanceof Decision d
        && d.operation() == Decision.Operation.ADMIT
        && d.outcome() == DecisionOutcome.ADMITTED
        && !d.holder()) {
      SeatKey key = new SeatKey(d.instance(), d.application());
      if (over(key, d.seatsInUseAfter())) {
        String what = d.client() + " admitted " + d.user() + " to " + key + ", making";
        pending
            .computeIfAbsent(key, k -> new ArrayList<>())
            .add(new Excess(d.nanos(), d.client(), d.seatsInUseAfter(), what));
      }
    }
  }

  private void count(SeatCount c, Violations violations) {
    SeatKey key = new SeatKey(c.instance(), c.application());
    Excess excess = new Excess(c.nanos(), key.toString(), c.inUse(), key + " had");
    if (c.largestAcknowledgedLimit() != null) {
      if (c.inUse() > c.largestAcknowledgedLimit()) {
        report(key, excess, c.largestAcknowledgedLimit(), violations);
      }
    } else if (over(key, c.inUse())) {
      pending.computeIfAbsent(key, k -> new ArrayList<>()).add(excess);
    }
  }

  private boolean over(SeatKey key, long inUse) {
    Long limit = largest.get(key);
    return limit == null ? inUse > 0 : inUse > limit;
  }

  private void judge(SeatKey key, Excess excess, Violations violations) {
    if (over(key, excess.inUse())) {
      report(key, excess, largest.get(key), violations);
    }
  }

  private void report(SeatKey key, Excess excess, Long limit, Violations violations) {
    String bound =
        limit == null
            ? "though no subscription was acknowledged"
            : "more than the largest acknowledged quantity plus overage, " + limit;
    violations.reportOnce(
        ViolationKind.SEATS_OVER_LIMIT,
        List.of(key, excess.inUse(), excess.who()),
        excess.nanos(),
        excess.who(),
        excess.what() + " " + excess.inUse() + " seats in use, " + bound);
  }

  @Override
  public void finish(long endNanos, Violations violations) {
    pending.forEach((key, excesses) -> excesses.forEach(e -> judge(key, e, violations)));
    pending.clear();
  }
}
