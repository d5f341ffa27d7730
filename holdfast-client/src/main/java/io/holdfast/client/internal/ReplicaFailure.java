package io.holdfast.client.internal;

import java.time.Duration;

/** A replica failed as a whole for this cycle: unreachable, overloaded, or erroring. */
final class ReplicaFailure extends Exception {

  /** What the replica asked for with {@code Retry-After}, or {@code null}. */
  final Duration retryAfter;

  ReplicaFailure(String reason, Duration retryAfter) {
    super(reason);
    this.retryAfter = retryAfter;
  }
}
