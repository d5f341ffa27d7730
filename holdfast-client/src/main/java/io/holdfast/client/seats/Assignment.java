package io.holdfast.client.seats;

/** What {@link SeatStore#tryAssign} did. */
public enum Assignment {
  /** A new seat was assigned to the user. */
  ASSIGNED,
  /** The user already held a seat; nothing changed. */
  ALREADY_HELD,
  /** The user holds none and the limit is reached; nothing changed. */
  LIMIT_REACHED
}
