package io.holdfast.client;

/**
 * Told when a namespace's document changes to a newer verified revision. Runs on the client's
 * listener thread, never under a lock; an exception it throws is logged and does not affect other
 * listeners or the client.
 */
@FunctionalInterface
public interface ChangeListener {
  /**
   * @param previous the snapshot before, or {@code null} if there was none
   * @param current the new snapshot
   */
  void onChange(ConfigSnapshot previous, ConfigSnapshot current);
}
