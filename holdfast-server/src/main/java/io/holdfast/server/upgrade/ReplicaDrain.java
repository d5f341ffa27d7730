package io.holdfast.server.upgrade;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica is draining: it is stopping, reports not-ready so that load balancers take
 * it out of rotation, and sends the watches it holds elsewhere, while it still answers every read
 * (issue 23, rolling restarts that instances do not notice).
 *
 * <p>Watches are told at once: a held long poll answers with what it would answer at its timeout,
 * marked {@code Holdfast-Draining}, and a held event stream ends; a new watch or stream is refused
 * with {@code 503 draining}. The SDK takes either as this replica's failure for the cycle and asks
 * the next replica in the same cycle, so its namespaces stay FRESH. Thread-safe.
 */
public final class ReplicaDrain {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaDrain.class);

  private final Duration delay;
  private volatile boolean draining;

  /**
   * @param delay how long {@link #holdForBalancers()} keeps the replica serving while not-ready
   */
  public ReplicaDrain(Duration delay) {
    this.delay = delay;
  }

  /**
   * Starts draining; idempotent. The caller then releases the watchers the snapshot holds, which
   * find this set when they answer.
   */
  public void begin() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /**
   * Waits the drain delay, while the replica still serves: load balancers' health checks see it
   * not-ready and take it out of rotation before it stops taking connections.
   */
  public void holdForBalancers() {
    if (delay.isZero()) {
      return;
    }
    LOG.info("draining: not ready, still serving for {} ms", delay.toMillis());
    try {
      Thread.sleep(delay); // real time on purpose: the balancers' checks run in it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // whoever interrupted the stop wants it over now
    }
  }
}
