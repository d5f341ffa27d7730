package io.holdfast.server.probe;

import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.instance.Instance;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.Ring;
import io.holdfast.server.subscription.SubscriptionsDocument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The canary: a reserved instance that the synthetic probe reads exactly as a customer instance
 * reads its own documents, so a fault on the instance-facing path shows up on the canary first.
 *
 * <p>It lives in the first ring, so it receives every namespace's {@code default} and first-ring
 * layers, and its checksums revision moves with every such publish; that is what lets the probe see
 * a replica fall behind. It is labelled {@value #LABEL}{@code =true} so that fleet views can tell
 * it from customers.
 *
 * <p>Its credential is derived from the signing key, which every replica shares, so every replica
 * can probe every other without extra configuration: the Ed25519 signature of a fixed message
 * (deterministic, RFC 8032) hashed with SHA-256. Only the key holder can compute it, and only its
 * hash is stored, as for any instance. No response ever reveals that signature: replicas sign only
 * canonical JSON documents, which never equal the message. Rotating the signing key rotates the
 * credential at the next start. Stateless.
 */
public final class Canary {

  /** The canary's instance id. */
  public static final String INSTANCE = "holdfast-canary";

  /** The label that marks the canary in instance listings; its value is {@code true}. */
  public static final String LABEL = "holdfast.io/canary";

  /**
   * The namespace the probe fetches by default: the reserved {@code subscriptions} document, which
   * every instance receives and whose loss was the incident.
   */
  public static final String NAMESPACE = SubscriptionsDocument.NAMESPACE;

  /** Who the store records as creating the canary. */
  static final String ACTOR = "system:canary";

  private static final byte[] DERIVATION =
      "holdfast canary credential v1".getBytes(StandardCharsets.US_ASCII);
  private static final Logger LOG = LoggerFactory.getLogger(Canary.class);

  private Canary() {}

  /** The canary's bearer credential under this signing key. */
  public static String credential(DocumentSigner signer) {
    try {
      byte[] secret =
          MessageDigest.getInstance("SHA-256").digest(signer.sign(DERIVATION).signature());
      return CredentialTokens.INSTANCE_PREFIX
          + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  /**
   * Creates the canary in the first ring if it does not exist, or gives it {@code credential} if it
   * holds another (the signing key changed). Does nothing, and writes nothing, when it is already
   * as it should be, so every replica may call it at every start.
   *
   * @return whether the store was written
   */
  public static boolean ensure(ConfigStore store, String credential) {
    String hash = CredentialTokens.hash(credential);
    Optional<Instance> existing = store.findInstance(INSTANCE);
    if (existing.isEmpty()) {
      List<Ring> rings = store.listRings();
      if (rings.isEmpty()) {
        LOG.warn("no ring exists, so the probe's canary instance cannot be created yet");
        return false;
      }
      Ring first =
          rings.stream().min(java.util.Comparator.comparingInt(Ring::position)).orElseThrow();
      try {
        store.createInstance(INSTANCE, first.name(), Map.of(LABEL, "true"), hash, ACTOR);
        LOG.info("created the probe's canary instance {} in ring {}", INSTANCE, first.name());
        return true;
      } catch (ProblemException e) {
        // Another replica on the same database created it first; check its credential below.
        existing = store.findInstance(INSTANCE);
        if (existing.isEmpty()) {
          throw e;
        }
      }
    }
    if (!existing.get().credentialHash().equals(hash)) {
      store.replaceInstanceCredential(INSTANCE, hash, ACTOR);
      LOG.info(
          "gave the probe's canary instance {} the credential of the current signing key",
          INSTANCE);
      return true;
    }
    return false;
  }
}
