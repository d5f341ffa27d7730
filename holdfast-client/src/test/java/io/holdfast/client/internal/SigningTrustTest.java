package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.KeySetVerdict;
import io.holdfast.protocol.keyset.KeySetVerifier;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.TrustedKeySet;
import io.holdfast.protocol.signature.VerificationKey;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which online key may sign now: pins, the verified key set, and time as trust judges it. */
class SigningTrustTest {

  private static final KeyPair ROOT_PAIR = TestDocuments.newKeyPair();
  private static final RootKeys ROOT = TestKeySets.root(ROOT_PAIR);
  private static final VerificationKey ONLINE = new TestDocuments().key();
  private static final VerificationKey OTHER = new TestDocuments().key();

  private final ManualTime time = new ManualTime();

  private SigningTrust rooted(Map<String, VerificationKey> pinned) {
    return new SigningTrust(pinned, ROOT, time.clock());
  }

  private static TrustedKeySet trusted(KeySet keySet) {
    KeySetVerdict verdict =
        new KeySetVerifier(ROOT)
            .verify(TestKeySets.sign(keySet, ROOT_PAIR), null, keySet.issuedAt());
    return ((KeySetVerdict.Accepted) verdict).trusted();
  }

  /** A key set listing {@code key} in the window given, and ONLINE for the usual year. */
  private static KeySet withWindow(VerificationKey key, Instant notBefore, Instant notAfter) {
    return new KeySet(
        1,
        TestKeySets.ISSUED,
        TestKeySets.EXPIRES,
        List.of(new KeySet.SigningKey(key, notBefore, notAfter), TestKeySets.signing(ONLINE)),
        new TreeSet<>(),
        ROOT,
        Optional.empty());
  }

  @Test
  void pinnedKeysAlone_trustExactlyThoseKeys() throws Exception {
    SigningTrust trust = SigningTrust.pinned(Map.of(ONLINE.keyId(), ONLINE), time.clock());

    assertThat(trust.key(ONLINE.keyId())).isSameAs(ONLINE);
    assertThat(trust.root()).isNull();
    assertThat(trust.keySetVersion()).isZero();
    assertThatThrownBy(() -> trust.key(OTHER.keyId()))
        .isInstanceOf(Rejection.class)
        .hasMessage("signed by key '" + OTHER.keyId() + "', which is not trusted");
  }

  @Test
  void aRootWithoutAKeySet_refusesUnpinnedKeys_sayingNoKeySetIsVerifiedYet() {
    SigningTrust trust = rooted(Map.of());

    assertThatThrownBy(() -> trust.key(ONLINE.keyId()))
        .isInstanceOf(Rejection.class)
        .hasMessage("signed by key '" + ONLINE.keyId() + "', and no key set has been verified yet");
    assertThat(trust.distrust(ONLINE.keyId())).contains("no key set has been verified yet");
  }

  @Test
  void aKeyTheKeySetListsAsValid_isTrusted_andTheVersionIsKnown() throws Exception {
    SigningTrust trust = rooted(Map.of());
    trust.trust(trusted(TestKeySets.keySet(3, ROOT, ONLINE)));

    assertThat(trust.key(ONLINE.keyId()).keyId()).isEqualTo(ONLINE.keyId());
    assertThat(trust.distrust(ONLINE.keyId())).isNull();
    assertThat(trust.keySetVersion()).isEqualTo(3);
  }

  @Test
  void aRevocation_overridesAPinnedKey() {
    SigningTrust trust = rooted(Map.of(OTHER.keyId(), OTHER));
    trust.trust(
        trusted(TestKeySets.keySet(2, ROOT, List.of(OTHER.keyId()), Optional.empty(), ONLINE)));

    assertThatThrownBy(() -> trust.key(OTHER.keyId()))
        .isInstanceOf(Rejection.class)
        .hasMessage("signed by key '" + OTHER.keyId() + "', which key set version 2 revokes");
  }

  @Test
  void aKeyTheKeySetDoesNotList_isRefused_unlessPinned() throws Exception {
    SigningTrust unpinned = rooted(Map.of());
    unpinned.trust(trusted(TestKeySets.keySet(1, ROOT, ONLINE)));
    SigningTrust pinned = rooted(Map.of(OTHER.keyId(), OTHER));
    pinned.trust(trusted(TestKeySets.keySet(1, ROOT, ONLINE)));

    assertThatThrownBy(() -> unpinned.key(OTHER.keyId()))
        .isInstanceOf(Rejection.class)
        .hasMessage("signed by key '" + OTHER.keyId() + "', which key set version 1 does not list");
    assertThat(pinned.key(OTHER.keyId())).isSameAs(OTHER);
  }

  @Test
  void aRetiredKey_isRefused_namingWhenItRetired() {
    Instant retired = ManualTime.START.minus(Duration.ofHours(1));
    SigningTrust trust = rooted(Map.of());
    trust.trust(trusted(withWindow(OTHER, TestKeySets.ISSUED, retired)));

    assertThatThrownBy(() -> trust.key(OTHER.keyId()))
        .isInstanceOf(Rejection.class)
        .hasMessage(
            "signed by key '" + OTHER.keyId() + "', which key set version 1 retired at " + retired);
  }

