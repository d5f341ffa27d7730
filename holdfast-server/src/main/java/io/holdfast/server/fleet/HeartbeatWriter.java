package io.holdfast.server.fleet;

import io.holdfast.server.instance.Heartbeat;
import io.holdfast.server.store.ConfigStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes heartbeats to the store in batches, and keeps them in bounded memory while the store is
 * down.
 *
 * <p>Design memo. A fleet of thousands reporting every minute must not cost one transaction (one
 * fsync) per report, so reports wait in a map keyed by instance and one writer thread stores
 * whatever is waiting in one transaction: under load many reports share a commit (group commit), at
 * rest a report is written at once. A request waits for the commit of its batch, so what it
 * reported is readable when it is answered. Only an instance's latest report matters, so a newer
 * one replaces a waiting older one: memory is bounded by the number of instances, capped at {@code
 * maxPending}; a report from a new instance beyond the cap is dropped and counted. When the store
 * fails, the batch goes back to waiting (unless a newer report came meanwhile), the requests are
 * told it is buffered, and the writer retries every {@code retryInterval} until the store answers:
 * no report that was accepted is lost while the replica runs. Thread-safe.
 */
public final class HeartbeatWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatWriter.class);

  /** What became of a report. */
  public enum Outcome {
    /** Committed to the store. */
    STORED,
    /** Kept in memory; the store is failing and will be written when it answers. */
    BUFFERED,
    /** Refused: too many instances are waiting already. */
    DROPPED
  }

  private record Waiting(Heartbeat heartbeat, List<CompletableFuture<Outcome>> waiters) {}

  private final ConfigStore store;
  private final int maxPending;
  private final int maxBatch;
  private final Duration retryInterval;
  private final Map<String, Waiting> pending = new LinkedHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final Thread writer;
  private boolean closed;
  private boolean failing;

  public HeartbeatWriter(ConfigStore store, int maxPending, int maxBatch, Duration retryInterval) {
    if (maxPending < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("maxPending and maxBatch must be positive");
    }
    this.store = store;
    this.maxPending = maxPending;
    this.maxBatch = maxBatch;
    this.retryInterval = retryInterval;
    this.writer = Thread.ofPlatform().daemon().name("holdfast-heartbeat-writer").start(this::run);
  }

  /** Queues a report; the future says whether it was stored, buffered or dropped. */
  public CompletableFuture<Outcome> submit(Heartbeat heartbeat) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    synchronized (pending) {
      if (closed) {
        outcome.complete(Outcome.DROPPED);
        return outcome;
      }
      received.incrementAndGet();
      Waiting earlier = pending.get(heartbeat.instance());
      if (earlier == null && pending.size() >= maxPending) {
        dropped.incrementAndGet();
        outcome.complete(Outcome.DROPPED);
        return outcome;
      }
      List<CompletableFuture<Outcome>> waiters = new ArrayList<>(2);
      if (earlier != null) {
        // The older report will never be written; its sender learns the fate of this one.
        earlier.waiters().stream().filter(f -> !f.isDone()).forEach(waiters::add);
      }
      waiters.add(outcome);
      pending.put(heartbeat.instance(), new Waiting(heartbeat, waiters));
      if (failing) {
        // The writer is waiting out its retry interval: waking it would retry at every report.
        outcome.complete(Outcome.BUFFERED);
      } else {
        pending.notifyAll();
      }
    }
    return outcome;
  }

  /** Reports received since start. */
  public long received() {
    return received.get();
  }

  /** Reports dropped because too many instances were waiting. */
  public long dropped() {
    return dropped.get();
  }

  /** Transactions written. */
  public long batches() {
    return batches.get();
  }

  /** Reports waiting now. */
  public int pending() {
    synchronized (pending) {
      return pending.size();
    }
  }

  private void run() {
    while (true) {
      List<Waiting> batch = new ArrayList<>();
      synchronized (pending) {
        while (pending.isEmpty() && !closed) {
          waitQuietly(0);
        }
        if (closed && pending.isEmpty()) {
          return;
        }
        Iterator<Waiting> waiting = pending.values().iterator();
        while (waiting.hasNext() && batch.size() < maxBatch) {
          batch.add(waiting.next());
          waiting.remove();
        }
      }
      try {
        store.recordHeartbeats(batch.stream().map(Waiting::heartbeat).toList());
        batches.incrementAndGet();
        if (failing) {
          LOG.info("heartbeats are written to the store again");
        }
        synchronized (pending) {
          failing = false;
        }
        batch.forEach(w -> w.waiters().forEach(f -> f.complete(Outcome.STORED)));
      } catch (RuntimeException | Error e) {
        // Even an Error: a writer thread that died would leave every later report unwritten.
        if (!requeue(batch, e)) {
          return;
        }
      }
    }
  }

  /** Puts a failed batch back; false if the writer is closing and should give up. */
  private boolean requeue(List<Waiting> batch, Throwable cause) {
    synchronized (pending) {
      if (!failing) {
        LOG.warn(
            "cannot write heartbeats ({}); keeping up to {} instances' latest reports in memory",
            cause.getMessage(),
            maxPending);
      }
      failing = true;
      for (Waiting waiting : batch) {
        waiting.waiters().forEach(f -> f.complete(Outcome.BUFFERED));
        // A newer report that arrived meanwhile wins; the failed one is not needed.
        pending.putIfAbsent(
            waiting.heartbeat().instance(), new Waiting(waiting.heartbeat(), new ArrayList<>()));
      }
      if (closed) {
        LOG.warn(
            "stopping with {} instances' heartbeats unwritten: the store is failing",
            pending.size());
        return false;
      }
      long deadline = System.nanoTime() + retryInterval.toNanos();
      for (long left = retryInterval.toMillis();
          left > 0 && !closed;
          left = (deadline - System.nanoTime()) / 1_000_000) {
        waitQuietly(left);
      }
      return !closed;
    }
  }

  private void waitQuietly(long millis) {
    try {
      pending.wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /**
   * Writes what is waiting (one last attempt) and stops. Reports still waiting after a failed last
   * attempt are lost with the process; their senders report again within a minute.
   */
  @Override
  public void close() {
    synchronized (pending) {
      closed = true;
      pending.notifyAll();
    }
    try {
      writer.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
