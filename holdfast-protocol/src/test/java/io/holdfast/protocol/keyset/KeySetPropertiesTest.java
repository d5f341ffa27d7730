package io.holdfast.protocol.keyset;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.keyset.KeySetVerdict.Accepted;
import io.holdfast.protocol.keyset.KeySetVerdict.Reason;
import io.holdfast.protocol.keyset.KeySetVerdict.Refused;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The verifier's promises over random key sets, roots and attacks: what was changed, replayed,
 * padded with copied signatures or left to expire is refused, never accepted.
 */
class KeySetPropertiesTest {

  private static final List<KeyPair> ROOT_POOL = Keys.generate(6);
  private static final List<KeyPair> ONLINE_POOL = Keys.generate(3);
  private static final KeyPair OUTSIDER = Keys.generate();
  private static final Map<String, KeyPair> BY_ID =
      ROOT_POOL.stream().collect(Collectors.toMap(Keys::id, Function.identity()));

  /** A key set and root key pairs that meet its root's threshold (more, sometimes). */
  record Signed(KeySet keySet, List<KeyPair> signers) {
    SignedKeySet signed() {
      return Keys.sign(keySet, signers);
    }

    KeySetVerifier verifier() {
      return new KeySetVerifier(keySet.root());
    }

    Instant validInstant() {
      return keySet.issuedAt();
    }
  }

  @Provide
  Arbitrary<RootKeys> roots() {
    return Arbitraries.integers()
        .between(0, ROOT_POOL.size() - 1)
        .set()
        .ofMinSize(1)
        .ofMaxSize(4)
        .flatMap(
            picks ->
                Arbitraries.integers()
                    .between(1, picks.size())
                    .map(k -> Keys.root(k, picks.stream().map(ROOT_POOL::get).toList())));
  }

  private static Arbitrary<String> keyIds() {
    return Arbitraries.strings()
        .withChars("0123456789abcdef")
        .ofLength(16)
        .map(hex -> "hf1-" + hex);
  }

  @Provide
  Arbitrary<KeySet> keySets() {
    Arbitrary<Long> versions = Arbitraries.longs().between(1, 1L << 40);
    Arbitrary<Instant> issued =
        Arbitraries.longs().between(1_700_000_000L, 1_900_000_000L).map(Instant::ofEpochSecond);
    Arbitrary<Long> lifetimes = Arbitraries.longs().between(1, 400L * 86_400);
    Arbitrary<List<KeySet.SigningKey>> signingKeys =
        Combinators.combine(
                Arbitraries.integers().between(0, ONLINE_POOL.size() - 1).set().ofMaxSize(3),
                Arbitraries.longs().between(1_700_000_000L, 1_900_000_000L),
                Arbitraries.longs().between(1, 10_000_000L))
            .as(
                (picks, from, length) ->
                    picks.stream()
                        .map(
                            i ->
                                new KeySet.SigningKey(
                                    Keys.key(ONLINE_POOL.get(i)),
                                    Instant.ofEpochSecond(from + i),
                                    Instant.ofEpochSecond(from + i + length)))
                        .toList());
    Arbitrary<Set<String>> revoked = keyIds().set().ofMaxSize(4);
    Arbitrary<Optional<KeySet.Recovery>> recovery =
        Combinators.combine(
                Arbitraries.longs().between(1, 5), keyIds().set().ofMinSize(1).ofMaxSize(3))
            .as((epoch, ids) -> new KeySet.Recovery(epoch, new TreeSet<>(ids)))
            .optional(0.3);
    return Combinators.combine(versions, issued, lifetimes, signingKeys, revoked, roots(), recovery)
        .as(
            (version, issuedAt, lifetime, keys, revokedIds, root, marker) ->
                new KeySet(
                    version,
                    issuedAt,
                    issuedAt.plusSeconds(lifetime),
                    keys,
                    new TreeSet<>(revokedIds),
                    root,
                    marker));
  }

  @Provide
  Arbitrary<Signed> signedKeySets() {
    return keySets()
        .flatMap(
            keySet -> {
              List<KeyPair> rootPairs = keySet.root().keyIds().stream().map(BY_ID::get).toList();
              return Arbitraries.shuffle(rootPairs)
                  .flatMap(
                      shuffled ->
                          Arbitraries.integers()
                              .between(keySet.root().threshold(), shuffled.size())
                              .map(n -> new Signed(keySet, shuffled.subList(0, n))));
            });
  }

