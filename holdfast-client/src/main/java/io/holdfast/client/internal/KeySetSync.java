package io.holdfast.client.internal;

import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.KeySetVerdict;
import io.holdfast.protocol.keyset.KeySetVerifier;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.keyset.TrustedKeySet;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the client's key set current when it pins a root: loads and verifies the cached one at
 * start, fetches the first from a replica, and follows newer ones that a replica's checksums
 * announce ({@code keySetVersion}), through {@code GET /v1/keyset/chain} so that root rotations are
 * walked one step at a time (FAULTS D9). Only a chain the pinned root vouches for is trusted
 * ({@link KeySetVerifier}); a refused one fails the replica that served it, and the client keeps
 * the key set it held.
 *
 * <p>A new key set may carry a recovery marker (FAULTS D13): the namespaces whose held document was
 * signed by a voided key forget their revision floor, in memory and on disk, before the key set is
 * saved. Used by the sync loop's thread only, after {@link #restore} at start.
 */
final class KeySetSync {

  /** Pages of a chain followed in one go: 1,000 key sets, far beyond any real history. */
  private static final int MAX_PAGES = 10;

  /** {@code null} without a pinned root: then this class never fetches a key set. */
  private final KeySetVerifier verifier;

  private final SigningTrust trust;
  private final Transport transport;
  private final DiskCache cache;
  private final Map<String, NamespaceTracker> trackers;
  private final Duration requestTimeout;
  private final System.Logger log;

  /** The key sets since the pinned root that rotated it, oldest first. */
  private List<SignedKeySet> rotations = List.of();

  /**
   * @param cache where the key set is kept, or {@code null}
   */
  KeySetSync(
      SigningTrust trust,
      Transport transport,
      DiskCache cache,
      Map<String, NamespaceTracker> trackers,
      Duration requestTimeout,
      System.Logger log) {
    this.verifier = trust.root() == null ? null : new KeySetVerifier(trust.root());
    this.trust = trust;
    this.transport = transport;
    this.cache = cache;
    this.trackers = trackers;
    this.requestTimeout = requestTimeout;
    this.log = log;
  }

  /**
   * Trusts the cached key set if the pinned root still vouches for it. Its expiry is not held
   * against it here (documents loaded from disk are STALE until a replica confirms them); a newer
   * key set from a replica replaces it, and live documents need one that has not expired.
   */
  void restore() {
    if (cache == null || verifier == null) {
      return;
    }
    Optional<byte[]> stored = cache.loadKeySet();
    if (stored.isEmpty()) {
      return;
    }
    try {
      List<SignedKeySet> chain = SignedKeySet.parseChain(stored.get());
      if (chain.isEmpty()) {
        cache.quarantineKeySet("an empty chain");
        return;
      }
      SignedKeySet newest = chain.get(chain.size() - 1);
      KeySetVerdict verdict =
          verifier.verifyChain(chain, null, newest.keySet().expires().minusNanos(1));
      if (verdict instanceof KeySetVerdict.Accepted accepted) {
        rotations = rotationsIn(chain, null);
        trust.trust(accepted.trusted());
      } else {
        cache.quarantineKeySet(((KeySetVerdict.Refused) verdict).message());
      }
    } catch (JsonInputException e) {
      cache.quarantineKeySet("not a key set chain: " + e.getMessage());
    }
  }

  /** Whether this replica must be asked for key sets before its checksums can be verified. */
  boolean needed(long announcedVersion) {
    return trust.root() != null
        && (trust.keySet() == null || announcedVersion > trust.keySetVersion());
  }

