package io.holdfast.client.internal;

import io.holdfast.client.Ticker;

/**
 * {@link System#nanoTime()}, as one recognisable instance: a client on it reads freshness from a
 * coarse {@link ReadClock}; one on an injected ticker, which tests drive by hand, reads it exactly.
 */
public enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