  /** Parses and verifies as a client does with bytes from the network; null when refused. */
  private static KeySetVerdict parseAndVerify(
      byte[] bytes, KeySetVerifier verifier, TrustedKeySet current, Instant now) {
    SignedKeySet parsed;
    try {
      parsed = SignedKeySet.parse(bytes);
    } catch (JsonInputException e) {
      return new Refused(null, 0, e.getMessage());
    }
    return verifier.verify(parsed, current, now);
  }

  @Property(tries = 300)
  void parse_ofToBytes_roundTrips(@ForAll("signedKeySets") Signed signed) throws Exception {
    SignedKeySet original = signed.signed();

    SignedKeySet parsed = SignedKeySet.parse(original.toBytes());

    assertThat(parsed.keySet()).isEqualTo(original.keySet());
    assertThat(parsed.signatures()).isEqualTo(original.signatures());
    assertThat(parsed.toBytes()).isEqualTo(original.toBytes());
  }

  @Property(tries = 400)
  void anyFlippedByte_isRefused_neverAccepted(
      @ForAll("signedKeySets") Signed signed,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] bytes = signed.signed().toBytes();
    KeySetVerifier verifier = signed.verifier();
    assertThat(parseAndVerify(bytes, verifier, null, signed.validInstant()))
        .isInstanceOf(Accepted.class);

    byte[] tampered = bytes.clone();
    tampered[position % tampered.length] ^= (byte) mask;

