package io.holdfast.bench;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.KeySetSigner;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.signature.VerificationKey;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A one-key root of trust made for a benchmark run, and the key sets it signs: what an operator
 * does offline with {@code holdfast keys init-root} and {@code sign-keyset}.
 */
final class BenchRoot {

  private final KeyPair pair;
  private final RootKeys root;
  private final KeySetSigner signer;

  BenchRoot() {
    this.pair = generate();
    this.root = RootKeys.of(1, VerificationKey.of(pair.getPublic()));
    this.signer = new KeySetSigner(List.of(pair));
  }

  /** A fresh Ed25519 key pair, as {@code openssl genpkey -algorithm ed25519} makes. */
  static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  RootKeys root() {
    return root;
  }

  /** Key set {@code version} listing {@code signing}, revoking {@code revoked}, valid 90 days. */
  byte[] keySet(long version, List<VerificationKey> signing, Set<String> revoked) {
    Instant now = Instant.now();
    Instant expires = now.plus(Duration.ofDays(90));
    List<KeySet.SigningKey> keys =
        signing.stream()
            .map(key -> new KeySet.SigningKey(key, now.minus(Duration.ofDays(1)), expires))
            .toList();
    SignedKeySet signed =
        signer.sign(
            new KeySet(
                version, now, expires, keys, new TreeSet<>(revoked), root, Optional.empty()));
    return signed.toBytes();
  }
}
