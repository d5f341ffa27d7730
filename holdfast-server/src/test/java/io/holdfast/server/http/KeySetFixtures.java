package io.holdfast.server.http;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.KeySetSigner;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.signature.VerificationKey;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Root keys and signed key sets for replica tests, made with the real {@link KeySetSigner}. */
final class KeySetFixtures {

  private KeySetFixtures() {}

  static KeyPair pair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static RootKeys root(int threshold, KeyPair... pairs) {
    return RootKeys.of(
        threshold, Arrays.stream(pairs).map(p -> VerificationKey.of(p.getPublic())).toList());
  }

  /**
   * Version {@code version} naming {@code root}, issued an hour ago and valid for a day, listing
   * {@code signing} for a year.
   */
  static KeySet keySet(long version, RootKeys root, KeyPair signing) {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    return keySet(
        version, root, signing, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
  }

  static KeySet keySet(
      long version, RootKeys root, KeyPair signing, Instant issuedAt, Instant expires) {
    return new KeySet(
        version,
        issuedAt,
        expires,
        List.of(
            new KeySet.SigningKey(
                VerificationKey.of(signing.getPublic()),
                issuedAt,
                issuedAt.plus(Duration.ofDays(365)))),
        new TreeSet<>(),
        root,
        Optional.empty());
  }

  /** The canonical bytes of {@code keySet} signed by every one of {@code rootPairs}. */
  static byte[] signed(KeySet keySet, KeyPair... rootPairs) {
    return new KeySetSigner(Arrays.asList(rootPairs)).sign(keySet).toBytes();
  }
}
