package io.holdfast.client.internal;

import java.time.Duration;

/** A replica failed as a whole for this cycle: unreachable, overloaded, or erroring. */
final class ReplicaFailure extends Exception {

  /** What the replica asked for with {@code Retry-After}, or {@code null}. */
  final Duration retryAfter;

  /**
   * Nothing listened at the replica's address (see {@link Transport.TransportException#refused}):
   * the backoff may stay short, since asking a replica that is down costs it nothing.
   */
  final boolean refused;

  ReplicaFailure(String reason, Duration retryAfter) {
    this(reason, retryAfter, false);
  }

  private ReplicaFailure(String reason, Duration retryAfter, boolean refused) {
    super(reason);
    this.retryAfter = retryAfter;
    this.refused = refused;
  }

  /** The replica could not be reached: no connection, a timeout, a reset. */
  static ReplicaFailure unreachable(Transport.TransportException e) {
    return new ReplicaFailure("unreachable: " + e.getMessage(), null, e.refused());
  }
}
