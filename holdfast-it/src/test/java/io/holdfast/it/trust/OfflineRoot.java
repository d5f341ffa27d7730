package io.holdfast.it.trust;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.KeySetSigner;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.signature.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A one-key root of trust held by the test, and the key sets it signs: what operators do offline
 * with {@code holdfast keys init-root}, {@code sign-keyset} and {@code cosign}. Key sets are issued
 * a minute in the past (so that replica and client clocks a little behind accept them) and hold for
 * 90 days; each listed key's window starts a day before the issue, as {@code sign-keyset} does.
 */
public final class OfflineRoot {

  private static final Duration LIFETIME = Duration.ofDays(90);

  private final Clock clock;
  private final RootKeys root;
  private final KeySetSigner signer;

  /** A root whose key sets are issued by the system clock. */
  public OfflineRoot() {
    this(Clock.systemUTC());
  }

  /** A root whose key sets are issued by {@code clock}: the replicas' when a test drives theirs. */
  public OfflineRoot(Clock clock) {
    this.clock = clock;
    KeyPair pair = SigningKeys.generate();
    this.root = RootKeys.of(1, VerificationKey.of(pair.getPublic()));
    this.signer = new KeySetSigner(List.of(pair));
  }

  /** The public root that clients pin. */
  public RootKeys root() {
    return root;
  }

  /** Key set {@code version} listing {@code signing} and revoking {@code revoked}, as JSON. */
  public String keySet(long version, List<VerificationKey> signing, Set<String> revoked) {
    return keySet(version, signing, revoked, Optional.empty());
  }

  /** As {@link #keySet(long, List, Set)}, with a recovery marker (FAULTS D13). */
  public String keySet(
      long version,
      List<VerificationKey> signing,
      Set<String> revoked,
      Optional<KeySet.Recovery> recovery) {
    return text(signer.sign(build(version, signing, revoked, root, recovery)));
  }

  /**
   * A root rotation: key set {@code version} naming {@code next} as the root of the key sets after
   * it, signed by this root and countersigned by {@code next}.
   */
  public String rotateTo(
      OfflineRoot next, long version, List<VerificationKey> signing, Set<String> revoked) {
    SignedKeySet outgoing =
        signer.sign(build(version, signing, revoked, next.root, Optional.empty()));
    return text(next.signer.countersign(outgoing));
  }

  private KeySet build(
      long version,
      List<VerificationKey> signing,
      Set<String> revoked,
      RootKeys names,
      Optional<KeySet.Recovery> recovery) {
    Instant issued = clock.instant().minus(Duration.ofMinutes(1));
    Instant expires = issued.plus(LIFETIME);
    List<KeySet.SigningKey> keys =
        signing.stream()
            .map(key -> new KeySet.SigningKey(key, issued.minus(Duration.ofDays(1)), expires))
            .toList();
    return new KeySet(version, issued, expires, keys, new TreeSet<>(revoked), names, recovery);
  }

  private static String text(SignedKeySet signed) {
    return new String(signed.toBytes(), StandardCharsets.UTF_8);
  }
}
