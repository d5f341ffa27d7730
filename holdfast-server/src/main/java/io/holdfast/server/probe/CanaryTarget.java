package io.holdfast.server.probe;

import java.util.Objects;

/**
 * What the probe reads from each replica: one instance's document for one namespace, and the
 * instance's checksums, with the instance's bearer credential, through the same public path every
 * instance uses.
 *
 * @param instance the instance id, {@link Canary#INSTANCE} inside a replica
 * @param credential the bearer token; an instance credential, or any admin token (admins may read
 *     every instance)
 * @param namespace the namespace to fetch; {@link Canary#NAMESPACE} by default
 */
public record CanaryTarget(String instance, String credential, String namespace) {

  public CanaryTarget {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(namespace, "namespace");
  }

  @Override
  public String toString() {
    return "CanaryTarget[" + instance + "/" + namespace + "]"; // never the credential
  }
}
