package io.holdfast.server.rollout;

import java.util.Locale;

/**
 * Where a change request is: {@code draft → approved → rolling_out → completed}, or ended early as
 * {@code backed_out} or {@code cancelled}. The last three are final.
 */
public enum ChangeState {
  DRAFT,
  APPROVED,
  ROLLING_OUT,
  COMPLETED,
  BACKED_OUT,
  CANCELLED;

  /** The wire and storage name, lower case with underscores. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for a name that is none of the states
   */
  public static ChangeState fromWire(String name) {
    for (ChangeState state : values()) {
      if (state.wireName().equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException(
        "unknown change state '"
            + name
            + "'; expected draft, approved, rolling_out, completed, backed_out or cancelled");
  }

  public boolean isFinal() {
    return this == COMPLETED || this == BACKED_OUT || this == CANCELLED;
  }

  /** Approved or rolling out: its layers are held, so nothing else may publish them. */
  public boolean holdsLayers() {
    return this == APPROVED || this == ROLLING_OUT;
  }
}
