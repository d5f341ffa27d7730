package io.holdfast.client.internal;

import io.holdfast.client.ChangeListener;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.FetchEvent;
import io.holdfast.client.FetchListener;
import io.holdfast.client.StatusListener;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers transitions to application listeners on one dedicated daemon thread (or, if the
 * application passed one, on its executor, one at a time), in order, each call fenced: a listener
 * that throws is logged and the others still run; a listener that blocks delays only later
 * notifications, never the sync loop or reads (FAULTS B12). Thread-safe.
 *
 * <p>Fetch events share the thread rather than being called on the sync loop: a metrics listener is
 * usually fast, but one that logs to a slow appender must not make the client stale, and on one
 * thread a status change is delivered after the failed fetches that caused it. They come after
 * every request, though, so unlike the rare transitions they are bounded: beyond {@link
 * #MAX_QUEUED_FETCH_EVENTS} waiting, new ones are dropped and counted, with one warning per streak.
 */
final class Listeners implements AutoCloseable {

  static final int MAX_QUEUED_FETCH_EVENTS = 1000;

  private final List<ChangeListener> changes = new CopyOnWriteArrayList<>();
  private final List<StatusListener> statuses = new CopyOnWriteArrayList<>();
  private final List<FetchListener> fetches = new CopyOnWriteArrayList<>();
  private final AtomicInteger queuedFetchEvents = new AtomicInteger();
  private final AtomicLong droppedFetchEvents = new AtomicLong();

  /** Dropping since the queue was last empty: one warning per streak, not one per event. */
  private final AtomicBoolean dropping = new AtomicBoolean();

  private final System.Logger log;

  /** The client's own thread, or {@code null} when the application's executor is used. */
  private final ExecutorService ownThread;

  private final SerialExecutor applicationExecutor;
  private final Executor executor;

  Listeners(System.Logger log) {
    this(log, null);
  }

  /**
   * @param applicationExecutor where to call listeners, or {@code null} for a thread of its own
   */
  Listeners(System.Logger log, Executor applicationExecutor) {
    this.log = log;
    if (applicationExecutor == null) {
      this.ownThread =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "holdfast-client-listeners");
                t.setDaemon(true);
                return t;
              });
      this.applicationExecutor = null;
      this.executor = ownThread;
    } else {
      this.ownThread = null;
      this.applicationExecutor = new SerialExecutor(applicationExecutor);
      this.executor = this.applicationExecutor;
    }
  }

  public void add(ChangeListener listener) {
    changes.add(listener);
  }

  public void add(StatusListener listener) {
    statuses.add(listener);
  }

  public void add(FetchListener listener) {
    fetches.add(listener);
  }

  /** Whether any fetch listener is registered: without one, no event is even built. */
  public boolean hasFetchListeners() {
    return !fetches.isEmpty();
  }

  /** Queues a fetch event for the fetch listeners; returns at once. */
  public void dispatch(FetchEvent event) {
    if (queuedFetchEvents.incrementAndGet() > MAX_QUEUED_FETCH_EVENTS) {
      queuedFetchEvents.decrementAndGet();
      droppedFetchEvents.incrementAndGet();
      if (dropping.compareAndSet(false, true)) {
        log.log(
            Level.WARNING,
            "fetch listeners are not keeping up; dropping fetch events until they do");
      }
      return;
    }
    try {
      executor.execute(() -> deliver(event));
    } catch (RejectedExecutionException e) {
      // Closed: nobody is listening any more.
      queuedFetchEvents.decrementAndGet();
    }
  }

  /** Fetch events dropped because listeners were not keeping up. */
  long droppedFetchEvents() {
    return droppedFetchEvents.get();
  }

  private void deliver(FetchEvent event) {
    if (queuedFetchEvents.decrementAndGet() == 0 && dropping.compareAndSet(true, false)) {
      log.log(
          Level.INFO,
          "fetch listeners caught up; {0} fetch events dropped so far",
          droppedFetchEvents.get());
    }
    for (FetchListener listener : fetches) {
      try {
        listener.onFetch(event);
      } catch (RuntimeException e) {
        log.log(
            Level.WARNING,
            "a fetch listener failed on " + event.kind() + " from " + event.replica(),
            e);
      }
    }
  }

  /** Queues the notifications a transition calls for; returns at once. */
  public void dispatch(NamespaceTracker.Transition transition) {
    if (!transition.contentChanged()
        && !transition.statusChanged()
        && transition.passedThrough() == null) {
      return;
    }
    // The listeners registered now, not at delivery: one added after a transition (an OpenFeature
    // provider set once the client is FRESH) must not be told of it later, out of turn.
    List<ChangeListener> changeTargets = List.copyOf(changes);
    List<StatusListener> statusTargets = List.copyOf(statuses);
    try {
      executor.execute(() -> deliver(transition, changeTargets, statusTargets));
    } catch (RejectedExecutionException e) {
      // Closed: nobody is listening any more.
    }
  }

  private void deliver(
      NamespaceTracker.Transition t,
      List<ChangeListener> changeTargets,
      List<StatusListener> statusTargets) {
    if (t.contentChanged()) {
      for (ChangeListener listener : changeTargets) {
        try {
          listener.onChange(t.previous().revision() == 0 ? null : t.previous(), t.current());
        } catch (RuntimeException e) {
          log.log(
              Level.WARNING, "a change listener failed on namespace " + t.current().namespace(), e);
        }
      }
    }
    if (t.passedThrough() != null) {
      deliverStatus(statusTargets, t.previous(), t.passedThrough());
      deliverStatus(statusTargets, t.passedThrough(), t.current());
    } else if (t.statusChanged()) {
      deliverStatus(statusTargets, t.previous(), t.current());
    }
  }

  private void deliverStatus(
      List<StatusListener> targets, ConfigSnapshot previous, ConfigSnapshot current) {
    for (StatusListener listener : targets) {
      try {
        listener.onStatus(current.namespace(), previous.freshness(), current.freshness());
      } catch (RuntimeException e) {
        log.log(Level.WARNING, "a status listener failed on namespace " + current.namespace(), e);
      }
    }
  }

  @Override
  public void close() {
    if (applicationExecutor != null) {
      // The application's executor is the application's to shut down.
      applicationExecutor.close();
      return;
    }
    ownThread.shutdown();
    try {
      if (!ownThread.awaitTermination(2, TimeUnit.SECONDS)) {
        ownThread.shutdownNow();
      }
    } catch (InterruptedException e) {
      ownThread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
