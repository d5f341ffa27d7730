package io.holdfast.server.subscription;

import java.util.Locale;

/**
 * How seats of a subscription are counted. Only named seats exist today: a seat is held by one user
 * from their first login until it is released. Concurrent seats come later.
 */
public enum SeatModel {
  NAMED;

  /** The name on the wire and in the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the seat models there are
   */
  public static SeatModel fromWire(String value) {
    for (SeatModel model : values()) {
      if (model.wireName().equals(value)) {
        return model;
      }
    }
    throw new IllegalArgumentException(
        "seat model '" + value + "' is not supported; supported: named");
  }
}
