package io.holdfast.server.model;

import java.util.Locale;

/**
 * Admin roles, from least to most privileged. Each role may do everything the roles before it may:
 * a publisher can also edit, an admin can do everything.
 */
public enum Role {
  /** Reads the admin API. */
  VIEWER,
  /** Creates instances and namespaces, edits layer drafts. */
  EDITOR,
  /** Publishes drafts. */
  PUBLISHER,
  /** Manages rings, credentials and instance credentials. */
  ADMIN;

  /** Whether this role includes {@code required}. */
  public boolean includes(Role required) {
    return ordinal() >= required.ordinal();
  }

  /** The lower-case name used on the wire. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the wire name.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Role fromWire(String value) {
    for (Role role : values()) {
      if (role.wireName().equals(value)) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "role must be one of viewer, editor, publisher, admin; was " + value);
  }
}
