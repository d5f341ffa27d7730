package io.holdfast.server.rollout;

import java.util.Locale;

/** How a ring came to receive a change. */
public enum ReleaseMode {
  /** The engine promoted it after the previous ring's bake and health gate passed. */
  GATE,
  /** An operator promoted it before the bake was over. */
  MANUAL,
  /** A hot-fix released every remaining ring at once. */
  HOTFIX;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ReleaseMode fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