    assertThat(parseAndVerify(tampered, verifier, null, signed.validInstant()))
        .isInstanceOf(Refused.class);
  }

  @Property(tries = 200)
  void anyCutOrInsertedByte_isRefused_neverAccepted(
      @ForAll("signedKeySets") Signed signed,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position,
      @ForAll byte inserted,
      @ForAll boolean cut) {
    byte[] bytes = signed.signed().toBytes();
    int at = position % bytes.length;
    byte[] changed = new byte[cut ? bytes.length - 1 : bytes.length + 1];
    System.arraycopy(bytes, 0, changed, 0, at);
    if (cut) {
      System.arraycopy(bytes, at + 1, changed, at, bytes.length - at - 1);
    } else {
      changed[at] = inserted;
      System.arraycopy(bytes, at, changed, at + 1, bytes.length - at);
    }

    assertThat(parseAndVerify(changed, signed.verifier(), null, signed.validInstant()))
        .isInstanceOf(Refused.class);
  }

  @Property(tries = 200)
  void signaturesMovedOntoAnotherKeySet_areRefused(
      @ForAll("signedKeySets") Signed signed, @ForAll("keySets") KeySet other) {
    KeySet forged =
        new KeySet(
            other.version(),
            other.issuedAt(),
            other.expires(),
            other.signingKeys(),
            other.revoked(),
            signed.keySet().root(),
            other.recovery());
    SignedKeySet moved = new SignedKeySet(forged, signed.signed().signatures());
    if (moved.sameKeySet(signed.signed())) {
      return; // the same statement, so the same signatures are genuinely valid
    }

    KeySetVerdict verdict = signed.verifier().verify(moved, null, forged.issuedAt());

    assertThat(verdict).isInstanceOf(Refused.class);
    assertThat(((Refused) verdict).reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Property(tries = 300)
  void D9_duplicatedAndReorderedSignatures_neverFakeAThreshold(
      @ForAll("roots") RootKeys root,
      @ForAll("keySets") KeySet template,
      @ForAll @IntRange(min = 0, max = 5) int held,
      @ForAll @Size(min = 1, max = SignedKeySet.MAX_SIGNATURES)
          List<@IntRange(min = 0, max = 99) Integer> picks,
      @ForAll long shuffleSeed,
      @ForAll boolean withOutsider) {
    KeySet keySet =
        new KeySet(
            template.version(),
            template.issuedAt(),
            template.expires(),
            template.signingKeys(),
            template.revoked(),
            root,
            template.recovery());
    // The attacker holds signatures of fewer root keys than the threshold.
    List<KeyPair> rootPairs = root.keyIds().stream().map(BY_ID::get).toList();
    List<KeyPair> holders =
        new ArrayList<>(rootPairs.subList(0, Math.min(held, root.threshold() - 1)));
    if (withOutsider) {
      holders.add(OUTSIDER);
    }
    if (holders.isEmpty()) {
      holders.add(ONLINE_POOL.get(0));
    }
    List<RootSignature> available = Keys.sign(keySet, holders).signatures();
    List<RootSignature> forged = new ArrayList<>();
    for (int pick : picks) {
      forged.add(available.get(pick % available.size()));
    }
    Collections.shuffle(forged, new Random(shuffleSeed));
    SignedKeySet candidate = new SignedKeySet(keySet, forged);

    KeySetVerdict direct = new KeySetVerifier(root).verify(candidate, null, keySet.issuedAt());
    KeySetVerdict viaBytes =
        parseAndVerify(candidate.toBytes(), new KeySetVerifier(root), null, keySet.issuedAt());

    assertThat(direct).isInstanceOf(Refused.class);
    assertThat(viaBytes).isInstanceOf(Refused.class);
  }

  @Property(tries = 300)
  void D11_expiredKeySet_isAlwaysRefused(
      @ForAll("signedKeySets") Signed signed,
      @ForAll @LongRange(min = 0, max = 10L * 365 * 86_400) long secondsPastExpiry,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nanos) {
    Instant now = signed.keySet().expires().plusSeconds(secondsPastExpiry).plusNanos(nanos);

    KeySetVerdict verdict = signed.verifier().verify(signed.signed(), null, now);

    assertThat(verdict).isInstanceOf(Refused.class);
    assertThat(((Refused) verdict).reason()).isEqualTo(Reason.EXPIRED);
    assertThat(signed.keySet().signingKeys())
        .allSatisfy(
            key ->
                assertThat(signed.keySet().status(key.keyId(), now))
                    .isEqualTo(KeySet.KeyStatus.KEY_SET_EXPIRED));
  }

  @Property(tries = 200)
  void D10_lowerVersion_isAlwaysRefused(
      @ForAll("signedKeySets") Signed older,
      @ForAll @LongRange(min = 1, max = 1L << 40) long ahead) {
    KeySet old = older.keySet();
    KeySet newer =
        new KeySet(
            old.version() + ahead,
            old.issuedAt(),
            old.expires(),
            old.signingKeys(),
            old.revoked(),
            old.root(),
            old.recovery());
    KeySetVerdict held =
        older.verifier().verify(Keys.sign(newer, older.signers()), null, older.validInstant());

    KeySetVerdict verdict =
        older.verifier().verify(older.signed(), ((Accepted) held).trusted(), older.validInstant());

    assertThat(verdict).isInstanceOf(Refused.class);
    assertThat(((Refused) verdict).reason()).isEqualTo(Reason.ROLLBACK);
  }

  @Property(tries = 300)
  void validKey_holdsExactlyForAListedUnrevokedKeyInItsWindowBeforeExpiry(
      @ForAll("keySets") KeySet keySet,
      @ForAll @IntRange(min = 0, max = 3) int which,
      @ForAll @LongRange(min = 1_690_000_000L, max = 1_950_000_000L) long second) {
    Instant at = Instant.ofEpochSecond(second);
    String keyId = which < ONLINE_POOL.size() ? Keys.id(ONLINE_POOL.get(which)) : Keys.id(OUTSIDER);
    Optional<KeySet.SigningKey> listed = keySet.signingKey(keyId);
    boolean expected =
        listed.isPresent()
            && listed.get().covers(at)
            && at.isBefore(keySet.expires())
            && !keySet.revoked().contains(keyId);

    assertThat(keySet.validKey(keyId, at).isPresent()).isEqualTo(expected);
    assertThat(keySet.status(keyId, at) == KeySet.KeyStatus.VALID).isEqualTo(expected);
  }

  @Property(tries = 500)
  void parse_anyBytes_throwsOnlyJsonInputException(@ForAll @Size(max = 300) byte[] bytes) {
    try {
      SignedKeySet.parse(bytes);
    } catch (JsonInputException expected) {
      // the only way to refuse
    }
  }
}
