package io.holdfast.protocol.keyset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.signature.VerificationKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The offline root of trust: one or more Ed25519 public keys, and how many of them ({@code
 * threshold}) must sign a key set. Clients pin it at build time ({@code trustedRoot}); it changes
 * only through a key set that names a new root and is signed by both (a root rotation).
 *
 * <p>Two roots are equal when they hold the same public keys (compared by their encoding, not only
 * by the 64-bit key id) and the same threshold. Immutable and thread-safe.
 */
public final class RootKeys {

  /** The most keys a root may hold. */
  public static final int MAX_KEYS = 16;

  private final List<VerificationKey> keys;
  private final int threshold;

  private RootKeys(List<VerificationKey> keys, int threshold) {
    this.keys = keys;
    this.threshold = threshold;
  }

  /**
   * A root of the given keys, any {@code threshold} of which must sign.
   *
   * @throws IllegalArgumentException if there are no keys, too many, the same key twice, or the
   *     threshold is not between 1 and the number of keys
   */
  public static RootKeys of(int threshold, Collection<VerificationKey> keys) {
    List<VerificationKey> sorted = new ArrayList<>(keys);
    sorted.sort(Comparator.comparing(VerificationKey::keyId));
    if (sorted.isEmpty() || sorted.size() > MAX_KEYS) {
      throw new IllegalArgumentException(
          "a root holds 1 to " + MAX_KEYS + " keys, not " + sorted.size());
    }
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).keyId().equals(sorted.get(i - 1).keyId())) {
        // Counting one key twice would let one key holder meet a threshold of two alone.
        throw new IllegalArgumentException(
            "the root names key " + sorted.get(i).keyId() + " twice");
      }
    }
    if (threshold < 1 || threshold > sorted.size()) {
      throw new IllegalArgumentException(
          "the threshold must be from 1 to " + sorted.size() + ", was " + threshold);
    }
    return new RootKeys(List.copyOf(sorted), threshold);
  }

  /** A root of the given keys, any {@code threshold} of which must sign. */
  public static RootKeys of(int threshold, VerificationKey... keys) {
    return of(threshold, Arrays.asList(keys));
  }

  /** The keys, sorted by key id. */
  public List<VerificationKey> keys() {
    return keys;
  }

  public int threshold() {
    return threshold;
  }

  /** The key ids, sorted. */
  public SortedSet<String> keyIds() {
    SortedSet<String> ids = new TreeSet<>();
    keys.forEach(key -> ids.add(key.keyId()));
    return java.util.Collections.unmodifiableSortedSet(ids);
  }

  /** The key with this id, if the root holds it. */
  public Optional<VerificationKey> key(String keyId) {
    return keys.stream().filter(key -> key.keyId().equals(keyId)).findFirst();
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("threshold", threshold);
    ArrayNode array = node.putArray("keys");
    for (VerificationKey key : keys) {
      array.addObject().put("keyId", key.keyId()).put("publicKey", key.toBase64());
    }
    return node;
  }

  /**
   * Reads a root as {@code holdfast keys init-root} writes it to {@code root.json}: the members of
   * a key set's {@code root} object, {@code {"keys":[{"keyId":…,"publicKey":…}],"threshold":K}}, in
   * any layout. As strict as a key set: no unknown, missing or repeated member, and each key id
   * must be the one derived from its public key.
   *
   * @throws JsonInputException naming the member that is wrong
   */
  public static RootKeys parse(byte[] json) throws JsonInputException {
    return fromJson(new StrictJson(64 * 1024, 4).parse(json), "root");
  }

  static RootKeys fromJson(JsonNode node, String path) throws JsonInputException {
    Members root = Members.of(node, path, Set.of("keys", "threshold"), Set.of());
    List<JsonNode> elements = root.array("keys", MAX_KEYS);
    List<VerificationKey> keys = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      keys.add(
          Members.of(elements.get(i), root.where("keys") + "[" + i + "]", KEY_MEMBERS, Set.of())
              .key());
    }
    long threshold = root.whole("threshold", 1);
    try {
      return of((int) Math.min(threshold, Integer.MAX_VALUE), keys);
    } catch (IllegalArgumentException e) {
      throw Members.malformed(path + ": " + e.getMessage());
    }
  }

  static final Set<String> KEY_MEMBERS = Set.of("keyId", "publicKey");

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RootKeys other) || threshold != other.threshold) {
      return false;
    }
    if (keys.size() != other.keys.size()) {
      return false;
    }
    for (int i = 0; i < keys.size(); i++) {
      if (!Arrays.equals(
          keys.get(i).publicKey().getEncoded(), other.keys.get(i).publicKey().getEncoded())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return 31 * keyIds().hashCode() + threshold;
  }

  @Override
  public String toString() {
    return "RootKeys[" + threshold + " of " + keyIds() + "]";
  }
}
