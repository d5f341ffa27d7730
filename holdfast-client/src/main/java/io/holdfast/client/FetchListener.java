package io.holdfast.client;

/**
 * Told of every request the client made to a replica and what came of it: for metrics, dashboards
 * and logs of fetch outcomes. Status changes go to {@link StatusListener} instead.
 *
 * <p>Runs on the client's listener thread, after the request, never under a lock and never on the
 * sync loop, so a slow listener delays only later notifications, not the configuration. An
 * exception it throws is logged and does not affect the client or the other listeners. Keep it fast
 * all the same (counting is ideal): events that pile up behind a listener that blocks are dropped
 * beyond a bound, with a warning, rather than held without limit.
 */
@FunctionalInterface
public interface FetchListener {
  void onFetch(FetchEvent event);
}
