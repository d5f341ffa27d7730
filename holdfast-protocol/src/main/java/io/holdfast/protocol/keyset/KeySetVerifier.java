package io.holdfast.protocol.keyset;

import io.holdfast.protocol.keyset.KeySetVerdict.Reason;
import io.holdfast.protocol.keyset.KeySetVerdict.Refused;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.VerificationKey;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether to trust a new key set, starting from a root the client pinned at build time, in
 * the manner of TUF's root update.
 *
 * <p>Each key set of a chain is checked against the state before it (the pinned root and no key set
 * at first):
 *
 * <ol>
 *   <li>no two signatures name the same key, and every signature by a key of the trusted root or of
 *       the root the key set names verifies; no signature is by any other key;
 *   <li>at least {@code threshold} distinct keys of the trusted root signed it (the root named by
 *       the key set held until now, or the pinned root);
 *   <li>if it names a different root, at least that root's threshold signed it too, so a root
 *       rotation needs both the outgoing and the incoming root;
 *   <li>its version is higher than the trusted one's, or equal with the very same payload bytes;
 *   <li>its recovery marker does not go back ({@link KeySet.Recovery}).
 * </ol>
 *
 * The last key set of the chain must also not have expired at the instant given. Intermediate ones
 * may have: they are history a client walks through after being offline, and only the newest says
 * what holds now. The walk stops at the first refusal, and the client keeps what it held.
 *
 * <p>Stateless and thread-safe; the clock is the caller's, so tests drive it.
 */
public final class KeySetVerifier {

  private final RootKeys pinnedRoot;

  /**
   * @param pinnedRoot the root the client trusts without asking anyone
   */
  public KeySetVerifier(RootKeys pinnedRoot) {
    this.pinnedRoot = Objects.requireNonNull(pinnedRoot, "pinnedRoot");
  }

  public RootKeys pinnedRoot() {
    return pinnedRoot;
  }

  /**
   * Decides one key set.
   *
   * @param current the key set trusted until now, or {@code null} for none (first start, or a cache
   *     that is being verified again on load)
   */
  public KeySetVerdict verify(SignedKeySet candidate, TrustedKeySet current, Instant now) {
    return verifyChain(List.of(candidate), current, now);
  }

