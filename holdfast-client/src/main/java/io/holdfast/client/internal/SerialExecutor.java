package io.holdfast.client.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in the order given, on an application's executor, which may run them on
 * any of its threads (or inline): listeners must hear of transitions in order however the
 * application's pool schedules. After {@link #close()} tasks are refused. Thread-safe.
 */
final class SerialExecutor implements Executor {

  private final Executor delegate;
  private final Queue<Runnable> queued = new ArrayDeque<>(); // guarded by this
  private boolean draining; // guarded by this: a drain is queued on, or running in, the delegate
  private boolean closed; // guarded by this

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (closed) {
        throw new RejectedExecutionException("closed");
      }
      queued.add(task);
      if (draining) {
        return; // the running drain takes it, after those before it
      }
      draining = true;
    }
    try {
      delegate.execute(this::drain);
    } catch (RuntimeException e) {
      synchronized (this) {
        draining = false;
        queued.clear();
      }
      throw e;
    }
  }

  private void drain() {
    boolean emptied = false;
    try {
      while (true) {
        Runnable next;
        synchronized (this) {
          next = queued.poll();
          if (next == null) {
            draining = false;
            emptied = true;
            return;
          }
        }
        next.run();
      }
    } finally {
      if (!emptied) {
        // A task threw: the next execute() starts a new drain rather than queueing forever.
        synchronized (this) {
          draining = false;
        }
      }
    }
  }

  /** Refuses further tasks; those queued are dropped. Does not shut the delegate down. */
  synchronized void close() {
    closed = true;
    queued.clear();
  }
}
