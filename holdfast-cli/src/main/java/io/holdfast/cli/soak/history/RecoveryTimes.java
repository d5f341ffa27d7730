package io.holdfast.cli.soak.history;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Time to FRESH after every heal of a soak: the figure the soak prints as p50 and max.
 *
 * @param heals each heal in time order
 */
public record RecoveryTimes(List<HealRecovery> heals) {

  public RecoveryTimes {
    heals = List.copyOf(heals);
  }

  /** Works the times out from a whole history. */
  public static RecoveryTimes of(History history) {
    RecoveryTracker tracker = new RecoveryTracker();
    history.events().forEach(tracker::accept);
    return tracker.finish();
  }

  /** Every client's time to FRESH after every heal, in nanoseconds, sorted. */
  public List<Long> nanosToFresh() {
    return heals.stream().flatMap(heal -> heal.nanosToFresh().values().stream()).sorted().toList();
  }

  /** The median time to FRESH (nearest rank), if any client had to recover. */
  public Optional<Duration> p50() {
    List<Long> sorted = nanosToFresh();
    if (sorted.isEmpty()) {
      return Optional.empty();
    }
    int rank = (sorted.size() + 1) / 2;
    return Optional.of(Duration.ofNanos(sorted.get(rank - 1)));
  }

  /** The longest time to FRESH, if any client had to recover. */
  public Optional<Duration> max() {
    List<Long> sorted = nanosToFresh();
    return sorted.isEmpty()
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(sorted.get(sorted.size() - 1)));
  }

  /** How many times a client did not become FRESH before the next fault. */
  public int notRecovered() {
    return heals.stream().mapToInt(heal -> heal.notFresh().size()).sum();
  }
}
