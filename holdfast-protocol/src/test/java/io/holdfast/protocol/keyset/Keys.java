package io.holdfast.protocol.keyset;

import io.holdfast.protocol.signature.VerificationKey;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test keys and key sets. Ed25519 key generation costs about a millisecond, so properties draw from
 * a fixed pool of pairs made once per test class instead of making new ones per try.
 */
final class Keys {

  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  private Keys() {}

  static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<KeyPair> generate(int count) {
    List<KeyPair> pairs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pairs.add(generate());
    }
    return List.copyOf(pairs);
  }

  static VerificationKey key(KeyPair pair) {
    return VerificationKey.of(pair.getPublic());
  }

  static String id(KeyPair pair) {
    return key(pair).keyId();
  }

  static RootKeys root(int threshold, List<KeyPair> pairs) {
    return RootKeys.of(threshold, pairs.stream().map(Keys::key).toList());
  }

  static RootKeys root(int threshold, KeyPair... pairs) {
    return root(threshold, Arrays.asList(pairs));
  }

  /** A signing key valid for the whole of the first year from {@link #T0}. */
  static KeySet.SigningKey signing(KeyPair pair) {
    return new KeySet.SigningKey(key(pair), T0, T0.plusSeconds(365L * 24 * 3600));
  }

  /** Version {@code version}, issued at {@link #T0}, expiring a day later, naming {@code root}. */
  static KeySet keySet(long version, RootKeys root, KeyPair... signingKeys) {
    return new KeySet(
        version,
        T0,
        T0.plusSeconds(24 * 3600),
        Arrays.stream(signingKeys).map(Keys::signing).toList(),
        new TreeSet<>(),
        root,
        Optional.empty());
  }

  static SignedKeySet sign(KeySet keySet, KeyPair... rootPairs) {
    return new KeySetSigner(Arrays.asList(rootPairs)).sign(keySet);
  }

  static SignedKeySet sign(KeySet keySet, List<KeyPair> rootPairs) {
    return new KeySetSigner(rootPairs).sign(keySet);
  }

  static Set<String> ids(KeyPair... pairs) {
    Set<String> ids = new TreeSet<>();
    for (KeyPair pair : pairs) {
      ids.add(id(pair));
    }
    return ids;
  }
}
