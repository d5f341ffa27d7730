package io.holdfast.client.internal;

import io.holdfast.client.ChangeListener;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.StatusListener;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Delivers transitions to application listeners on one dedicated daemon thread, in order, each
 * call fenced: a listener that throws is logged and the others still run; a listener that blocks
 * delays only later notifications, never the sync loop or reads (FAULTS B12). Thread-safe.
 */
public final class Listeners implements AutoCloseable {

  private final List<ChangeListener> changes = new CopyOnWriteArrayList<>();
  private final List<StatusListener> statuses = new CopyOnWriteArrayList<>();
  private final System.Logger log;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "holdfast-client-listeners");
    t.setDaemon(true);
    return t;
  });

  public Listeners(System.Logger log) {
    this.log = log;
  }

  public void add(ChangeListener listener) {
    changes.add(listener);
  }

  public void add(StatusListener listener) {
    statuses.add(listener);
  }

  /** Queues the notifications a transition calls for; returns at once. */
  public void dispatch(NamespaceTracker.Transition transition) {
    if (!transition.contentChanged() && !transition.statusChanged() && transition.passedThrough() == null) {
      return;
    }
    try {
      executor.execute(() -> deliver(transition));
    } catch (RejectedExecutionException e) {
      // Closed: nobody is listening any more.
    }
  }

  private void deliver(NamespaceTracker.Transition t) {
    if (t.contentChanged()) {
      for (ChangeListener listener : changes) {
        try {
          listener.onChange(t.previous().revision() == 0 ? null : t.previous(), t.current());
        } catch (RuntimeException e) {
          log.log(Level.WARNING, "a change listener failed on namespace " + t.current().namespace(), e);
        }
      }
    }
    if (t.passedThrough() != null) {
      deliverStatus(t.previous(), t.passedThrough());
      deliverStatus(t.passedThrough(), t.current());
    } else if (t.statusChanged()) {
      deliverStatus(t.previous(), t.current());
    }
  }

  private void deliverStatus(ConfigSnapshot previous, ConfigSnapshot current) {
    for (StatusListener listener : statuses) {
      try {
        listener.onStatus(current.namespace(), previous.freshness(), current.freshness());
      } catch (RuntimeException e) {
        log.log(Level.WARNING, "a status listener failed on namespace " + current.namespace(), e);
      }
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
