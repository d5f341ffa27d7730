package io.holdfast.server.auth;

import io.holdfast.server.model.Role;

/**
 * Which role an edit outside change requests needs, by what it changes for instances: declared
 * once, so that every surface (the admin API today, any console form tomorrow) applies the same
 * rule. An edit that changes what an instance is served is a publish in all but name and needs
 * the publisher role; one that changes nothing served is an editor's. Stateless.
 */
public final class ChangeControl {

  private ChangeControl() {}

  /**
   * The role needed to edit an instance now in {@code currentRing}.
   *
   * @param newRing the ring asked for, or {@code null} if the edit leaves it; a move to another
   *     ring changes every document the instance is served, at once
   */
  public static Role toEditInstance(String currentRing, String newRing) {
    return newRing != null && !newRing.equals(currentRing) ? Role.PUBLISHER : Role.EDITOR;
  }
}
