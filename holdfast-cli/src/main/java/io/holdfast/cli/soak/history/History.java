package io.holdfast.cli.soak.history;

import java.util.List;
import java.util.Objects;

/**
 * A whole soak history in memory: its header and the events after it, in recorded order. For a
 * history too large to hold, read it event by event with {@link HistoryFile#forEach}.
 *
 * @param header the soak's header
 * @param events every event after the header, in the order recorded (which is nanos order)
 */
public record History(SoakHeader header, List<SoakEvent> events) {

  public History {
    Objects.requireNonNull(header, "header");
    events = List.copyOf(events);
    for (SoakEvent event : events) {
      if (event instanceof SoakHeader) {
        throw new IllegalArgumentException("a history has one header, first");
      }
    }
  }

  /** A history from all its events, the header first. */
  public static History of(List<SoakEvent> all) {
    if (all.isEmpty() || !(all.get(0) instanceof SoakHeader header)) {
      throw new IllegalArgumentException("a history starts with its header");
    }
    return new History(header, all.subList(1, all.size()));
  }
}
