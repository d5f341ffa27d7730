package io.holdfast.client.internal;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link System.Logger} that keeps what is logged, so tests can count log lines (FAULTS I5). */
public final class RecordingLogger implements System.Logger {

  /** One logged line. */
  public record Line(Level level, String message, Throwable thrown) {}

  private final List<Line> lines = new CopyOnWriteArrayList<>();

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  public long count(Level level, String fragment) {
    return lines.stream().filter(l -> l.level() == level && l.message().contains(fragment)).count();
  }

  @Override
  public String getName() {
    return "test";
  }

  @Override
  public boolean isLoggable(Level level) {
    return true;
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    lines.add(new Line(level, msg, thrown));
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    lines.add(
        new Line(
            level,
            params == null || params.length == 0 ? format : MessageFormat.format(format, params),
            null));
  }
}
