package io.holdfast.server.auth;

import io.holdfast.server.model.Role;
import java.time.Instant;

/** Who made a request: an instance, or an admin credential with a role. */
public sealed interface Principal permits Principal.InstancePrincipal, Principal.AdminPrincipal {

  /** The name recorded as the actor of writes. */
  String actor();

  /** An instance credential: reads its own instance and nothing else. */
  record InstancePrincipal(String instanceId) implements Principal {
    @Override
    public String actor() {
      return "instance:" + instanceId;
    }
  }

  /**
   * An admin credential.
   *
   * @param expiresAt when the credential stops working, or {@code null} for never; a long wait (a
   *     watch) ends there
   */
  record AdminPrincipal(String name, Role role, Instant expiresAt) implements Principal {

    public AdminPrincipal(String name, Role role) {
      this(name, role, null);
    }

    @Override
    public String actor() {
      return "admin:" + name;
    }
  }
}
