package io.holdfast.protocol.keyset;

import static io.holdfast.protocol.keyset.Keys.T0;
import static io.holdfast.protocol.keyset.Keys.id;
import static io.holdfast.protocol.keyset.Keys.keySet;
import static io.holdfast.protocol.keyset.Keys.root;
import static io.holdfast.protocol.keyset.Keys.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.protocol.keyset.KeySetVerdict.Accepted;
import io.holdfast.protocol.keyset.KeySetVerdict.Reason;
import io.holdfast.protocol.keyset.KeySetVerdict.Refused;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeySetVerifierTest {

  private static final Instant NOW = T0.plusSeconds(3600);

  private static KeyPair rootA;
  private static KeyPair rootB;
  private static KeyPair rootC;
  private static KeyPair online1;
  private static KeyPair online2;
  private static KeyPair outsider;

  @BeforeAll
  static void keys() {
    rootA = Keys.generate();
    rootB = Keys.generate();
    rootC = Keys.generate();
    online1 = Keys.generate();
    online2 = Keys.generate();
    outsider = Keys.generate();
  }

  private static TrustedKeySet accepted(KeySetVerdict verdict) {
    assertThat(verdict).isInstanceOf(Accepted.class);
    return ((Accepted) verdict).trusted();
  }

  private static Refused refused(KeySetVerdict verdict, Reason reason) {
    assertThat(verdict).isInstanceOf(Refused.class);
    Refused refused = (Refused) verdict;
    assertThat(refused.reason()).as(refused.message()).isEqualTo(reason);
    return refused;
  }

  @Test
  void firstKeySet_signedByThePinnedRoot_isTrusted_andAnswersForItsKeys() {
    RootKeys root = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(root);

    TrustedKeySet trusted =
        accepted(verifier.verify(sign(keySet(1, root, online1), rootA), null, NOW));

    assertThat(trusted.version()).isEqualTo(1);
    assertThat(trusted.validKey(id(online1), NOW)).isPresent();
    assertThat(trusted.status(id(online2), NOW)).isEqualTo(KeySet.KeyStatus.UNKNOWN);
  }

  @Test
  void wrongRoot_keySetSignedByAnotherRoot_isRefused() {
    RootKeys pinned = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(pinned);

    // The impostor names the pinned root, but signs with its own key.
    Refused refused =
        refused(
            verifier.verify(sign(keySet(1, pinned, online1), outsider), null, NOW),
            Reason.THRESHOLD_NOT_MET);

    assertThat(refused.message()).contains("0 of the trusted root's keys signed; 1 must");
  }

  @Test
  void onlineKey_cannotSignAKeySet() {
    RootKeys root = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(root);

    refused(
        verifier.verify(sign(keySet(1, root, online1), online1), null, NOW),
        Reason.THRESHOLD_NOT_MET);
  }

  @Test
  void thresholdNotMet_oneOfTwoRequired_isRefused_andTwoAreEnough() {
    RootKeys root = root(2, rootA, rootB, rootC);
    KeySetVerifier verifier = new KeySetVerifier(root);
    KeySet keySet = keySet(1, root, online1);

    refused(verifier.verify(sign(keySet, rootA), null, NOW), Reason.THRESHOLD_NOT_MET);
    accepted(verifier.verify(sign(keySet, rootA, rootC), null, NOW));
  }

  @Test
  void thresholdMetByHoldersSigningInTurn() {
    RootKeys root = root(2, rootA, rootB, rootC);
    KeySetVerifier verifier = new KeySetVerifier(root);
    SignedKeySet first = sign(keySet(1, root, online1), rootB);

    SignedKeySet both = new KeySetSigner(List.of(rootC)).countersign(first);

    assertThat(both.signatures())
        .extracting(RootSignature::keyId)
        .containsOnly(id(rootB), id(rootC));
    accepted(verifier.verify(both, null, NOW));
    // A holder signing twice adds nothing.
    assertThat(new KeySetSigner(List.of(rootB)).countersign(first).signatures()).hasSize(1);
  }

  @Test
  void sameRootKeyCountedTwice_isRefused_notCountedAsTwo() {
    RootKeys root = root(2, rootA, rootB);
    KeySetVerifier verifier = new KeySetVerifier(root);
    SignedKeySet once = sign(keySet(1, root, online1), rootA);
    RootSignature signature = once.signatures().get(0);

    SignedKeySet twice = new SignedKeySet(once.keySet(), List.of(signature, signature));

    Refused refused = refused(verifier.verify(twice, null, NOW), Reason.DUPLICATE_SIGNATURE);
    assertThat(refused.message()).contains(id(rootA));
    assertThatThrownBy(() -> RootKeys.of(2, Keys.key(rootA), Keys.key(rootA)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void tamperedSignature_byARootKey_isRefusedAsBad() {
    RootKeys root = root(1, rootA, rootB);
    KeySetVerifier verifier = new KeySetVerifier(root);
    SignedKeySet signed = sign(keySet(1, root, online1), rootA, rootB);
    byte[] bad = signed.signatures().get(1).signature();
    bad[7] ^= 0x01;

    // One good signature would meet the threshold, but a bad one means the bytes were changed.
    SignedKeySet tampered =
        new SignedKeySet(
            signed.keySet(),
            List.of(
                signed.signatures().get(0),
                new RootSignature(signed.signatures().get(1).keyId(), bad)));

    refused(verifier.verify(tampered, null, NOW), Reason.BAD_SIGNATURE);
  }

  @Test
  void signatureByAKeyNoRootHolds_isRefused() {
    RootKeys root = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(root);

    refused(
        verifier.verify(sign(keySet(1, root, online1), rootA, outsider), null, NOW),
        Reason.UNKNOWN_SIGNER);
  }

  @Test
  void D10_olderKeySet_isRefusedAsRollback() {
    RootKeys root = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(root);
    SignedKeySet v1 = sign(keySet(1, root, online1), rootA);
    TrustedKeySet v2 = accepted(verifier.verify(sign(keySet(2, root, online2), rootA), null, NOW));

    Refused refused = refused(verifier.verify(v1, v2, NOW), Reason.ROLLBACK);

    assertThat(refused.version()).isEqualTo(1);
    assertThat(refused.message()).contains("older than the trusted version 2");
  }

  @Test
  void sameVersion_isAcceptedOnlyWhenTheKeySetIsIdentical() {
    RootKeys root = root(2, rootA, rootB);
    KeySetVerifier verifier = new KeySetVerifier(root);
    TrustedKeySet v1 =
        accepted(verifier.verify(sign(keySet(1, root, online1), rootA, rootB), null, NOW));

    accepted(verifier.verify(sign(keySet(1, root, online1), rootB, rootA), v1, NOW));
    refused(
        verifier.verify(sign(keySet(1, root, online2), rootA, rootB), v1, NOW),
        Reason.VERSION_CONFLICT);
  }

  @Test
  void D11_expiredKeySet_isRefused_fromItsExpiryOn() {
    RootKeys root = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(root);
    SignedKeySet signed = sign(keySet(1, root, online1), rootA);
    Instant expires = signed.keySet().expires();

    accepted(verifier.verify(signed, null, expires.minusMillis(1)));
    refused(verifier.verify(signed, null, expires), Reason.EXPIRED);
    Refused later =
        refused(verifier.verify(signed, null, expires.plusSeconds(86_400)), Reason.EXPIRED);
    assertThat(later.message()).contains("expired at " + expires);
  }

  @Test
  void D11_heldKeySetPastItsExpiry_trustsNoKey() {
    RootKeys root = root(1, rootA);
    TrustedKeySet trusted =
        accepted(new KeySetVerifier(root).verify(sign(keySet(1, root, online1), rootA), null, NOW));
    Instant expires = trusted.keySet().expires();

    assertThat(trusted.status(id(online1), expires.minusMillis(1)))
        .isEqualTo(KeySet.KeyStatus.VALID);
    assertThat(trusted.status(id(online1), expires)).isEqualTo(KeySet.KeyStatus.KEY_SET_EXPIRED);
    assertThat(trusted.validKey(id(online1), expires)).isEmpty();
  }

  @Test
  void D9_revokedKey_isNotValid_andTheNextKeySetIsTrusted() {
    RootKeys root = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(root);
    TrustedKeySet v1 =
        accepted(verifier.verify(sign(keySet(1, root, online1, online2), rootA), null, NOW));
    KeySet revoking =
        new KeySet(
            2,
            T0,
            T0.plusSeconds(86_400),
            List.of(Keys.signing(online2)),
            new TreeSet<>(List.of(id(online1))),
            root,
            Optional.empty());

    TrustedKeySet v2 = accepted(verifier.verify(sign(revoking, rootA), v1, NOW));

    assertThat(v1.status(id(online1), NOW)).isEqualTo(KeySet.KeyStatus.VALID);
    assertThat(v2.status(id(online1), NOW)).isEqualTo(KeySet.KeyStatus.REVOKED);
    assertThat(v2.validKey(id(online1), NOW)).isEmpty();
    assertThat(v2.validKey(id(online2), NOW)).isPresent();
  }

  @Test
  void D9_rotatedOutKey_isUnknownToTheNextKeySet() {
    RootKeys root = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(root);
    TrustedKeySet v1 = accepted(verifier.verify(sign(keySet(1, root, online1), rootA), null, NOW));

    TrustedKeySet v2 = accepted(verifier.verify(sign(keySet(2, root, online2), rootA), v1, NOW));

    assertThat(v2.status(id(online1), NOW)).isEqualTo(KeySet.KeyStatus.UNKNOWN);
    assertThat(v2.status(id(online2), NOW)).isEqualTo(KeySet.KeyStatus.VALID);
  }

  @Test
  void signingKeyWindow_notBeforeInclusive_notAfterExclusive() {
    RootKeys root = root(1, rootA);
    Instant notBefore = T0.plusSeconds(600);
    Instant notAfter = T0.plusSeconds(1200);
    KeySet keySet =
        new KeySet(
            1,
            T0,
            T0.plusSeconds(86_400),
            List.of(new KeySet.SigningKey(Keys.key(online1), notBefore, notAfter)),
            new TreeSet<>(),
            root,
            Optional.empty());

    assertThat(keySet.status(id(online1), notBefore.minusMillis(1)))
        .isEqualTo(KeySet.KeyStatus.NOT_YET_VALID);
    assertThat(keySet.status(id(online1), notBefore)).isEqualTo(KeySet.KeyStatus.VALID);
    assertThat(keySet.status(id(online1), notAfter.minusMillis(1)))
        .isEqualTo(KeySet.KeyStatus.VALID);
    assertThat(keySet.status(id(online1), notAfter)).isEqualTo(KeySet.KeyStatus.RETIRED);
    assertThat(keySet.validKey(id(online1), notAfter)).isEmpty();
  }

  @Test
  void D9_rootRotationChain_isFollowedStepByStep() {
    RootKeys r1 = root(1, rootA);
    RootKeys r2 = root(1, rootB);
    RootKeys r3 = root(2, rootB, rootC);
    KeySetVerifier verifier = new KeySetVerifier(r1);
    SignedKeySet v1 = sign(keySet(1, r1, online1), rootA);
    SignedKeySet v2 = sign(keySet(2, r2, online1), rootA, rootB); // rotation r1 -> r2
    SignedKeySet v3 = sign(keySet(3, r3, online2), rootB, rootC); // rotation r2 -> r3
    SignedKeySet v4 = sign(keySet(4, r3, online2), rootB, rootC); // routine, under r3

    TrustedKeySet walked = accepted(verifier.verifyChain(List.of(v1, v2, v3, v4), null, NOW));
    TrustedKeySet held = accepted(verifier.verify(v1, null, NOW));
    TrustedKeySet stepped = accepted(verifier.verifyChain(List.of(v2, v3), held, NOW));

    assertThat(walked.version()).isEqualTo(4);
    assertThat(walked.root()).isEqualTo(r3);
    assertThat(stepped.root()).isEqualTo(r3);
    assertThat(accepted(verifier.verify(v4, stepped, NOW)).validKey(id(online2), NOW)).isPresent();
  }

  @Test
  void D9_skippingARotationStep_isRefused() {
    RootKeys r1 = root(1, rootA);
    RootKeys r2 = root(1, rootB);
    RootKeys r3 = root(1, rootC);
    KeySetVerifier verifier = new KeySetVerifier(r1);
    TrustedKeySet held = accepted(verifier.verify(sign(keySet(1, r1, online1), rootA), null, NOW));
    SignedKeySet v2 = sign(keySet(2, r2, online1), rootA, rootB);
    SignedKeySet v3 = sign(keySet(3, r3, online1), rootB, rootC);

    // Without v2 the client does not know r2, so r2's signature on v3 means nothing to it.
    refused(verifier.verify(v3, held, NOW), Reason.THRESHOLD_NOT_MET);
    refused(verifier.verifyChain(List.of(v3, v2), held, NOW), Reason.THRESHOLD_NOT_MET);
    accepted(verifier.verifyChain(List.of(v2, v3), held, NOW));
  }

  @Test
  void D9_rotationSignedByOnlyOneOfTheTwoRoots_isRefused() {
    RootKeys r1 = root(1, rootA);
    RootKeys r2 = root(1, rootB);
    KeySetVerifier verifier = new KeySetVerifier(r1);
    TrustedKeySet held = accepted(verifier.verify(sign(keySet(1, r1, online1), rootA), null, NOW));
    KeySet rotation = keySet(2, r2, online1);

    Refused oldOnly =
        refused(
            verifier.verify(sign(rotation, rootA), held, NOW), Reason.NEW_ROOT_THRESHOLD_NOT_MET);
    refused(verifier.verify(sign(rotation, rootB), held, NOW), Reason.THRESHOLD_NOT_MET);

    assertThat(oldOnly.message()).contains("rotates the root").contains(id(rootB));
  }

  @Test
  void D9_afterRotation_theOldRootAloneCanNoLongerSign() {
    RootKeys r1 = root(1, rootA);
    RootKeys r2 = root(1, rootB);
    KeySetVerifier verifier = new KeySetVerifier(r1);
    TrustedKeySet rotated =
        accepted(verifier.verify(sign(keySet(2, r2, online1), rootA, rootB), null, NOW));

    // An attacker holding the retired root key tries to go back to it.
    refused(
        verifier.verify(sign(keySet(3, r1, online2), rootA), rotated, NOW),
        Reason.THRESHOLD_NOT_MET);
  }

  @Test
  void chain_mayPassThroughExpiredKeySets_butItsLastMustHold() {
    RootKeys r1 = root(1, rootA);
    RootKeys r2 = root(1, rootB);
    KeySetVerifier verifier = new KeySetVerifier(r1);
    Instant muchLater = T0.plusSeconds(30L * 86_400);
    SignedKeySet oldRotation = sign(keySet(2, r2, online1), rootA, rootB);
    KeySet fresh =
        new KeySet(
            3,
            muchLater,
            muchLater.plusSeconds(86_400),
            List.of(Keys.signing(online2)),
            new TreeSet<>(),
            r2,
            Optional.empty());

    accepted(verifier.verifyChain(List.of(oldRotation, sign(fresh, rootB)), null, muchLater));
    refused(verifier.verifyChain(List.of(oldRotation), null, muchLater), Reason.EXPIRED);
  }

  @Test
  void keySetHeldFromAnotherPinnedRoot_isAProgrammingError() {
    RootKeys r1 = root(1, rootA);
    TrustedKeySet fromA =
        accepted(new KeySetVerifier(r1).verify(sign(keySet(1, r1, online1), rootA), null, NOW));
    KeySetVerifier other = new KeySetVerifier(root(1, rootB));

    assertThatThrownBy(() -> other.verify(sign(keySet(2, r1, online1), rootA), fromA, NOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> other.verifyChain(List.of(), null, NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static KeySet withRecovery(
      long version, RootKeys root, KeySet.Recovery recovery, KeyPair... keys) {
    KeySet plain = keySet(version, root, keys);
    return new KeySet(
        version,
        plain.issuedAt(),
        plain.expires(),
        plain.signingKeys(),
        new TreeSet<>(recovery.keyIds()),
        root,
        Optional.ofNullable(recovery));
  }

  @Test
  void D13_recoveryMarker_isReportedOnceWhenItsEpochRises() {
    RootKeys root = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(root);
    TrustedKeySet before =
        accepted(verifier.verify(sign(keySet(1, root, online1), rootA), null, NOW));
    KeySet.Recovery voidOnline1 = new KeySet.Recovery(1, new TreeSet<>(List.of(id(online1))));

    KeySetVerdict recovery =
        verifier.verify(sign(withRecovery(2, root, voidOnline1, online2), rootA), before, NOW);
    TrustedKeySet recovered = accepted(recovery);
    KeySetVerdict next =
        verifier.verify(sign(withRecovery(3, root, voidOnline1, online2), rootA), recovered, NOW);

    assertThat(((Accepted) recovery).recovery()).contains(voidOnline1);
    assertThat(recovered.status(id(online1), NOW)).isEqualTo(KeySet.KeyStatus.REVOKED);
    assertThat(((Accepted) next).recovery()).isEmpty();
  }

  @Test
  void D13_recoveryMarker_fromACompromisedOnlineKey_isRefused() {
    RootKeys root = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(root);
    TrustedKeySet held =
        accepted(verifier.verify(sign(keySet(1, root, online1, online2), rootA), null, NOW));
    // The attacker, holding online1, tries to void the floors set by the genuine online2.
    KeySet.Recovery forged = new KeySet.Recovery(1, new TreeSet<>(List.of(id(online2))));

    refused(
        verifier.verify(sign(withRecovery(2, root, forged, online1), online1), held, NOW),
        Reason.THRESHOLD_NOT_MET);
  }

  @Test
  void D13_recoveryMarker_cannotGoBack() {
    RootKeys root = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(root);
    KeySet.Recovery epoch1 = new KeySet.Recovery(1, new TreeSet<>(List.of(id(online1))));
    KeySet.Recovery epoch2 =
        new KeySet.Recovery(2, new TreeSet<>(List.of(id(online1), id(outsider))));
    TrustedKeySet atEpoch2 =
        accepted(verifier.verify(sign(withRecovery(5, root, epoch2, online2), rootA), null, NOW));

    refused(
        verifier.verify(sign(keySet(6, root, online2), rootA), atEpoch2, NOW),
        Reason.RECOVERY_ROLLBACK);
    refused(
        verifier.verify(sign(withRecovery(6, root, epoch1, online2), rootA), atEpoch2, NOW),
        Reason.RECOVERY_ROLLBACK);
    KeySet.Recovery rewritten = new KeySet.Recovery(2, new TreeSet<>(List.of(id(online1))));
    refused(
        verifier.verify(sign(withRecovery(6, root, rewritten, online2), rootA), atEpoch2, NOW),
        Reason.RECOVERY_ROLLBACK);
    KeySet.Recovery dropping = new KeySet.Recovery(3, new TreeSet<>(List.of(id(online1))));
    refused(
        verifier.verify(sign(withRecovery(6, root, dropping, online2), rootA), atEpoch2, NOW),
        Reason.RECOVERY_ROLLBACK);
    KeySet.Recovery epoch3 =
        new KeySet.Recovery(3, new TreeSet<>(List.of(id(online1), id(outsider), id(rootC))));
    assertThat(
            ((Accepted)
                    verifier.verify(
                        sign(withRecovery(6, root, epoch3, online2), rootA), atEpoch2, NOW))
                .recovery())
        .contains(epoch3);
  }

  @Test
  void D13_clientSkippingKeySets_stillSeesTheRecovery() {
    RootKeys root = root(1, rootA);
    KeySetVerifier verifier = new KeySetVerifier(root);
    TrustedKeySet old = accepted(verifier.verify(sign(keySet(1, root, online1), rootA), null, NOW));
    KeySet.Recovery epoch1 = new KeySet.Recovery(1, new TreeSet<>(List.of(id(online1))));

    // Version 2 introduced the marker; version 7 still carries it.
    KeySetVerdict verdict =
        verifier.verify(sign(withRecovery(7, root, epoch1, online2), rootA), old, NOW);

    assertThat(((Accepted) verdict).recovery()).contains(epoch1);
  }

  @Test
  void reloadFromCache_verifiesTheStoredChainFromThePinnedRootAgain() throws Exception {
    RootKeys r1 = root(1, rootA);
    RootKeys r2 = root(1, rootB);
    KeySetVerifier verifier = new KeySetVerifier(r1);
    List<byte[]> stored = new ArrayList<>();
    stored.add(sign(keySet(2, r2, online1), rootA, rootB).toBytes());
    stored.add(sign(keySet(3, r2, online2), rootB).toBytes());

    List<SignedKeySet> chain = new ArrayList<>();
    for (byte[] bytes : stored) {
      chain.add(SignedKeySet.parse(bytes));
    }

    assertThat(accepted(verifier.verifyChain(chain, null, NOW)).version()).isEqualTo(3);
    // The newest alone is signed by r2 only, which the pinned r1 does not vouch for.
    refused(verifier.verify(chain.get(1), null, NOW), Reason.THRESHOLD_NOT_MET);
  }
}
