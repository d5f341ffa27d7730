package io.holdfast.client.internal;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.KeySetSigner;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.signature.VerificationKey;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Root keys and root-signed key sets for client tests, as an operator's offline machine makes them
 * ({@link KeySetSigner}). Key sets are issued a day before {@link ManualTime#START} and hold for
 * thirty days; their signing keys from a day before {@code START} for a year, so tests that move
 * manual time by hours stay inside every window unless they mean not to.
 */
public final class TestKeySets {

  public static final Instant ISSUED = ManualTime.START.minus(Duration.ofDays(1));
  public static final Instant EXPIRES = ManualTime.START.plus(Duration.ofDays(30));

  private TestKeySets() {}

  /** A root of one fresh key pair, threshold 1. */
  public static RootKeys root(KeyPair pair) {
    return RootKeys.of(1, VerificationKey.of(pair.getPublic()));
  }

  /** An online key that may sign from a day before {@code START} for a year. */
  public static KeySet.SigningKey signing(VerificationKey key) {
    return new KeySet.SigningKey(key, ISSUED, ISSUED.plus(Duration.ofDays(365)));
  }

  /** A key set listing these online keys, revoking none, naming {@code next} as the next root. */
  public static KeySet keySet(long version, RootKeys next, VerificationKey... signingKeys) {
    return keySet(version, next, List.of(), Optional.empty(), signingKeys);
  }

  /** A key set that also revokes key ids and may carry a recovery marker. */
  public static KeySet keySet(
      long version,
      RootKeys next,
      List<String> revoked,
      Optional<KeySet.Recovery> recovery,
      VerificationKey... signingKeys) {
    return new KeySet(
        version,
        ISSUED,
        EXPIRES,
        Arrays.stream(signingKeys).map(TestKeySets::signing).toList(),
        new TreeSet<>(revoked),
        next,
        recovery);
  }

  /** A key set signed by every given root key pair. */
  public static SignedKeySet sign(KeySet keySet, KeyPair... rootPairs) {
    return new KeySetSigner(Arrays.asList(rootPairs)).sign(keySet);
  }

  /** A recovery marker of epoch 1 voiding these key ids. */
  public static Optional<KeySet.Recovery> recovery(String... keyIds) {
    return Optional.of(new KeySet.Recovery(1, new TreeSet<>(Set.of(keyIds))));
  }
}
