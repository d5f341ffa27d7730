package io.holdfast.server.edge;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what clients get wrong (bad framing, slow or abandoned requests, caps reached) so that an
 * attacker can neither flood nor forge the log (FAULTS F8): at INFO at most, at most one line per
 * kind of mistake per {@link #INTERVAL}, saying how many were suppressed, with a short excerpt of
 * the client's input stripped of control characters. Stack traces are for server faults and never
 * appear here. Thread-safe.
 */
public final class ClientMistakeLog {

  /** At most one line per kind in this time. */
  public static final Duration INTERVAL = Duration.ofSeconds(10);

  /** Longest excerpt of a client's input that reaches the log. */
  static final int EXCERPT_CHARS = 80;

  private static final Logger LOG = LoggerFactory.getLogger("holdfast.edge");

  private final LongSupplier nanoTime;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public ClientMistakeLog(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * Records one mistake of {@code kind} by {@code client}; logs it unless a line of the same kind
   * was written within {@link #INTERVAL}.
   *
   * @param what a fixed description; any client text in it must go through {@link #excerpt}
   */
  public void mistake(String kind, String client, String what) {
    Window window = windows.computeIfAbsent(kind, k -> new Window());
    long now = nanoTime.getAsLong();
    long last = window.lastLogged.get();
    if (last != Long.MIN_VALUE && now - last < INTERVAL.toNanos()) {
      window.suppressed.incrementAndGet();
      return;
    }
    if (!window.lastLogged.compareAndSet(last, now)) {
      window.suppressed.incrementAndGet();
      return;
    }
    long suppressed = window.suppressed.getAndSet(0);
    if (LOG.isInfoEnabled()) {
      LOG.info(
          "client mistake [{}] from {}: {}{}",
          kind,
          excerpt(client),
          what,
          suppressed == 0
              ? ""
              : " ("
                  + suppressed
                  + " more of this kind in the last "
                  + INTERVAL.toSeconds()
                  + " s)");
    }
  }

  /**
   * A short, printable rendering of client-supplied text: control characters (terminal escapes, CR
   * and LF that could forge a line) become {@code ?}, and only the first {@value #EXCERPT_CHARS}
   * characters are kept.
   */
  public static String excerpt(CharSequence text) {
    return excerpt(text, EXCERPT_CHARS);
  }

  /** As {@link #excerpt(CharSequence)}, keeping at most {@code maxChars}. */
  public static String excerpt(CharSequence text, int maxChars) {
    if (text == null) {
      return "";
    }
    int n = Math.min(text.length(), maxChars);
    StringBuilder out = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c);
    }
    if (text.length() > n) {
      out.append("...");
    }
    return out.toString();
  }

  private static final class Window {
    final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong suppressed = new AtomicLong();
  }
}
