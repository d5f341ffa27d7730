package io.holdfast.server.snapshot;

import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.StoreState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link EffectiveSnapshot} and keeps it in step with the store.
 *
 * <p>Design: a replica learns of writes made through other replicas by polling the store's
 * newest revision (one indexed read) every {@code interval}; only when it moved does it reload
 * the state and rebuild. A write through this replica calls {@link #refresh()} before it answers,
 * so its own writes are visible at once. If the store fails, the last snapshot keeps being
 * served and the failure is recorded for the readiness probe; the next poll retries.
 *
 * <p>Thread-safe. {@link #current()} is a volatile read and never blocks; refreshes are
 * serialised so two callers never build the same snapshot twice.
 */
public final class SnapshotHolder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotHolder.class);

  private final ConfigStore store;
  private final SnapshotBuilder builder;
  private final Clock clock;
  private final AtomicReference<EffectiveSnapshot> current = new AtomicReference<>();
  private final Object refreshLock = new Object();
  private volatile Instant lastStoreSuccess;
  private volatile String lastStoreError;
  private volatile Instant storeFailingSince;
  private ScheduledExecutorService poller;

  public SnapshotHolder(ConfigStore store, SnapshotBuilder builder, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.builder = Objects.requireNonNull(builder, "builder");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The snapshot being served, or {@code null} before the first successful load. */
  public EffectiveSnapshot current() {
    return current.get();
  }

  /**
   * Brings the snapshot up to the store's newest revision.
   *
   * @return the snapshot now being served
   * @throws RuntimeException if the store cannot be read; the previous snapshot stays in place
   */
  public EffectiveSnapshot refresh() {
    synchronized (refreshLock) {
      try {
        EffectiveSnapshot previous = current.get();
        if (previous != null && store.currentRevision() == previous.revision()) {
          markStoreHealthy();
          return previous;
        }
        StoreState state = store.loadState();
        EffectiveSnapshot next = builder.build(state, previous);
        current.set(next);
        markStoreHealthy();
        if (previous == null) {
          LOG.info("first snapshot at revision {} with {} instances", next.revision(), next.instances().size());
        } else {
          LOG.debug("snapshot at revision {} with {} instances", next.revision(), next.instances().size());
        }
        return next;
      } catch (RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        if (!message.equals(lastStoreError)) {
          // Logged once per distinct failure, not once per poll.
          LOG.warn("cannot refresh snapshot from the store; serving revision {}: {}",
              current.get() == null ? "none" : current.get().revision(), message);
        }
        if (storeFailingSince == null) {
          storeFailingSince = clock.instant();
        }
        lastStoreError = message;
        throw e;
      }
    }
  }

  /** Starts polling the store every {@code interval} on a daemon thread. */
  public synchronized void start(Duration interval) {
    if (poller != null) {
      throw new IllegalStateException("already started");
    }
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "holdfast-snapshot-poller");
      t.setDaemon(true);
      return t;
    });
    poller.scheduleWithFixedDelay(this::pollOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pollOnce() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // Already recorded and logged by refresh(); the next poll retries.
    }
  }

  private void markStoreHealthy() {
    if (lastStoreError != null) {
      LOG.info("store reachable again");
    }
    lastStoreError = null;
    storeFailingSince = null;
    lastStoreSuccess = clock.instant();
  }

  /** When the store last answered, or {@code null} if never. */
  public Instant lastStoreSuccess() {
    return lastStoreSuccess;
  }

  /** When the store started failing, or {@code null} while it answers. */
  public Instant storeFailingSince() {
    return storeFailingSince;
  }

  /** The last store failure, or {@code null} if the last attempt succeeded. */
  public String lastStoreError() {
    return lastStoreError;
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      try {
        poller.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      poller = null;
    }
  }
}
