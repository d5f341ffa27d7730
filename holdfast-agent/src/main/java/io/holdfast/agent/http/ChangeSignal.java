package io.holdfast.agent.http;

import io.holdfast.client.HoldfastConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wakes the requests waiting for a change (long polls): each waiter takes the current future before
 * it reads the snapshot, so a change between its read and its wait still completes the future it
 * waits on and no wake-up is lost. Every adopted document and every status change completes it and
 * puts a new one in its place. Thread-safe.
 */
final class ChangeSignal {

  private final AtomicReference<CompletableFuture<Void>> next =
      new AtomicReference<>(new CompletableFuture<>());

  /** Listens to {@code config}'s documents and statuses. */
  static ChangeSignal listeningTo(HoldfastConfig config) {
    ChangeSignal signal = new ChangeSignal();
    config.addChangeListener((previous, current) -> signal.fire());
    config.addStatusListener((namespace, previous, current) -> signal.fire());
    return signal;
  }

  /** Completes when anything changes after this call. */
  CompletableFuture<Void> next() {
    return next.get();
  }

  void fire() {
    next.getAndSet(new CompletableFuture<>()).complete(null);
  }
}
