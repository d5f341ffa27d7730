package io.holdfast.server;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a replica's start has started so far, to stop it all if a later step fails: in reverse
 * order, each part stopped even if an earlier one fails to stop (that failure is kept, suppressed,
 * on the start's own). Not thread-safe: one start uses it, on one thread.
 */
final class StartedParts {

  /** One part: something started that must be stopped. */
  @FunctionalInterface
  interface Part {
    void stop();
  }

  private final Deque<Part> parts = new ArrayDeque<>();

  /** Records {@code part} as started. */
  void add(Part part) {
    parts.push(part);
  }

  /**
   * Stops every part, the last started first; failures are added to {@code failure} as suppressed.
   */
  void stopAll(Throwable failure) {
    while (!parts.isEmpty()) {
      try {
        parts.pop().stop();
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }
}
