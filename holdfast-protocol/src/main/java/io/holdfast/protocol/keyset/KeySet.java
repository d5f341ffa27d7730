package io.holdfast.protocol.keyset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.signature.VerificationKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The root-signed list of online signing keys: which keys may sign documents and when, which are
 * revoked, until when the list itself holds, and which root signs the next one.
 *
 * <p>A key set says nothing about its own authenticity; {@link SignedKeySet} carries the root
 * signatures and {@link KeySetVerifier} decides whether to trust it. {@link #toBytes()} is
 * canonical, so every holder of the same key set has the same bytes and the root signs exactly
 * those. Lists are kept sorted by key id, whatever order they were given in. Immutable.
 *
 * @param version strictly increasing from one key set to the next; a client never goes back
 * @param issuedAt when the key set was signed
 * @param expires the first instant at which the key set is no longer valid; a client holding only
 *     an expired key set cannot tell whether keys were revoked since, so it trusts no key (the
 *     freeze attack, FAULTS D11)
 * @param signingKeys the online keys that may sign documents, each within its own window
 * @param revoked key ids that must not be trusted, whatever any other list says
 * @param root the root that must sign the next key set; when it differs from the root that signed
 *     this one, this key set is a root rotation and must be signed by both
 * @param recovery present after a fast-forward recovery (FAULTS D13), see {@link Recovery}
 */
public record KeySet(
    long version,
    Instant issuedAt,
    Instant expires,
    List<SigningKey> signingKeys,
    SortedSet<String> revoked,
    RootKeys root,
    Optional<Recovery> recovery) {

  /** The value of the {@code format} member, bumped on any incompatible change. */
  public static final String FORMAT = "holdfast-keyset-1";

  /** The most signing keys one key set lists. */
  public static final int MAX_SIGNING_KEYS = 64;

  /** The most key ids one key set revokes, or names in its recovery marker. */
  public static final int MAX_REVOKED = 512;

  private static final Pattern KEY_ID = Pattern.compile("hf1-[0-9a-f]{16}");

  /**
   * An online key that may sign documents from {@code notBefore} (inclusive) until {@code notAfter}
   * (exclusive).
   */
  public record SigningKey(VerificationKey key, Instant notBefore, Instant notAfter) {
    public SigningKey {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(notBefore, "notBefore");
      Objects.requireNonNull(notAfter, "notAfter");
      if (!notAfter.isAfter(notBefore)) {
        throw new IllegalArgumentException(
            "key "
                + key.keyId()
                + ": notAfter "
                + notAfter
                + " is not after notBefore "
                + notBefore);
      }
    }

    public String keyId() {
      return key.keyId();
    }

    /** Whether the window holds {@code at}. */
    public boolean covers(Instant at) {
      return !at.isBefore(notBefore) && at.isBefore(notAfter);
    }

    // VerificationKey has no value equality; the key id names the key in a key set's equality.
    @Override
    public boolean equals(Object o) {
      return o instanceof SigningKey other
          && keyId().equals(other.keyId())
          && notBefore.equals(other.notBefore)
          && notAfter.equals(other.notAfter);
    }

    @Override
    public int hashCode() {
      return Objects.hash(keyId(), notBefore, notAfter);
    }
  }

  /**
   * The fast-forward recovery marker (FAULTS D13). A leaked online key can sign a document with an
   * absurdly high revision; a client that adopted it would refuse every genuine, lower revision as
   * a rollback. The marker declares that revisions vouched for by the keys in {@code keyIds} are
   * void.
   *
   * <p>A client that accepts a key set whose {@code epoch} is higher than that of the key set it
   * held (none counts as 0) forgets, for every namespace and for the checksums, the revision floor
   * set by a document signed with one of {@code keyIds}: the next document verified under the new
   * key set is accepted whatever its revision, and sets the floor anew. Floors set by documents of
   * other keys stay, so old genuine documents are still refused as rollbacks.
   *
   * <p>Markers are cumulative, so a client that skips key sets loses nothing: once issued, every
   * later key set carries a marker of the same or a higher epoch; an equal epoch means an identical
   * marker; a higher epoch names every key id of the lower one. The voided keys are never signing
   * keys again.
   *
   * @param epoch 1 for the first recovery, raised by one for each later one
   * @param keyIds the ids of the keys whose revisions are void
   */
  public record Recovery(long epoch, SortedSet<String> keyIds) {
    public Recovery {
      if (epoch < 1) {
        throw new IllegalArgumentException("the recovery epoch must be at least 1, was " + epoch);
      }
      keyIds = keyIdSet(keyIds, "recovery key id");
      if (keyIds.isEmpty()) {
        throw new IllegalArgumentException("a recovery marker names at least one key id");
      }
    }
  }

  public KeySet {
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(recovery, "recovery");
    if (version < 1) {
      throw new IllegalArgumentException("the version must be at least 1, was " + version);
    }
    if (!expires.isAfter(issuedAt)) {
      throw new IllegalArgumentException(
          "expires " + expires + " is not after issuedAt " + issuedAt);
    }
    List<SigningKey> sorted = new ArrayList<>(signingKeys);
    sorted.sort(Comparator.comparing(SigningKey::keyId));
    if (sorted.size() > MAX_SIGNING_KEYS) {
      throw new IllegalArgumentException(
          sorted.size() + " signing keys; the limit is " + MAX_SIGNING_KEYS);
    }
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).keyId().equals(sorted.get(i - 1).keyId())) {
        throw new IllegalArgumentException(
            "signing key " + sorted.get(i).keyId() + " is listed twice");
      }
    }
    signingKeys = List.copyOf(sorted);
    revoked = keyIdSet(revoked, "revoked key id");
    if (revoked.size() > MAX_REVOKED) {
      throw new IllegalArgumentException(
          revoked.size() + " revoked key ids; the limit is " + MAX_REVOKED);
    }
    for (SigningKey key : signingKeys) {
      // A key both listed and revoked would depend on which list a reader checks first.
      if (revoked.contains(key.keyId())) {
        throw new IllegalArgumentException(
            "signing key " + key.keyId() + " is listed and revoked at once");
      }
      if (recovery.isPresent() && recovery.get().keyIds().contains(key.keyId())) {
        throw new IllegalArgumentException(
            "signing key " + key.keyId() + " is listed, but its revisions are void (recovery)");
      }
    }
    if (recovery.isPresent() && recovery.get().keyIds().size() > MAX_REVOKED) {
      throw new IllegalArgumentException(
          recovery.get().keyIds().size() + " recovery key ids; the limit is " + MAX_REVOKED);
    }
  }

  private static SortedSet<String> keyIdSet(Set<String> ids, String what) {
    SortedSet<String> sorted = new TreeSet<>();
    for (String id : ids) {
      if (id == null || !KEY_ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "a " + what + " is hf1- and 16 hex digits, not '" + id + "'");
      }
      sorted.add(id);
    }
    return Collections.unmodifiableSortedSet(sorted);
  }

  /** Why a key is, or is not, valid for signing at an instant. */
  public enum KeyStatus {
    /** Listed, not revoked, within its window, and the key set has not expired. */
    VALID,
    /** The key set does not list the key. */
    UNKNOWN,
    /** The key set revokes the key. */
    REVOKED,
    /** The instant is before the key's notBefore. */
    NOT_YET_VALID,
    /** The instant is at or after the key's notAfter. */
    RETIRED,
    /** The key set itself has expired: no key is trusted until a newer one arrives. */
    KEY_SET_EXPIRED
  }

  /** Whether the key with this id may sign at {@code at}, and if not, why not. */
  public KeyStatus status(String keyId, Instant at) {
    if (!at.isBefore(expires)) {
      return KeyStatus.KEY_SET_EXPIRED;
    }
    if (revoked.contains(keyId)) {
      return KeyStatus.REVOKED;
    }
    Optional<SigningKey> key = signingKey(keyId);
    if (key.isEmpty()) {
      return KeyStatus.UNKNOWN;
    }
    if (at.isBefore(key.get().notBefore())) {
      return KeyStatus.NOT_YET_VALID;
    }
    return key.get().covers(at) ? KeyStatus.VALID : KeyStatus.RETIRED;
  }

  /** The key with this id if it is {@link KeyStatus#VALID} at {@code at}. */
  public Optional<VerificationKey> validKey(String keyId, Instant at) {
    return status(keyId, at) == KeyStatus.VALID
        ? signingKey(keyId).map(SigningKey::key)
        : Optional.empty();
  }

  /** The listed signing key with this id, whatever its window. */
  public Optional<SigningKey> signingKey(String keyId) {
    return signingKeys.stream().filter(key -> key.keyId().equals(keyId)).findFirst();
  }

  /** The recovery epoch: the marker's, or 0 without one. */
  public long recoveryEpoch() {
    return recovery.map(Recovery::epoch).orElse(0L);
  }

  /** The canonical bytes, which the root signs. */
  public byte[] toBytes() {
    return CanonicalJson.toBytes(toJson());
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("format", FORMAT);
    node.put("version", version);
    node.put("issuedAt", issuedAt.toString());
    node.put("expires", expires.toString());
    ArrayNode keys = node.putArray("signingKeys");
    for (SigningKey key : signingKeys) {
      keys.addObject()
          .put("keyId", key.keyId())
          .put("publicKey", key.key().toBase64())
          .put("notBefore", key.notBefore().toString())
          .put("notAfter", key.notAfter().toString());
    }
    ArrayNode revokedIds = node.putArray("revoked");
    revoked.forEach(revokedIds::add);
    node.set("root", root.toJson());
    recovery.ifPresent(
        marker -> {
          ObjectNode recoveryNode = node.putObject("recovery");
          recoveryNode.put("epoch", marker.epoch());
          ArrayNode ids = recoveryNode.putArray("keyIds");
          marker.keyIds().forEach(ids::add);
        });
    return node;
  }

  private static final Set<String> REQUIRED =
      Set.of("format", "version", "issuedAt", "expires", "signingKeys", "revoked", "root");
  private static final Set<String> SIGNING_KEY_MEMBERS =
      Set.of("keyId", "publicKey", "notBefore", "notAfter");

  static KeySet fromJson(JsonNode node, String path) throws JsonInputException {
    Members set = Members.of(node, path, REQUIRED, Set.of("recovery"));
    String format = set.text("format");
    if (!FORMAT.equals(format)) {
      throw Members.malformed(
          set.where("format") + " is '" + Members.abbreviate(format) + "', not " + FORMAT);
    }
    long version = set.whole("version", 1);
    Instant issuedAt = set.instant("issuedAt");
    Instant expires = set.instant("expires");
    List<SigningKey> signingKeys = new ArrayList<>();
    List<JsonNode> keys = set.array("signingKeys", MAX_SIGNING_KEYS);
    for (int i = 0; i < keys.size(); i++) {
      Members key =
          Members.of(
              keys.get(i), set.where("signingKeys") + "[" + i + "]", SIGNING_KEY_MEMBERS, Set.of());
      try {
        signingKeys.add(
            new SigningKey(key.key(), key.instant("notBefore"), key.instant("notAfter")));
      } catch (IllegalArgumentException e) {
        throw Members.malformed(set.where("signingKeys") + "[" + i + "]: " + e.getMessage());
      }
    }
    List<String> revoked = set.texts("revoked", MAX_REVOKED);
    RootKeys root = RootKeys.fromJson(set.node("root"), set.where("root"));
    Optional<Recovery> recovery = Optional.empty();
    if (set.has("recovery")) {
      Members marker =
          Members.of(
              set.node("recovery"), set.where("recovery"), Set.of("epoch", "keyIds"), Set.of());
      long epoch = marker.whole("epoch", 1);
      List<String> ids = marker.texts("keyIds", MAX_REVOKED);
      try {
        recovery = Optional.of(new Recovery(epoch, new TreeSet<>(ids)));
      } catch (IllegalArgumentException e) {
        throw Members.malformed(set.where("recovery") + ": " + e.getMessage());
      }
    }
    try {
      return new KeySet(
          version, issuedAt, expires, signingKeys, new TreeSet<>(revoked), root, recovery);
    } catch (IllegalArgumentException e) {
      throw Members.malformed(path + ": " + e.getMessage());
    }
  }
}
