package io.holdfast.client;

/**
 * Told when a namespace's {@link Status} changes. Runs on the client's listener thread, never under
 * a lock; an exception it throws is logged and does not affect the client.
 */
@FunctionalInterface
public interface StatusListener {
  void onStatus(String namespace, Freshness previous, Freshness current);
}
