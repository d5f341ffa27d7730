package io.holdfast.server.auth;

import io.holdfast.server.store.ConfigStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each admin credential was last used, remembered in memory and written to the store in one
 * batch per {@link #FLUSH_INTERVAL}: at most one store write a minute per credential and replica,
 * however busy the credential, and none on the request's path. A request is never slowed or failed
 * by this bookkeeping; a failed flush keeps its times for the next one. The store keeps the latest
 * time any replica reported; {@link #pending()} lets a listing show this replica's newer ones
 * before they are written. Thread-safe.
 */
public final class CredentialUse implements AutoCloseable {

  /** How often the times are written. */
  public static final Duration FLUSH_INTERVAL = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(CredentialUse.class);

  private final ConfigStore store;
  private final Map<String, Instant> pending = new ConcurrentHashMap<>();
  private ScheduledExecutorService flusher;

  public CredentialUse(ConfigStore store) {
    this.store = store;
  }

  /** Notes that credential {@code name} authenticated a request at {@code at}. */
  public void used(String name, Instant at) {
    pending.merge(name, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** Use not yet written to the store, by credential name. */
  public Map<String, Instant> pending() {
    return Map.copyOf(pending);
  }

  /**
   * Writes what was used since the last flush, one batch in one transaction.
   *
   * @return how many credentials the batch named
   */
  public int flush() {
    Map<String, Instant> batch = new HashMap<>();
    for (String name : pending.keySet()) {
      Instant at = pending.remove(name);
      if (at != null) {
        batch.put(name, at);
      }
    }
    if (batch.isEmpty()) {
      return 0;
    }
    try {
      store.recordAdminCredentialUse(batch);
      return batch.size();
    } catch (RuntimeException e) {
      batch.forEach(this::used);
      throw e;
    }
  }

  /** Flushes every {@code interval} on a daemon thread. */
  public synchronized void start(Duration interval) {
    if (flusher != null) {
      throw new IllegalStateException("already started");
    }
    flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "holdfast-credential-use");
              t.setDaemon(true);
              return t;
            });
    flusher.scheduleWithFixedDelay(
        this::flushQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot record when admin credentials were last used; retrying in {}: {}",
          FLUSH_INTERVAL,
          e.getMessage());
    }
  }

  /** Stops the timer and writes what is pending, if the store takes it. */
  @Override
  public void close() {
    ScheduledExecutorService stopping;
    synchronized (this) {
      stopping = flusher;
      flusher = null;
    }
    if (stopping != null) {
      stopping.shutdownNow();
    }
    flushQuietly(); // outside the lock: it writes to the store
  }
}