  @Test
  void aKeyNotYetValid_isRefused_namingWhenItBecomesValid_andIsTrustedOnceItIs() throws Exception {
    Instant from = ManualTime.START.plus(Duration.ofHours(1));
    SigningTrust trust = rooted(Map.of());
    trust.trust(trusted(withWindow(OTHER, from, from.plus(Duration.ofDays(1)))));

    assertThatThrownBy(() -> trust.key(OTHER.keyId()))
        .isInstanceOf(Rejection.class)
        .hasMessage(
            "signed by key '"
                + OTHER.keyId()
                + "', which key set version 1 trusts only from "
                + from);

    time.advance(Duration.ofHours(1));

    assertThat(trust.key(OTHER.keyId()).keyId()).isEqualTo(OTHER.keyId());
  }

  @Test
  void anExpiredKeySet_trustsNoKey_andSaysAFreezeIsSuspected() throws Exception {
    SigningTrust trust = rooted(Map.of());
    trust.trust(trusted(TestKeySets.keySet(4, ROOT, ONLINE)));
    time.advance(Duration.between(ManualTime.START, TestKeySets.EXPIRES).minusNanos(1));
    assertThat(trust.key(ONLINE.keyId())).isNotNull();

    time.advanceNanos(1);

    assertThatThrownBy(() -> trust.key(ONLINE.keyId()))
        .isInstanceOf(Rejection.class)
        .hasMessageStartingWith("key set version 4 expired at " + TestKeySets.EXPIRES)
        .hasMessageContaining("freeze suspected");
  }

  @Test
  void aStoredCopy_isJudgedWithoutTheKeySetsExpiry_butARevokedKeyIsStillRefused() throws Exception {
    SigningTrust trust = rooted(Map.of());
    trust.trust(
        trusted(TestKeySets.keySet(5, ROOT, List.of(OTHER.keyId()), Optional.empty(), ONLINE)));
    Instant afterExpiry = TestKeySets.EXPIRES.plus(Duration.ofDays(2));
    time.jumpWall(Duration.between(ManualTime.START, afterExpiry));

    assertThat(trust.keyForStoredCopy(ONLINE.keyId(), afterExpiry).keyId())
        .isEqualTo(ONLINE.keyId());
    assertThatThrownBy(() -> trust.key(ONLINE.keyId())).hasMessageContaining("expired");
    assertThatThrownBy(() -> trust.keyForStoredCopy(OTHER.keyId(), afterExpiry))
        .isInstanceOf(Rejection.class)
        .hasMessageContaining("revokes");
  }

  @Test
  void aStoredCopy_verifiedOutsideTheKeysWindow_isRefused() {
    Instant retired = ManualTime.START.minus(Duration.ofHours(1));
    SigningTrust trust = rooted(Map.of());
    trust.trust(trusted(withWindow(OTHER, TestKeySets.ISSUED, retired)));

    assertThatThrownBy(() -> trust.keyForStoredCopy(OTHER.keyId(), ManualTime.START))
        .isInstanceOf(Rejection.class)
        .hasMessageContaining("retired at " + retired);
  }

  @Test
  void now_isNeverEarlierThanTheHighestSignedTimeNoted() {
    SigningTrust trust = rooted(Map.of());
    assertThat(trust.now()).isEqualTo(ManualTime.START);

    time.advance(Duration.ofHours(2));
    Instant signed = time.now();
    trust.noteSignedTime(signed);
    trust.noteSignedTime(ManualTime.START.minus(Duration.ofDays(3)));
    assertThat(trust.now()).isEqualTo(signed);

    time.jumpWall(Duration.ofHours(-5)); // a clock set back cannot revive an expired statement
    assertThat(trust.now()).isEqualTo(signed);

    time.jumpWall(Duration.ofHours(8));
    assertThat(trust.now()).isEqualTo(time.now());
  }

  @Test
  void trustingAKeySet_notesItsIssuedAt_atMostTheLeadPastThisHostsClock() {
    SigningTrust trust = rooted(Map.of());
    time.jumpWall(Duration.ofDays(-10)); // the wall clock is far behind the key set's issuedAt

    trust.trust(trusted(TestKeySets.keySet(1, ROOT, ONLINE)));

    assertThat(trust.now()).isEqualTo(time.now().plus(SigningTrust.SIGNED_TIME_LEAD));
    assertThat(trust.now()).isBefore(TestKeySets.ISSUED);
  }

  @Test
  void A20_aReplicaTwelveHoursAhead_movesTrustsClockByTheLeadAtMost() {
    SigningTrust trust = rooted(Map.of());

    trust.noteSignedTime(ManualTime.START.plus(Duration.ofHours(12)));

    assertThat(trust.now()).isEqualTo(ManualTime.START.plus(SigningTrust.SIGNED_TIME_LEAD));
  }
}
