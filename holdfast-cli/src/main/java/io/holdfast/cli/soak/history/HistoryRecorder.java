package io.holdfast.cli.soak.history;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Records a soak's history as it happens, from any number of threads, straight to a history file:
 * nothing is held in memory. Each event may also go to listeners (a checker that runs alongside).
 *
 * <p>The recorder stamps each event's time and appends it under one lock, so the file is in time
 * order and a check may rely on it: an event built by {@code record(t -> new Observed(t, ...))}
 * gets the time at which it is written. Listeners run under that lock, in order; they must be quick
 * and must not record.
 */
public final class HistoryRecorder implements Closeable {

  private final Writer out;
  private final LongSupplier nanoTime;
  private final long origin;
  private final List<Consumer<? super SoakEvent>> listeners;
  private final SoakHeader header;

  // Guarded by "this".
  private boolean closed;

  private HistoryRecorder(
      Writer out,
      LongSupplier nanoTime,
      SoakHeader header,
      List<Consumer<? super SoakEvent>> listeners) {
    this.out = out;
    this.nanoTime = nanoTime;
    this.origin = nanoTime.getAsLong();
    this.header = header;
    this.listeners = List.copyOf(listeners);
  }

  /** Creates (or replaces) the history file and writes the header: the soak's time 0 is now. */
  public static HistoryRecorder open(Path file, SoakHeader header) throws IOException {
    return open(file, header, List.of());
  }

  /**
   * As {@link #open(Path, SoakHeader)}, also handing every event to listeners.
   *
   * @param listeners also receive every event, the header first
   */
  public static HistoryRecorder open(
      Path file, SoakHeader header, List<Consumer<? super SoakEvent>> listeners)
      throws IOException {
    return open(file, header, System::nanoTime, listeners);
  }

  /** As {@link #open(Path, SoakHeader, List)}, on a given monotonic clock (for tests). */
  public static HistoryRecorder open(
      Path file,
      SoakHeader header,
      LongSupplier nanoTime,
      List<Consumer<? super SoakEvent>> listeners)
      throws IOException {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(nanoTime, "nanoTime");
    Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    HistoryRecorder recorder = new HistoryRecorder(out, nanoTime, header, listeners);
    recorder.append(header);
    return recorder;
  }

  public SoakHeader header() {
    return header;
  }

  /** Nanoseconds since the soak started, on the recorder's clock. */
  public long nanos() {
    return nanoTime.getAsLong() - origin;
  }

  /**
   * Stamps the event with the current soak time and appends it.
   *
   * @param event builds the event from its time
   * @return the event recorded
   * @throws IllegalStateException if the recorder is closed
   * @throws UncheckedIOException if the file cannot be written
   */
  public synchronized <E extends SoakEvent> E record(LongFunction<E> event) {
    E recorded = event.apply(nanos());
    append(recorded);
    return recorded;
  }

  private synchronized void append(SoakEvent event) {
    if (closed) {
      throw new IllegalStateException("the history is closed; not recorded: " + event);
    }
    try {
      out.write(HistoryJson.line(event));
      out.write('\n');
      // Flushed each time: a runner that dies still leaves the history up to its last event.
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the soak history", e);
    }
    for (Consumer<? super SoakEvent> listener : listeners) {
      listener.accept(event);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
