package io.holdfast.client.seats;

import java.util.Map;

/**
 * Where a tenant keeps its named seat assignments: in its own database, so that whoever holds a
 * seat keeps it whatever the configuration service is doing.
 *
 * <p>Implementations are thread-safe. {@link #tryAssign} is atomic: two callers racing for the last
 * seat never both get it, and no implementation may check the count and then insert in two
 * unguarded steps. Failures of the underlying storage surface as {@link SeatStoreException}.
 */
public interface SeatStore {

  /** Whether the user holds a seat for the application. */
  boolean holds(String application, String user);

  /**
   * Assigns the user a seat if they hold none and fewer than {@code limit} seats are assigned for
   * the application, as one atomic step.
   *
   * @param limit the most seats the application may have once this one is assigned; not negative
   */
  Assignment tryAssign(String application, String user, long limit);

  /**
   * Gives the user's seat back.
   *
   * @return whether the user held one
   */
  boolean release(String application, String user);

  /** How many seats are assigned for the application. */
  long count(String application);

  /** Seats assigned per application, for every application with at least one. */
  Map<String, Long> counts();
}
