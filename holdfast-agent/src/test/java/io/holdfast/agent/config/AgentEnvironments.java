package io.holdfast.agent.config;

import io.holdfast.protocol.signature.DocumentSigner;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.HashMap;
import java.util.Map;

/** Environments for the agent's tests: the least a valid set of settings needs. */
public final class AgentEnvironments {

  private AgentEnvironments() {}

  /**
   * Two replicas (nothing listens), an instance and its credential, a fresh trusted key, and the
   * namespaces {@code core} and {@code subscriptions}; the caller adds or overrides the rest.
   */
  public static Map<String, String> minimal(String... replicas) throws GeneralSecurityException {
    Map<String, String> env = new HashMap<>();
    env.put(
        "HOLDFAST_REPLICAS",
        replicas.length == 0
            ? "http://127.0.0.1:9001,http://127.0.0.1:9002"
            : String.join(",", replicas));
    env.put("HOLDFAST_INSTANCE_ID", "acme-prod");
    env.put("HOLDFAST_CREDENTIAL", "hfi_0123456789abcdef0123456789abcdef");
    env.put(
        "HOLDFAST_TRUSTED_KEYS",
        new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair())
            .verificationKey()
            .toBase64());
    env.put("HOLDFAST_NAMESPACES", "core,subscriptions");
    return env;
  }
}
