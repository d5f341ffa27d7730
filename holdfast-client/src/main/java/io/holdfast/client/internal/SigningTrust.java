package io.holdfast.client.internal;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.TrustedKeySet;
import io.holdfast.protocol.signature.VerificationKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which online keys may sign documents now: the keys pinned with {@code trustedKey(...)}, and, once
 * the client pins a root ({@code trustedRoot(...)}), those the newest verified key set lists as
 * valid. A key set's revocation overrides a pin: a leaked key is refused however it was trusted.
 *
 * <p>Time is judged as FAULTS D11 asks: the later of the wall clock and the highest signed time
 * seen (a checksums statement's or a key set's {@code issuedAt}), so a client whose clock is set
 * back cannot revive a retired key or an expired key set.
 *
 * <p>Thread-safe: the key set is swapped atomically by the sync loop and read by verification.
 */
final class SigningTrust {

  /** How far past this host's clock a signed time may move trust's clock (Kerberos' skew). */
  static final Duration SIGNED_TIME_LEAD = Duration.ofMinutes(5);

  private final Map<String, VerificationKey> pinned;
  private final RootKeys root;
  private final Clock clock;
  private final AtomicReference<TrustedKeySet> keySet = new AtomicReference<>();
  private final AtomicReference<Instant> highestSignedTime = new AtomicReference<>(Instant.MIN);

  /**
   * @param pinned keys trusted by id; may be empty when a root is pinned
   * @param root the pinned root, or {@code null} when only keys are pinned
   */
  SigningTrust(Map<String, VerificationKey> pinned, RootKeys root, Clock clock) {
    this.pinned = Map.copyOf(pinned);
    this.root = root;
    this.clock = clock;
  }

  /** Trust in pinned keys alone, as clients had before key sets. */
  static SigningTrust pinned(Map<String, VerificationKey> keys, Clock clock) {
    return new SigningTrust(keys, null, clock);
  }

  /** The pinned root, or {@code null}. */
  RootKeys root() {
    return root;
  }

  /** The newest verified key set, or {@code null}. */
  TrustedKeySet keySet() {
    return keySet.get();
  }

  /** The key set version held; 0 for none. */
  long keySetVersion() {
    TrustedKeySet held = keySet.get();
    return held == null ? 0 : held.version();
  }

  void trust(TrustedKeySet trusted) {
    keySet.set(trusted);
    noteSignedTime(trusted.keySet().issuedAt());
  }

  /**
   * A signed instant seen in a verified statement: time is never judged earlier than it. At most
   * {@link #SIGNED_TIME_LEAD} past this host's clock is taken: a replica whose clock runs hours
   * ahead (FAULTS A20) must not make every other replica's statements, and the key set, look
   * expired here. A host clock set back (B10) is still held up by what was seen before.
   */
  void noteSignedTime(Instant signed) {
    Instant limit = clock.instant().plus(SIGNED_TIME_LEAD);
    Instant taken = signed.isAfter(limit) ? limit : signed;
    highestSignedTime.accumulateAndGet(taken, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** Now, as trust judges it: never before a signed time already seen. */
  Instant now() {
    Instant wall = clock.instant();
    Instant signed = highestSignedTime.get();
    return signed.isAfter(wall) ? signed : wall;
  }

  /**
   * The key that may verify a signature by {@code keyId} now.
   *
   * @throws Rejection naming why the key is not trusted
   */
  VerificationKey key(String keyId) throws Rejection {
    return resolve(keyId, now(), false);
  }

  /**
   * The key that may verify a copy loaded from the disk cache, verified by a replica at {@code
   * verifiedAt}. The key set's own expiry is not held against it: expiry guards against a replica
   * or cache freezing updates, and a disk copy is served STALE until a replica confirms it anyway.
   * A revoked key, or one outside its window at {@code verifiedAt}, is refused as ever.
   */
  VerificationKey keyForStoredCopy(String keyId, Instant verifiedAt) throws Rejection {
    return resolve(keyId, verifiedAt, true);
  }

  /** Why a document signed by {@code keyId} is no longer trusted now, or {@code null}. */
  String distrust(String keyId) {
    try {
      resolve(keyId, now(), false);
      return null;
    } catch (Rejection rejection) {
      return rejection.getMessage();
    }
  }

  private VerificationKey resolve(String keyId, Instant at, boolean ignoreExpiry) throws Rejection {
    TrustedKeySet held = keySet.get();
    if (held == null) {
      VerificationKey key = pinned.get(keyId);
      if (key != null) {
        return key;
      }
      throw new Rejection(
          root == null
              ? "signed by key '" + keyId + "', which is not trusted"
              : "signed by key '" + keyId + "', and no key set has been verified yet");
    }
    KeySet set = held.keySet();
    // A stored copy is judged within the key set's life: its expiry is no verdict on the copy.
    Instant judged = ignoreExpiry && !at.isBefore(set.expires()) ? set.expires().minusNanos(1) : at;
    KeySet.KeyStatus status = set.status(keyId, judged);
    String where = "key set version " + set.version();
    switch (status) {
      case VALID:
        return set.validKey(keyId, judged).orElseThrow();
      case REVOKED:
        throw new Rejection("signed by key '" + keyId + "', which " + where + " revokes");
      case UNKNOWN:
        VerificationKey pin = pinned.get(keyId);
        if (pin != null) {
          return pin;
        }
        throw new Rejection("signed by key '" + keyId + "', which " + where + " does not list");
      case NOT_YET_VALID:
        throw new Rejection(
            "signed by key '"
                + keyId
                + "', which "
                + where
                + " trusts only from "
                + set.signingKey(keyId).orElseThrow().notBefore());
      case RETIRED:
        throw new Rejection(
            "signed by key '"
                + keyId
                + "', which "
                + where
                + " retired at "
                + set.signingKey(keyId).orElseThrow().notAfter());
      case KEY_SET_EXPIRED:
      default:
        throw new Rejection(
            where
                + " expired at "
                + set.expires()
                + " and no replica served a newer one; no signing key is trusted (freeze suspected)");
    }
  }
}
