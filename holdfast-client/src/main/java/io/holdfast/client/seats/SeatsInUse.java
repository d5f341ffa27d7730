package io.holdfast.client.seats;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Seats in use per application from a {@link SeatStore}, for {@link
 * io.holdfast.client.HoldfastClient.Builder#seatsInUse} so heartbeats report them: {@code
 * .seatsInUse(new SeatsInUse(store))}. It can be made before the client and the checker.
 *
 * <p>Never throws: a store that fails gives no figures at all (an empty map), never zero seats, and
 * the heartbeat still reports everything else. The failure is logged once per outage of the store,
 * not once per heartbeat. Thread-safe.
 */
public final class SeatsInUse implements Supplier<Map<String, Long>> {

  private static final System.Logger LOG = System.getLogger("io.holdfast.client.seats");

  private final SeatStore store;
  private final AtomicBoolean failing = new AtomicBoolean();

  public SeatsInUse(SeatStore store) {
    this.store = Objects.requireNonNull(store, "seat store");
  }

  @Override
  public Map<String, Long> get() {
    try {
      Map<String, Long> counts = store.counts();
      if (failing.compareAndSet(true, false)) {
        LOG.log(System.Logger.Level.INFO, "seats in use are reported again");
      }
      return counts;
    } catch (SeatStoreException e) {
      if (failing.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, "seats in use are not reported: " + e.getMessage(), e);
      }
      return Map.of();
    }
  }
}
