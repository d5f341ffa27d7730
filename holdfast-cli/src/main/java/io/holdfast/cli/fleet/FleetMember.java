package io.holdfast.cli.fleet;

import java.util.Objects;

/**
 * One simulated instance: its id, the credential it reads its documents with, and the ring it was
 * created in (kept for reports; the server, not the client, decides what a ring is served).
 *
 * @param instance the instance id
 * @param credential the instance's bearer credential
 * @param ring the instance's rollout ring
 */
public record FleetMember(String instance, String credential, String ring) {

  public FleetMember {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(ring, "ring");
  }
}
