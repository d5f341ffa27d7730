package io.holdfast.server.auth;

import io.holdfast.server.snapshot.EffectiveSnapshot;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stored form (SHA-256) of each {@code Authorization} value that named a known credential, so
 * that a client's every request does not hash its token again: on the read path the hash cost more
 * than the lookup it feeds (issue 21).
 *
 * <p>Why it cannot outlive a revocation or rotation: it maps a value to its hash and nothing else.
 * Which hashes are valid is still decided by the snapshot on every request ({@link Authenticator}
 * looks the hash up in the snapshot being served, and checks an admin credential's revocation and
 * expiry by the clock), so a rotated or revoked credential is refused on the very next request
 * exactly as before; its entry only saves recomputing a hash that no longer opens anything.
 *
 * <p>Bounded: at most {@code capacity} entries. Only values whose hash the snapshot knew are
 * remembered, so a flood of wrong tokens never enters, never evicts a good entry and never grows
 * memory; it costs a hash per request, as every request did before. When full, entries whose hash
 * the current snapshot no longer knows (rotated, deleted) are dropped, at most once per snapshot so
 * that a full cache of live credentials does not rescan on every miss; if it is still full, the new
 * value is simply not remembered (it is hashed on each request). Thread-safe.
 */
public final class VerifiedTokens {

  /** Enough for every instance of a large fleet that talks to one replica. */
  public static final int DEFAULT_CAPACITY = 16_384;

  private final int capacity;
  private final ConcurrentHashMap<String, String> hashes = new ConcurrentHashMap<>();

  /** The snapshot the last pruning ran against. */
  private final AtomicReference<EffectiveSnapshot> prunedFor = new AtomicReference<>();

  public VerifiedTokens(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** The hash remembered for this exact {@code Authorization} value, or {@code null}. */
  String hashOf(String authorization) {
    return hashes.get(authorization);
  }

  /**
   * Remembers that {@code authorization} hashes to {@code hash}, which {@code snapshot} knows as a
   * credential (the caller checked), if there is room.
   */
  void remember(String authorization, String hash, EffectiveSnapshot snapshot) {
    if (hashes.size() >= capacity) {
      pruneFor(snapshot);
      if (hashes.size() >= capacity) {
        return;
      }
    }
    hashes.putIfAbsent(authorization, hash);
  }

  /** How many values are remembered now. */
  public int size() {
    return hashes.size();
  }

  private void pruneFor(EffectiveSnapshot snapshot) {
    EffectiveSnapshot last = prunedFor.get();
    if (last == snapshot || !prunedFor.compareAndSet(last, snapshot)) {
      return; // pruned against this snapshot already, or another thread is doing it now
    }
    hashes.values().removeIf(hash -> !knows(snapshot, hash));
  }

  /** Whether {@code snapshot} has a credential, of either kind, with this hash. */
  static boolean knows(EffectiveSnapshot snapshot, String hash) {
    return snapshot.instancesByCredential().containsKey(hash)
        || snapshot.adminsByCredential().containsKey(hash);
  }
}
