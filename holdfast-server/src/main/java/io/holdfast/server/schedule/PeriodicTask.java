package io.holdfast.server.schedule;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run every {@code interval} (after the first interval, with a fixed delay between runs) on
 * a daemon thread of its own, until closed. Closing interrupts a run in progress and waits up to
 * five seconds for it to end: a run may be reading the store, and its caller is about to close it.
 */
public final class PeriodicTask implements AutoCloseable {

  private final ScheduledExecutorService executor;

  private PeriodicTask(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Starts running {@code task} on a thread named {@code threadName}. */
  public static PeriodicTask start(String threadName, Duration interval, Runnable task) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    long every = interval.toMillis();
    executor.scheduleWithFixedDelay(task, every, every, TimeUnit.MILLISECONDS);
    return new PeriodicTask(executor);
  }

  /** Stops the runs; idempotent. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
