package io.holdfast.protocol.keyset;

import io.holdfast.protocol.signature.VerificationKey;
import java.time.Instant;
import java.util.Optional;

/**
 * A signed key set that {@link KeySetVerifier} accepted from a pinned root: only the verifier makes
 * one, so holding it is proof of the check. It answers which online keys may sign documents now; a
 * client keeps the signed bytes ({@link #signed()}) in its cache and verifies them again on load.
 * Immutable and thread-safe.
 */
public final class TrustedKeySet {

  private final RootKeys pinnedRoot;
  private final SignedKeySet signed;

  TrustedKeySet(RootKeys pinnedRoot, SignedKeySet signed) {
    this.pinnedRoot = pinnedRoot;
    this.signed = signed;
  }

  /** The root this trust was derived from, as pinned by the client. */
  public RootKeys pinnedRoot() {
    return pinnedRoot;
  }

  public SignedKeySet signed() {
    return signed;
  }

  public KeySet keySet() {
    return signed.keySet();
  }

  /** The root that must sign the next key set. */
  public RootKeys root() {
    return signed.keySet().root();
  }

  public long version() {
    return signed.keySet().version();
  }

  /** Whether key {@code keyId} may sign at {@code at}, and if not, why not. */
  public KeySet.KeyStatus status(String keyId, Instant at) {
    return signed.keySet().status(keyId, at);
  }

  /** The key with this id if it may sign at {@code at}. */
  public Optional<VerificationKey> validKey(String keyId, Instant at) {
    return signed.keySet().validKey(keyId, at);
  }

  @Override
  public String toString() {
    return "TrustedKeySet[version=" + version() + ", root=" + root() + "]";
  }
}
