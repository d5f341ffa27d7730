package io.holdfast.cli.soak.history;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The first event of every history: what is needed to reproduce the soak and to read the rest.
 *
 * @param nanos always 0: the soak's time origin
 * @param format the history format, {@link #FORMAT}
 * @param seed the seed of the nemesis schedule and of every random choice of the runner
 * @param startedAtEpochMillis the wall clock at time 0; an event's wall time is this plus its nanos
 * @param settings the runner's parameters in words (replicas, clients, duration, store ...), for
 *     the report and for rerunning
 */
public record SoakHeader(
    long nanos, String format, long seed, long startedAtEpochMillis, Map<String, String> settings)
    implements SoakEvent {

  /** The format this package writes and reads. */
  public static final String FORMAT = "holdfast-soak-history-1";

  public SoakHeader {
    Objects.requireNonNull(format, "format");
    settings = Map.copyOf(Objects.requireNonNull(settings, "settings"));
  }

  /** A header in the current format. */
  public static SoakHeader of(long seed, Instant startedAt, Map<String, String> settings) {
    return new SoakHeader(0, FORMAT, seed, startedAt.toEpochMilli(), settings);
  }

  /** The wall clock at time 0. */
  public Instant startedAt() {
    return Instant.ofEpochMilli(startedAtEpochMillis);
  }
}
