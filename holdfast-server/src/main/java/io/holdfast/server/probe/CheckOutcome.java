package io.holdfast.server.probe;

import java.util.Locale;

/** How one {@link ProbeCheck} went against one replica. */
public enum CheckOutcome {
  PASSED,
  FAILED,
  /**
   * Could not be made because what it needs failed first (no ETag to send in a conditional GET,
   * say).
   */
  NOT_RUN;

  /** The lower-case name used in JSON. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
