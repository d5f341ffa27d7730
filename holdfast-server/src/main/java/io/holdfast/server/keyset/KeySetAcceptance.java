package io.holdfast.server.keyset;

import io.holdfast.protocol.keyset.KeySetVerdict;
import io.holdfast.protocol.keyset.KeySetVerifier;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a replica stores a key set that an operator publishes, given the ones stored already.
 *
 * <p>A replica holds no pinned root: the clients do, and they verify every key set themselves. What
 * the replica checks is that the stored chain stays one a client can walk. The first key set must
 * verify under the root it names itself. Every later one must verify after the whole stored chain,
 * walked from the first key set's root with {@link KeySetVerifier#verifyChain}, exactly as a client
 * that pinned that root walks it; only the candidate must not have expired. So a replica never
 * stores a rollback, a key set the current root did not sign, or one a client would refuse.
 * Stateless.
 */
final class KeySetAcceptance {

  private KeySetAcceptance() {}

  /**
   * Decides {@code candidate} (parsed from {@code bytes}) against {@code stored}, ascending by
   * version.
   *
   * @return {@code true} if it is to be stored, {@code false} if the newest stored key set is these
   *     very bytes already
   * @throws ProblemException {@code KEYSET_CONFLICT} for an older version, or one stored already
   *     with other bytes; {@code KEYSET_REFUSED} for one a client would not trust
   */
  static boolean decide(
      List<StoredKeySet> stored, SignedKeySet candidate, byte[] bytes, Instant now) {
    long version = candidate.keySet().version();
    if (stored.isEmpty()) {
      KeySetVerdict verdict =
          new KeySetVerifier(candidate.keySet().root()).verify(candidate, null, now);
      if (verdict instanceof KeySetVerdict.Refused refused) {
        throw refusal(refused, "the first key set must verify under the root it names: ");
      }
      return true;
    }
    StoredKeySet newest = stored.get(stored.size() - 1);
    if (version < newest.version()) {
      throw new ProblemException(
          ProblemType.KEYSET_CONFLICT,
          "key set version "
              + version
              + " is older than the newest published version "
              + newest.version()
              + "; a key set never goes back (ROLLBACK)");
    }
    if (version == newest.version()) {
      if (newest.hasBody(bytes)) {
        return false;
      }
      throw new ProblemException(
          ProblemType.KEYSET_CONFLICT,
          "key set version "
              + version
              + " is published already with other contents; sign it with a higher version"
              + " (VERSION_CONFLICT)");
    }
    List<SignedKeySet> chain = new ArrayList<>(stored.size() + 1);
    for (StoredKeySet row : stored) {
      chain.add(row.parsed());
    }
    chain.add(candidate);
    KeySetVerdict verdict =
        new KeySetVerifier(chain.get(0).keySet().root()).verifyChain(chain, null, now);
    if (verdict instanceof KeySetVerdict.Refused refused) {
      throw refusal(
          refused,
          refused.version() == version
              ? ""
              : "the stored chain does not verify at version " + refused.version() + ": ");
    }
    return true;
  }

  private static ProblemException refusal(KeySetVerdict.Refused refused, String context) {
    ProblemType type =
        switch (refused.reason()) {
          case ROLLBACK, VERSION_CONFLICT, RECOVERY_ROLLBACK -> ProblemType.KEYSET_CONFLICT;
          default -> ProblemType.KEYSET_REFUSED;
        };
    return new ProblemException(
        type, context + refused.message() + " (" + refused.reason().name() + ")");
  }
}
