package io.holdfast.cli.soak.history;

import java.util.Objects;

/**
 * The nemesis started or ended a fault. Faults overlap; each has an id that its start and end
 * share. An instantaneous fault (a clock step, a {@code kill -9} with restart) is recorded as a
 * start and an end. Every moment an end leaves no fault active is a heal.
 *
 * @param id the fault's id, unique in the soak
 * @param phase whether it started or ended
 * @param kind the fault's kind ("kill", "blackhole", "5xx", "corrupt", "postgres-cut",
 *     "client-restart", "clock-step" ...); summaries count by it
 * @param target what it hit ("replica-2", "c07", "replica-1 /checksums" ...)
 * @param detail anything else, in words
 */
public record Fault(long nanos, String id, Phase phase, String kind, String target, String detail)
    implements SoakEvent {

  /** The two ends of a fault. */
  public enum Phase {
    START,
    END
  }

  public Fault {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(detail, "detail");
  }
}
