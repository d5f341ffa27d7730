package io.holdfast.server.window;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a ring says about when its instances take changes: a window that is the default for all of
 * them, and the ring's blackouts.
 *
 * @param window the ring's window; empty for always open
 */
public record RingTiming(Optional<ChangeWindow> window, List<Blackout> blackouts) {

  /** No window and no blackouts. */
  public static final RingTiming NONE = new RingTiming(Optional.empty(), List.of());

  /**
   * @throws InvalidWindowException for more than {@link Blackout#MAX_PER_LEVEL} blackouts
   */
  public RingTiming {
    Objects.requireNonNull(window, "window");
    blackouts = Blackout.listOf(blackouts);
  }
}