  /**
   * Brings the key set up to at least the version the replica announced (any, when none is held).
   *
   * @throws ReplicaFailure if the replica serves no key set, or one the pinned root does not vouch
   *     for
   */
  void bringUpTo(URI replica, long announcedVersion) throws ReplicaFailure {
    TrustedKeySet held = trust.keySet();
    if (held == null) {
      settle(replica, first(replica));
      return;
    }
    List<SignedKeySet> chain = chainAfter(replica, held.version(), announcedVersion);
    if (chain.isEmpty()) {
      throw new ReplicaFailure(
          "announces key set version "
              + announcedVersion
              + " but serves none after version "
              + held.version(),
          null);
    }
    settle(replica, new Walk(chain, verifier.verifyChain(chain, held, trust.now())));
  }

  private void settle(URI replica, Walk walk) throws ReplicaFailure {
    if (walk.verdict() instanceof KeySetVerdict.Refused refused) {
      log.log(Level.WARNING, "refused the key sets of {0}: {1}", replica, refused.message());
      throw new ReplicaFailure("key set refused: " + refused.message(), null);
    }
    adopt(walk.chain(), (KeySetVerdict.Accepted) walk.verdict());
  }

  /**
   * After checksums failed verification: asks the replica for key sets newer than the one held, in
   * case it signs with a key that only a newer key set lists (an operator who switched the
   * replicas' key before clients had the key set listing it).
   *
   * @return whether a newer key set is now trusted
   */
  boolean tryNewer(URI replica) throws ReplicaFailure {
    TrustedKeySet held = trust.keySet();
    if (trust.root() == null || held == null) {
      return false;
    }
    List<SignedKeySet> chain = chainAfter(replica, held.version(), Long.MAX_VALUE);
    if (chain.isEmpty()) {
      return false;
    }
    settle(replica, new Walk(chain, verifier.verifyChain(chain, held, trust.now())));
    return true;
  }

  /** A chain of key sets and what the verifier decided about it. */
  private record Walk(List<SignedKeySet> chain, KeySetVerdict verdict) {}

  /**
   * The key sets of a trusted chain that changed the root, starting from the root that {@code held}
   * named (the pinned root for none). Kept on disk before the newest key set, so that the cached
   * chain can be verified again from the pinned root after any number of root rotations.
   */
  private List<SignedKeySet> rotationsIn(List<SignedKeySet> chain, TrustedKeySet held) {
    List<SignedKeySet> found = new ArrayList<>(held == null ? List.of() : rotations);
    RootKeys root = held == null ? trust.root() : held.root();
    for (SignedKeySet keySet : chain) {
      if (!keySet.keySet().root().equals(root)) {
        found.add(keySet);
        root = keySet.keySet().root();
      }
    }
    return List.copyOf(found);
  }

  /**
   * The first key set: the newest, if the pinned root signed it (the usual case); otherwise the
   * root was rotated since the application was built, and the whole chain is walked from the first
   * key set the pinned root signed.
   */
  private Walk first(URI replica) throws ReplicaFailure {
    Transport.Response response = get(replica.resolve("/v1/keyset"));
    SignedKeySet newest;
    try {
      newest = SignedKeySet.parse(response.body());
    } catch (JsonInputException e) {
      throw new ReplicaFailure("serves a malformed key set: " + e.getMessage(), null);
    }
    KeySetVerdict verdict = verifier.verify(newest, null, trust.now());
    if (verdict instanceof KeySetVerdict.Accepted) {
      return new Walk(List.of(newest), verdict);
    }
    List<SignedKeySet> chain = chainAfter(replica, 0, newest.keySet().version());
    // Walk from the newest key set the pinned root signed itself: each is checked alone once (at
    // its own issue time, so an old one has not expired), and one chain is walked from there. A
    // hostile replica's long chain costs one check per key set, never one walk per key set.
    for (int start = chain.size() - 1; start >= 0; start--) {
      SignedKeySet candidate = chain.get(start);
      if (verifier.verify(candidate, null, candidate.keySet().issuedAt())
          instanceof KeySetVerdict.Accepted) {
        List<SignedKeySet> path = List.copyOf(chain.subList(start, chain.size()));
        return new Walk(path, verifier.verifyChain(path, null, trust.now()));
      }
    }
    return new Walk(List.of(newest), verdict);
  }

