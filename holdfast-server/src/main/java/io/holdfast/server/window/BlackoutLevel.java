package io.holdfast.server.window;

/** Where a blackout was set. Every level's blackouts apply; none overrides another. */
public enum BlackoutLevel {
  GLOBAL,
  RING,
  INSTANCE
}
