package io.holdfast.cli.soak;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One lock per user of a tenant, shared by the tenant's application nodes, held around a seat
 * decision and the read of whether the user held a seat just before it. Without it the other node's
 * logout of the same user could fall between the two, and the history would say a holder was denied
 * when the seat had just been given back. Different users still race freely across the nodes, which
 * is what the seat limit must survive. Thread-safe.
 */
final class UserLocks {

  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  Object of(String user) {
    return locks.computeIfAbsent(user, u -> new Object());
  }
}