  /**
   * Walks a chain of key sets in order of version, as a client does after missing one or more root
   * rotations: each step must be trusted under the state the steps before it left.
   *
   * @param current the key set trusted until now, or {@code null} for none
   * @throws IllegalArgumentException if the chain is empty, or {@code current} was derived from
   *     another pinned root
   */
  public KeySetVerdict verifyChain(List<SignedKeySet> chain, TrustedKeySet current, Instant now) {
    Objects.requireNonNull(now, "now");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a chain holds at least one key set");
    }
    if (current != null && !current.pinnedRoot().equals(pinnedRoot)) {
      throw new IllegalArgumentException(
          "the trusted key set was derived from " + current.pinnedRoot() + ", not " + pinnedRoot);
    }
    long startEpoch = current == null ? 0 : current.keySet().recoveryEpoch();
    TrustedKeySet state = current;
    for (SignedKeySet candidate : chain) {
      Optional<Refused> refusal = refusal(candidate, state);
      if (refusal.isPresent()) {
        return refusal.get();
      }
      state = new TrustedKeySet(pinnedRoot, candidate);
    }
    KeySet last = state.keySet();
    if (!now.isBefore(last.expires())) {
      return new Refused(
          Reason.EXPIRED,
          last.version(),
          "key set version " + last.version() + " expired at " + last.expires() + "; it is " + now);
    }
    Optional<KeySet.Recovery> recovery =
        last.recoveryEpoch() > startEpoch ? last.recovery() : Optional.empty();
    return new KeySetVerdict.Accepted(state, recovery);
  }

  private Optional<Refused> refusal(SignedKeySet candidate, TrustedKeySet current) {
    KeySet keySet = candidate.keySet();
    long version = keySet.version();
    RootKeys trustedRoot = current == null ? pinnedRoot : current.root();
    RootKeys namedRoot = keySet.root();
    byte[] message = candidate.signedMessage();

    Set<String> signers = new HashSet<>();
    for (RootSignature signature : candidate.signatures()) {
      if (!signers.add(signature.keyId())) {
        return refused(
            Reason.DUPLICATE_SIGNATURE, version, "key " + signature.keyId() + " signed twice");
      }
      Optional<VerificationKey> key =
          trustedRoot.key(signature.keyId()).or(() -> namedRoot.key(signature.keyId()));
      if (key.isPresent() && !verifies(key.get(), message, signature)) {
        return refused(
            Reason.BAD_SIGNATURE,
            version,
            "the signature of root key " + signature.keyId() + " does not verify");
      }
    }
    int trustedCount = count(trustedRoot, signers);
    if (trustedCount < trustedRoot.threshold()) {
      return refused(
          Reason.THRESHOLD_NOT_MET,
          version,
          trustedCount
              + " of the trusted root's keys signed; "
              + trustedRoot.threshold()
              + " must ("
              + trustedRoot
              + ")");
    }
    if (!namedRoot.equals(trustedRoot)) {
      int namedCount = count(namedRoot, signers);
      if (namedCount < namedRoot.threshold()) {
        return refused(
            Reason.NEW_ROOT_THRESHOLD_NOT_MET,
            version,
            "the key set rotates the root to "
                + namedRoot
                + ", but only "
                + namedCount
                + " of its keys signed");
      }
    }
    for (String signer : signers) {
      if (trustedRoot.key(signer).isEmpty() && namedRoot.key(signer).isEmpty()) {
        return refused(
            Reason.UNKNOWN_SIGNER, version, "key " + signer + " signed, but neither root holds it");
      }
    }
    if (current == null) {
      return Optional.empty();
    }
    long currentVersion = current.version();
    if (version < currentVersion) {
      return refused(
          Reason.ROLLBACK,
          version,
          "key set version " + version + " is older than the trusted version " + currentVersion);
    }
    if (version == currentVersion && !candidate.sameKeySet(current.signed())) {
      return refused(
          Reason.VERSION_CONFLICT,
          version,
          "key set version " + version + " differs from the trusted key set of the same version");
    }
    return recoveryRefusal(keySet, current.keySet());
  }

  /** Markers are cumulative: never a lower epoch, an equal epoch unchanged, no key id dropped. */
  private static Optional<Refused> recoveryRefusal(KeySet candidate, KeySet current) {
    if (current.recovery().isEmpty()) {
      return Optional.empty();
    }
    KeySet.Recovery held = current.recovery().get();
    long version = candidate.version();
    if (candidate.recovery().isEmpty() || candidate.recoveryEpoch() < held.epoch()) {
      return refused(
          Reason.RECOVERY_ROLLBACK,
          version,
          "recovery epoch "
              + candidate.recoveryEpoch()
              + " is lower than the trusted epoch "
              + held.epoch());
    }
    KeySet.Recovery next = candidate.recovery().get();
    if (next.epoch() == held.epoch() && !next.equals(held)) {
      return refused(
          Reason.RECOVERY_ROLLBACK,
          version,
          "recovery epoch " + held.epoch() + " names other key ids than the trusted one");
    }
    if (!next.keyIds().containsAll(held.keyIds())) {
      return refused(
          Reason.RECOVERY_ROLLBACK,
          version,
          "recovery epoch "
              + next.epoch()
              + " drops key ids that epoch "
              + held.epoch()
              + " voided");
    }
    return Optional.empty();
  }

  private static int count(RootKeys root, Set<String> signers) {
    int count = 0;
    for (String keyId : root.keyIds()) {
      if (signers.contains(keyId)) {
        count++;
      }
    }
    return count;
  }

  private static boolean verifies(VerificationKey key, byte[] message, RootSignature signature) {
    return key.verifies(
        message,
        new SignatureHeader(signature.keyId(), SignatureHeader.ED25519, signature.signature()));
  }

  private static Optional<Refused> refused(Reason reason, long version, String message) {
    return Optional.of(new Refused(reason, version, message));
  }
}
