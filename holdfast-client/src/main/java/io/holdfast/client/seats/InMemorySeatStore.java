package io.holdfast.client.seats;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seats held in memory: for tests, demos and single-process applications that persist nothing.
 *
 * <p>Thread-safe. {@link #holds} takes no lock (a concurrent set lookup), so admitting someone who
 * holds a seat is cheap; assignment and release lock only their own application's set, which makes
 * the count-then-add of {@link #tryAssign} atomic.
 */
public final class InMemorySeatStore implements SeatStore {

  private final ConcurrentHashMap<String, Set<String>> holders = new ConcurrentHashMap<>();

  /** An empty store. */
  public InMemorySeatStore() {}

  @Override
  public boolean holds(String application, String user) {
    Objects.requireNonNull(user, "user");
    Set<String> users = holders.get(Objects.requireNonNull(application, "application"));
    return users != null && users.contains(user);
  }

  @Override
  public Assignment tryAssign(String application, String user, long limit) {
    Objects.requireNonNull(user, "user");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    Set<String> users =
        holders.computeIfAbsent(
            Objects.requireNonNull(application, "application"),
            key -> ConcurrentHashMap.newKeySet());
    synchronized (users) {
      if (users.contains(user)) {
        return Assignment.ALREADY_HELD;
      }
      if (users.size() >= limit) {
        return Assignment.LIMIT_REACHED;
      }
      users.add(user);
      return Assignment.ASSIGNED;
    }
  }

  @Override
  public boolean release(String application, String user) {
    Objects.requireNonNull(user, "user");
    Set<String> users = holders.get(Objects.requireNonNull(application, "application"));
    if (users == null) {
      return false;
    }
    synchronized (users) {
      return users.remove(user);
    }
  }

  @Override
  public long count(String application) {
    Set<String> users = holders.get(Objects.requireNonNull(application, "application"));
    return users == null ? 0 : users.size();
  }

  @Override
  public Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    holders.forEach(
        (application, users) -> {
          int size = users.size();
          if (size > 0) {
            counts.put(application, (long) size);
          }
        });
    return counts;
  }
}
