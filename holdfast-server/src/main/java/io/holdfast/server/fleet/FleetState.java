package io.holdfast.server.fleet;

import java.util.Locale;

/**
 * An instance's state as the fleet view sees it: the worst status among its namespaces in its
 * latest heartbeat, or why there is no such status to go by.
 */
public enum FleetState {
  FRESH,
  STALE,
  EXPIRED,
  INITIALIZING,
  /** It reported before, but not within the silence threshold: down, partitioned, or stuck. */
  SILENT,
  /** It has never sent a heartbeat. */
  UNREPORTED;

  /** The name used in URLs, JSON and metric labels. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@link #label()}; {@code null} if it is none. */
  public static FleetState ofLabel(String label) {
    for (FleetState state : values()) {
      if (state.label().equals(label)) {
        return state;
      }
    }
    return null;
  }
}
