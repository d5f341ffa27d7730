package io.holdfast.client.internal;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open checksums event stream: receives its bytes on the HTTP client's threads, keeps only the
 * newest {@code checksums} event (a reader that falls behind gets the latest state, as the replica
 * coalesces too), when the last byte arrived (keep-alive loss), and whether the stream ended.
 * Thread-safe: the sync loop's thread waits on it while the HTTP client feeds it.
 */
final class OpenEventStream implements HttpResponse.BodySubscriber<Void> {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final EventStreamParser parser;

  // Guarded by lock.
  private EventStreamParser.Event latest;
  private long lastByteNanos;
  private boolean anyBytes;
  private boolean ended;
  private String endReason;
  private Flow.Subscription subscription;
  private boolean cancelled;

  OpenEventStream(int maxLineBytes) {
    this.parser = new EventStreamParser(maxLineBytes, this::offer);
    this.lastByteNanos = System.nanoTime();
  }

  private void offer(EventStreamParser.Event event) {
    if ("checksums".equals(event.type())) {
      latest = event; // under lock: called from onNext
    }
  }

  @Override
  public CompletionStage<Void> getBody() {
    // Complete at once: the response is handed over with its headers and the body keeps flowing.
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    lock.lock();
    try {
      subscription = s;
      if (cancelled) {
        s.cancel();
        return;
      }
    } finally {
      lock.unlock();
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    lock.lock();
    try {
      lastByteNanos = System.nanoTime();
      for (ByteBuffer item : items) {
        anyBytes |= item.hasRemaining();
        parser.feed(item);
      }
      changed.signalAll();
    } catch (EventStreamParser.OversizedLineException e) {
      end(e.getMessage());
      cancel();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onError(Throwable failure) {
    lock.lock();
    try {
      end(failure.toString());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onComplete() {
    lock.lock();
    try {
      end("the replica ended the stream");
    } finally {
      lock.unlock();
    }
  }

  private void end(String reason) {
    if (!ended) {
      ended = true;
      endReason = reason;
    }
    changed.signalAll();
  }

  /** Stops reading; the connection is abandoned. */
  void cancel() {
    Flow.Subscription s;
    lock.lock();
    try {
      cancelled = true;
      s = subscription;
      end("closed by the client");
    } finally {
      lock.unlock();
    }
    if (s != null) {
      s.cancel();
    }
  }

  /** What {@link #await} saw. */
  enum State {
    /** A checksums event is waiting: take it with {@link #take}. */
    EVENT,
    /** The deadline passed with bytes still arriving. */
    QUIET,
    /** No byte for longer than the silence limit: the stream (or the replica) is dead. */
    SILENT,
    /** The stream ended. */
    ENDED
  }

  /**
   * Waits until an event is waiting, the stream ends or goes silent for {@code silenceNanos}, or
   * {@code deadline} (a {@link System#nanoTime()}) passes.
   */
  State await(long deadline, long silenceNanos) throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (latest != null) {
          return State.EVENT;
        }
        if (ended) {
          return State.ENDED;
        }
        long now = System.nanoTime();
        long silentAt = lastByteNanos + silenceNanos;
        if (now - silentAt >= 0) {
          return State.SILENT;
        }
        if (now - deadline >= 0) {
          return State.QUIET;
        }
        changed.awaitNanos(Math.min(deadline, silentAt) - now);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits up to {@code nanos} for the first byte; returns whether one came. */
  boolean awaitFirstBytes(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    lock.lock();
    try {
      while (!anyBytes && !ended) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.await(left, TimeUnit.NANOSECONDS);
      }
      return anyBytes;
    } finally {
      lock.unlock();
    }
  }

  /** The newest checksums event, removed; {@code null} if none waits. */
  EventStreamParser.Event take() {
    lock.lock();
    try {
      EventStreamParser.Event event = latest;
      latest = null;
      return event;
    } finally {
      lock.unlock();
    }
  }

  /** Whether any byte arrived. */
  boolean receivedAny() {
    lock.lock();
    try {
      return anyBytes;
    } finally {
      lock.unlock();
    }
  }

  String endReason() {
    lock.lock();
    try {
      return endReason;
    } finally {
      lock.unlock();
    }
  }
}