  /** The key sets after {@code after}, page by page, until {@code upTo} or the newest. */
  private List<SignedKeySet> chainAfter(URI replica, long after, long upTo) throws ReplicaFailure {
    List<SignedKeySet> chain = new ArrayList<>();
    long from = after;
    for (int page = 0; page < MAX_PAGES; page++) {
      Transport.Response response = get(replica.resolve("/v1/keyset/chain?after=" + from));
      List<SignedKeySet> part;
      try {
        part = SignedKeySet.parseChain(response.body());
      } catch (JsonInputException e) {
        throw new ReplicaFailure("serves a malformed key set chain: " + e.getMessage(), null);
      }
      if (!part.isEmpty() && part.get(0).keySet().version() <= from) {
        throw new ReplicaFailure(
            "answers key sets after version "
                + from
                + " with version "
                + part.get(0).keySet().version(),
            null);
      }
      chain.addAll(part);
      if (part.size() < SignedKeySet.MAX_CHAIN) {
        break;
      }
      from = part.get(part.size() - 1).keySet().version();
      if (from >= upTo) {
        break;
      }
    }
    return chain;
  }

  private Transport.Response get(URI uri) throws ReplicaFailure {
    Transport.Response response;
    try {
      response = transport.get(uri, requestTimeout);
    } catch (Transport.TransportException e) {
      throw ReplicaFailure.unreachable(e);
    }
    DocumentFetcher.requireAvailable(response);
    if (response.status() == 404) {
      throw new ReplicaFailure("serves no key set (none published: holdfast keys publish)", null);
    }
    if (response.status() != 200) {
      throw new ReplicaFailure("HTTP " + response.status() + " for the key set", null);
    }
    return response;
  }

  private void adopt(List<SignedKeySet> chain, KeySetVerdict.Accepted accepted) {
    TrustedKeySet trusted = accepted.trusted();
    TrustedKeySet held = trust.keySet();
    if (held != null && trusted.version() == held.version()) {
      return;
    }
    boolean floorsForgotten = accepted.recovery().map(this::recover).orElse(true);
    rotations = rotationsIn(chain, held);
    trust.trust(trusted);
    if (cache != null && floorsForgotten) {
      cache.saveKeySet(cachedChain(trusted.signed()));
    }
    log.log(
        Level.INFO,
        "trusting key set version {0} (expires {1}, {2} signing keys, {3} revoked)",
        trusted.version(),
        trusted.keySet().expires(),
        trusted.keySet().signingKeys().size(),
        trusted.keySet().revoked().size());
  }

  /** The rotations and the newest key set, as a chain answer: what {@link #restore} reads. */
  private byte[] cachedChain(SignedKeySet newest) {
    List<SignedKeySet> chain = new ArrayList<>(rotations);
    if (chain.isEmpty()
        || chain.get(chain.size() - 1).keySet().version() != newest.keySet().version()) {
      chain.add(newest);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"keySets\":[".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < chain.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(chain.get(i).toBytes());
    }
    out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /**
   * Forgets the revision floors that voided keys vouched for; the disk's first.
   *
   * @return whether every floor on disk is gone; if not, the key set is not saved, so that a
   *     restart applies the marker again rather than keep a floor that outlived it
   */
  private boolean recover(KeySet.Recovery marker) {
    boolean forgotten = true;
    for (NamespaceTracker tracker : trackers.values()) {
      VerifiedDocument held = tracker.lastKnownGood();
      if (held != null && marker.keyIds().contains(held.signerKeyId())) {
        if (cache != null) {
          forgotten &= cache.forgetHighWaterMark(tracker.namespace());
        }
        tracker.voidFloor();
        log.log(
            Level.WARNING,
            "namespace {0}: recovery epoch {1} voids key {2}; revision {3} is no longer a floor",
            tracker.namespace(),
            marker.epoch(),
            held.signerKeyId(),
            held.revision());
      }
    }
    return forgotten;
  }
}
