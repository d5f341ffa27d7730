package io.holdfast.protocol.keyset;

import java.util.Optional;

/** What {@link KeySetVerifier} decided about a key set, or a chain of them. */
public sealed interface KeySetVerdict {

  /**
   * The key set is trusted from now on.
   *
   * @param trusted the newly trusted key set (the last of a chain)
   * @param recovery a recovery marker the client has not applied yet: present when the new key
   *     set's recovery epoch is higher than that of the key set it held (see {@link
   *     KeySet.Recovery})
   */
  record Accepted(TrustedKeySet trusted, Optional<KeySet.Recovery> recovery)
      implements KeySetVerdict {}

  /**
   * The key set is not trusted, and the client keeps the one it held.
   *
   * @param reason why, as a client reports it (for instance in a STALE reason)
   * @param version the version of the refused key set (in a chain, the one that failed)
   * @param message a sentence naming the key ids and versions involved
   */
  record Refused(Reason reason, long version, String message) implements KeySetVerdict {}

  /** Why a key set was refused. */
  enum Reason {
    /** Two signatures name the same key: one key holder cannot meet a threshold alone. */
    DUPLICATE_SIGNATURE,
    /** A signature by a key of the trusted or the named root does not verify: the bytes changed. */
    BAD_SIGNATURE,
    /** Fewer than the threshold of the trusted root signed (or another root signed). */
    THRESHOLD_NOT_MET,
    /** The key set names a new root, and fewer than that root's threshold signed it. */
    NEW_ROOT_THRESHOLD_NOT_MET,
    /** A signature by a key that neither the trusted nor the named root holds. */
    UNKNOWN_SIGNER,
    /** The version is lower than that of the trusted key set (a rollback, FAULTS D10). */
    ROLLBACK,
    /** The version equals that of the trusted key set, but the contents differ. */
    VERSION_CONFLICT,
    /** The key set has expired (a freeze, FAULTS D11). */
    EXPIRED,
    /** The recovery marker went back: a lower epoch, a rewritten one, or a dropped key id. */
    RECOVERY_ROLLBACK
  }
}
