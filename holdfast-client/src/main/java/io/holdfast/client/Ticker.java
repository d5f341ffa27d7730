package io.holdfast.client;

/**
 * A monotonic time source in nanoseconds, like {@link System#nanoTime()}: only differences between
 * readings mean anything. The grace period is measured on it, so wall-clock jumps can neither
 * shorten nor extend it. Tests inject a manual one and drive time explicitly.
 */
@FunctionalInterface
public interface Ticker {

  /** The current reading, in nanoseconds. */
  long read();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return io.holdfast.client.internal.SystemTicker.INSTANCE;
  }
}
