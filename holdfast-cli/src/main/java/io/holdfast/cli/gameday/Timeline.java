package io.holdfast.cli.gameday;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The drill's live timeline: every event and status line, printed as it happens with the time since
 * the drill started, and kept for the report. Real (monotonic) time: a game day is a process-level
 * drill against running replicas.
 *
 * <p>Thread-safe: the probe's thread and the drill's thread both write to it.
 */
final class Timeline {

  /** One printed line. */
  record Entry(Duration at, String text) {
    String render() {
      return String.format(Locale.ROOT, "+%6.1fs  %s", at.toMillis() / 1000.0, text);
    }
  }

  private final PrintWriter out;
  private final long startNanos = System.nanoTime();
  private final List<Entry> entries = new ArrayList<>(); // guarded by this

  Timeline(PrintWriter out) {
    this.out = out;
  }

  /** Time since the drill started. */
  Duration now() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Prints and keeps a line; returns when it happened. */
  synchronized Duration print(String text) {
    Entry entry = new Entry(now(), text);
    entries.add(entry);
    out.println(entry.render());
    out.flush();
    return entry.at();
  }

  synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }
}
