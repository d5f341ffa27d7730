package io.holdfast.cli.soak.history;

import io.holdfast.client.Status;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A small soak that keeps every property, with places to plant a violation: two instances (acme,
 * globex), one client each (c01, c02), two replicas, two faults and the final heal. Times are in
 * seconds.
 *
 * <ul>
 *   <li>acme/core: revision 1 (h1, seq 1), then revision 4 (h4, seq 2) during the first fault;
 *   <li>globex/core: revision 2 (g2, seq 1);
 *   <li>acme/subscriptions: revision 3, crm with quantity 2 and overage 1 (limit 3);
 *   <li>heals at 4 (c01 FRESH again at 4.5) and the final heal at 7 (c02 FRESH at 7.8).
 * </ul>
 */
final class Soaks {

  static final long SEED = 20_2026L;
  static final Duration FRESH_BOUND = Duration.ofSeconds(2);

  private Soaks() {}

  static History clean() {
    return soak(b -> {}, b -> {});
  }

  /**
   * @param duringFaults adds events at 3.5 (the first fault active, acme/core at revision 4)
   * @param afterHeal adds events at 9, after the replicas were read
   */
  static History soak(Consumer<HistoryBuilder> duringFaults, Consumer<HistoryBuilder> afterHeal) {
    HistoryBuilder b = new HistoryBuilder(SEED);
    b.at(0.1).published("acme", "core", 1, "h1", 1).published("globex", "core", 2, "g2", 1);
    b.at(0.2).subscription("acme", "crm", 2, 1, "ACTIVE", 3L);
    b.at(0.3).started("c01", "acme", false).started("c02", "globex", false);
    b.at(0.5).status("c01", "acme", Status.FRESH).status("c02", "globex", Status.FRESH);
    b.at(1.0)
        .observed("c01", "acme", "core", 1, "h1", 1)
        .observed("c02", "globex", "core", 2, "g2", 1);
    b.at(1.1).admit("c01", "acme", "u1", false, DecisionOutcome.ADMITTED, 1).seatCount("acme", 1);
    b.at(1.2).admit("c01", "acme", "u2", false, DecisionOutcome.ADMITTED, 2);
    b.at(1.3).admit("c01", "acme", "u3", false, DecisionOutcome.ADMITTED, 3).seatCount("acme", 3);
    b.at(1.4).admit("c01", "acme", "u4", false, DecisionOutcome.DENIED_LIMIT_REACHED, 3);
    b.at(2.0).faultStart("f1", "blackhole", "replica-1");
    b.at(2.5).published("acme", "core", 4, "h4", 2);
    b.at(3.0).status("c01", "acme", Status.STALE);
    b.at(3.5);
    duringFaults.accept(b);
    b.at(4.0).faultEnd("f1", "blackhole", "replica-1");
    b.at(4.5).status("c01", "acme", Status.FRESH).observed("c01", "acme", "core", 4, "h4", 2);
    b.at(5.0).admit("c01", "acme", "u1", true, DecisionOutcome.ADMITTED, 3);
    b.at(5.1).release("c01", "acme", "u3", 2).seatCount("acme", 2);
    b.at(5.5).faultStart("f2", "kill", "replica-2");
    b.at(6.0).status("c02", "globex", Status.STALE);
    b.at(7.0).heal();
    b.at(7.8).status("c02", "globex", Status.FRESH);
    b.at(8.0);
    for (String replica : new String[] {"replica-1", "replica-2"}) {
      b.served(replica, "acme", "core", 4, "h4", 2).served(replica, "globex", "core", 2, "g2", 1);
      b.event(new Served(b.now(), replica, "acme", "subscriptions", 3, "s3", null, null));
    }
    b.at(9.0);
    afterHeal.accept(b);
    return b.build();
  }

  static SoakSummary check(History history) {
    return HistoryChecker.check(history, FRESH_BOUND);
  }
}
