package io.holdfast.cli.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.cli.AdminClient;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys the current replicas vouch for, when the operator names none: the key set they serve
 * ({@code GET /v1/keyset}), if one was published, and then only its keys valid now, as a client
 * that pins the root would trust them; otherwise every key their {@code GET /v1/keys} lists. The
 * candidate is never asked: it must not vouch for its own signatures. Stateless.
 */
final class CurrentTrust {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CurrentTrust() {}

  static List<VerificationKey> keys(ReplicaReader reader, List<URI> current, Instant now)
      throws InterruptedException {
    Map<String, VerificationKey> keys = new LinkedHashMap<>();
    for (URI replica : current) {
      Reading keySet = reader.get(replica, "/v1/keyset", false);
      if (keySet.status() == 200) {
        KeySet parsed = parseKeySet(replica, keySet.body());
        for (KeySet.SigningKey key : parsed.signingKeys()) {
          parsed.validKey(key.keyId(), now).ifPresent(k -> keys.putIfAbsent(k.keyId(), k));
        }
        continue;
      }
      if (keySet.status() != 404) {
        throw new AdminClient.UnreachableException(
            replica + "/v1/keyset answered " + keySet.status(), null);
      }
      Reading listed = reader.get(replica, "/v1/keys", false);
      if (listed.status() != 200) {
        throw new AdminClient.UnreachableException(
            replica + "/v1/keys answered " + listed.status(), null);
      }
      try {
        for (JsonNode key : JSON.readTree(listed.body()).path("keys")) {
          VerificationKey parsed = VerificationKey.fromBase64(key.path("publicKey").asText());
          keys.putIfAbsent(parsed.keyId(), parsed);
        }
      } catch (IOException | IllegalArgumentException e) {
        throw new AdminClient.UnreachableException(
            replica + "/v1/keys is not a key listing: " + e.getMessage(), e);
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          "the current replicas vouch for no signing key valid now; name the keys to trust with"
              + " --trust-key");
    }
    return List.copyOf(keys.values());
  }

  private static KeySet parseKeySet(URI replica, byte[] body) {
    try {
      return SignedKeySet.parse(body).keySet();
    } catch (JsonInputException e) {
      throw new AdminClient.UnreachableException(
          replica + "/v1/keyset is not a key set: " + e.getMessage(), e);
    }
  }
}
