package io.holdfast.cli.gameday;

import io.holdfast.cli.AdminClient;
import io.holdfast.protocol.signature.VerificationKey;
import java.net.URI;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The deployment a game day rehearses against: its replicas, how to reach and trust them, and the
 * admin token that makes the canaries. Immutable.
 *
 * @param description how the report names it, such as {@code the demo in holdfast-demo}
 * @param replicas the replicas' base URIs; the admin API is called on the first
 * @param adminToken an admin credential
 * @param sslContext trusts https replicas (a private authority); {@code null} for the JDK's
 * @param trustedKeys the keys the probe and the fleet verify signatures with
 * @param approverToken a publisher's token that approves bad-change's change (not the admin's: no
 *     one approves their own change); {@code null} to make throwaway approvers
 */
record Target(
    String description,
    List<URI> replicas,
    String adminToken,
    SSLContext sslContext,
    List<VerificationKey> trustedKeys,
    String approverToken) {

  Target {
    replicas = List.copyOf(replicas);
    trustedKeys = List.copyOf(trustedKeys);
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("a game day needs at least one replica");
    }
    if (trustedKeys.isEmpty()) {
      throw new IllegalArgumentException("a game day needs a key to verify signatures with");
    }
  }

  AdminClient admin() {
    return as(adminToken);
  }

  /** The first replica's admin API with another token. */
  AdminClient as(String token) {
    return new AdminClient(replicas.get(0), token, sslContext);
  }

  @Override
  public String toString() {
    return "Target[" + description + ", " + replicas + "]"; // never the token
  }
}
