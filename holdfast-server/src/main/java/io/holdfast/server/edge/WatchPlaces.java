package io.holdfast.server.edge;

import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.upgrade.ReplicaDrain;

/**
 * The places that waiting watches and checksums streams hold: one of the replica's ({@link
 * WatchLimit}, {@code max-watchers}) and one of their instance's ({@link KeyedLimit}, {@code
 * max-watches-per-instance}). Long polls and streams share both, since a client holds one or the
 * other. A draining replica gives no places at all: its watches must go to another replica.
 * Thread-safe.
 */
public final class WatchPlaces {

  private final WatchLimit replica;
  private final KeyedLimit perInstance;
  private final ReplicaDrain drain;

  public WatchPlaces(WatchLimit replica, KeyedLimit perInstance, ReplicaDrain drain) {
    this.replica = replica;
    this.perInstance = perInstance;
    this.drain = drain;
  }

  /**
   * Takes a place for a watch or stream of {@code instance}, or refuses: 429 {@code
   * too-many-requests} (after {@link KeyedLimit#delayRefusal()}) when the instance holds its share,
   * 503 {@code too-many-watchers} when the replica is full, 503 {@code draining} (with {@code
   * Holdfast-Draining}) when it is stopping. Every return needs an {@link #exit}.
   */
  public void enter(String instance) {
    if (drain.draining()) {
      throw new ProblemException(
          ProblemType.DRAINING, "this replica is stopping; watch another replica");
    }
    if (!perInstance.tryEnter(instance)) {
      KeyedLimit.delayRefusal();
      throw new ProblemException(
          ProblemType.TOO_MANY_REQUESTS,
          "instance '"
              + instance
              + "' already holds "
              + perInstance.max()
              + " waiting watches and streams on this replica; one per client is enough");
    }
    if (!replica.tryEnter()) {
      perInstance.exit(instance);
      throw new ProblemException(
          ProblemType.TOO_MANY_WATCHERS,
          "this replica has as many watchers as it allows; poll the checksums or watch again later");
    }
  }

  public void exit(String instance) {
    replica.exit();
    perInstance.exit(instance);
  }

  /** Watches and streams waiting on the replica now. */
  public int waiting() {
    return replica.waiting();
  }
}
