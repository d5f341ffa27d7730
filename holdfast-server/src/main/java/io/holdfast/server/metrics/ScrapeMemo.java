package io.holdfast.server.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The last rendered scrape, kept for a short while so that however many ask at once, the exposition
 * is rendered at most once per {@link #FRESH_FOR} (FAULTS.md F3).
 *
 * <p>Why: rendering walks every meter and builds about 150 KB of text. Five connections looping on
 * {@code /metrics} used to render it back to back and took the CPU that instance reads needed
 * (their median rose to 744 ms). Prometheus scrapes every few seconds, so a page up to a second old
 * loses nothing. Scrapers that arrive while a render runs wait for that render and share it rather
 * than start their own. The result is kept as bytes, encoded once.
 *
 * <p>Time comes from a monotonic nanosecond source, injected so tests drive it; never the replica's
 * wall clock, which tests freeze and operators' NTP steps move. Thread-safe.
 */
public final class ScrapeMemo {

  /** How long one rendering is served before the next scrape renders again. */
  public static final Duration FRESH_FOR = Duration.ofSeconds(1);

  private final Supplier<byte[]> render;
  private final LongSupplier nanoTime;
  private final ReentrantLock rendering = new ReentrantLock();
  private volatile Rendered last;

  private record Rendered(byte[] bytes, long atNanos) {}

  /**
   * @param render produces the exposition; called at most once per {@link #FRESH_FOR}
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
   */
  public ScrapeMemo(Supplier<byte[]> render, LongSupplier nanoTime) {
    this.render = Objects.requireNonNull(render, "render");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /**
   * The exposition, rendered now or less than {@link #FRESH_FOR} ago; callers must not modify it.
   */
  public byte[] get() {
    Rendered seen = last;
    if (fresh(seen)) {
      return seen.bytes();
    }
    // A ReentrantLock, not synchronized: a virtual thread waiting here must not pin its carrier.
    rendering.lock();
    try {
      seen = last;
      if (fresh(seen)) {
        return seen.bytes(); // rendered by whoever held the lock while this scrape waited
      }
      byte[] bytes = render.get();
      last = new Rendered(bytes, nanoTime.getAsLong());
      return bytes;
    } finally {
      rendering.unlock();
    }
  }

  private boolean fresh(Rendered rendered) {
    return rendered != null && nanoTime.getAsLong() - rendered.atNanos() < FRESH_FOR.toNanos();
  }
}
