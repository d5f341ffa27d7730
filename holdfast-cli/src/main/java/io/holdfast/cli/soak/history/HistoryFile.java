package io.holdfast.cli.soak.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads and writes history files: JSON Lines, one {@link SoakEvent} a line, the {@link SoakHeader}
 * first. Stateless.
 */
public final class HistoryFile {

  private HistoryFile() {}

  /** Writes a whole history, replacing the file. */
  public static void write(Path file, History history) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(HistoryJson.line(history.header()));
      out.write('\n');
      for (SoakEvent event : history.events()) {
        out.write(HistoryJson.line(event));
        out.write('\n');
      }
    }
  }

  /**
   * Reads a whole history into memory.
   *
   * @throws IllegalArgumentException if the file is missing, unreadable or not a history, naming
   *     the file and line
   */
  public static History read(Path file) {
    List<SoakEvent> all = new ArrayList<>();
    forEach(file, all::add);
    return History.of(all);
  }

  /**
   * Hands each event to {@code consumer} in file order without holding the history: the header
   * first, then the rest. Blank lines are skipped.
   *
   * @return the header
   * @throws IllegalArgumentException if the file is missing, unreadable or not a history, naming
   *     the file and line
   */
  public static SoakHeader forEach(Path file, Consumer<? super SoakEvent> consumer) {
    SoakHeader header = null;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        SoakEvent event = parse(file, number, line);
        if (header == null) {
          if (!(event instanceof SoakHeader first)) {
            throw new IllegalArgumentException(
                file + " line " + number + ": a history starts with its header, not " + event);
          }
          requireFormat(file, first);
          header = first;
        } else if (event instanceof SoakHeader) {
          throw new IllegalArgumentException(file + " line " + number + ": a second header");
        }
        consumer.accept(event);
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no history file " + file, e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (header == null) {
      throw new IllegalArgumentException(file + " is empty: a history starts with its header");
    }
    return header;
  }

  private static SoakEvent parse(Path file, int number, String line) {
    try {
      return HistoryJson.event(line);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + " line " + number + " is not a history event: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(file + " line " + number + ": " + e.getMessage(), e);
    }
  }

  private static void requireFormat(Path file, SoakHeader header) {
    if (!SoakHeader.FORMAT.equals(header.format())) {
      throw new IllegalArgumentException(
          file + " is in format " + header.format() + "; this holdfast reads " + SoakHeader.FORMAT);
    }
  }
}
