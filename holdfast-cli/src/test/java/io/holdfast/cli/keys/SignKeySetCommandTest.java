package io.holdfast.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.KeySetVerdict;
import io.holdfast.protocol.keyset.KeySetVerifier;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.keyset.RootSignature;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.protocol.signature.VerificationKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignKeySetCommandTest {

  @TempDir Path dir;

  private Path root;
  private VerificationKey online;
  private VerificationKey leaked;

  @BeforeEach
  void createRoot() {
    root = dir.resolve("root");
    KeysRun.of("keys", "init-root", "--out", root).ok();
    online = VerificationKey.of(RootKeyFile.generate().getPublic());
    leaked = VerificationKey.of(RootKeyFile.generate().getPublic());
  }

  private Path rootJson() {
    return root.resolve("root.json");
  }

  private Path rootKey() {
    return root.resolve("root-key-1.pem");
  }

  private static KeySetVerdict verify(RootKeys pinned, Path file) {
    return new KeySetVerifier(pinned).verify(KeySetFile.read(file), null, Instant.now());
  }

  @Test
  void signedKeySet_verifiesUnderTheRoot_withKeysWindowsAndRevocations() throws Exception {
    Path out = dir.resolve("ks.json");

    KeysRun run =
        KeysRun.of(
                "keys",
                "sign-keyset",
                "--root",
                rootJson(),
                "--root-key",
                rootKey(),
                "--signing-key",
                online.toBase64(),
                "--not-before",
                "2026-01-01T00:00:00Z",
                "--not-after",
                "30d",
                "--revoke",
                leaked.keyId(),
                "--version",
                7,
                "--expires",
                "90d",
                "--out",
                out)
            .ok();

    KeySetVerdict verdict = verify(RootFile.read(rootJson()), out);
    assertThat(verdict).isInstanceOf(KeySetVerdict.Accepted.class);
    KeySet keySet = ((KeySetVerdict.Accepted) verdict).trusted().keySet();
    assertThat(keySet.version()).isEqualTo(7);
    assertThat(keySet.revoked()).containsExactly(leaked.keyId());
    assertThat(keySet.root()).isEqualTo(RootFile.read(rootJson()));
    KeySet.SigningKey key = keySet.signingKey(online.keyId()).orElseThrow();
    assertThat(key.notBefore()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(key.notAfter()).isEqualTo(keySet.issuedAt().plus(Duration.ofDays(30)));
    assertThat(keySet.expires()).isEqualTo(keySet.issuedAt().plus(Duration.ofDays(90)));
    assertThat(keySet.status(leaked.keyId(), Instant.now())).isEqualTo(KeySet.KeyStatus.REVOKED);
    assertThat(run.out())
        .contains("key set version 7")
        .contains("revoked  " + leaked.keyId())
        .contains(online.keyId() + "  from 2026-01-01T00:00:00Z until")
        .contains("root " + RootText.ids(keySet.root()) + ": 1 of 1 keys signed; threshold 1 met")
        .contains("verdict: accepted: version 7 is trusted")
        .contains("wrote " + out)
        .contains("holdfast keys publish " + out);
  }

  @Test
  void defaultWindow_startsADayBeforeIssue_andEndsWithTheKeySet() {
    Path out = dir.resolve("ks.json");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            online.toBase64(),
            "--version",
            1,
            "--expires",
            "2099-01-01T00:00:00Z",
            "--out",
            out)
        .ok();

    KeySet keySet = KeySetFile.read(out).keySet();
    KeySet.SigningKey key = keySet.signingKey(online.keyId()).orElseThrow();

    assertThat(key.notBefore()).isEqualTo(keySet.issuedAt().minus(Duration.ofDays(1)));
    assertThat(key.notAfter()).isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
  }

  @Test
  void signingKey_fromAPemFileWithAPublicKeyBlock_andWindowsPerKey() throws Exception {
    Path pem = dir.resolve("signing-public.pem");
    Files.writeString(
        pem, "-----BEGIN PUBLIC KEY-----\n" + online.toBase64() + "\n-----END PUBLIC KEY-----\n");
    Path out = dir.resolve("ks.json");

    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            leaked.toBase64(),
            "--not-after",
            "1d",
            "--signing-key",
            pem,
            "--not-before",
            "2d",
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .ok();

    KeySet keySet = KeySetFile.read(out).keySet();
    Instant issued = keySet.issuedAt();
    assertThat(keySet.signingKey(leaked.keyId()).orElseThrow().notAfter())
        .isEqualTo(issued.plus(Duration.ofDays(1)));
    assertThat(keySet.signingKey(online.keyId()).orElseThrow().notBefore())
        .isEqualTo(issued.plus(Duration.ofDays(2)));
    assertThat(keySet.status(online.keyId(), Instant.now()))
        .isEqualTo(KeySet.KeyStatus.NOT_YET_VALID);
  }

  @Test
  void recoveryMarker_isSigned() {
    Path out = dir.resolve("ks.json");

    KeysRun run =
        KeysRun.of(
                "keys",
                "sign-keyset",
                "--root",
                rootJson(),
                "--root-key",
                rootKey(),
                "--signing-key",
                online.toBase64(),
                "--revoke",
                leaked.keyId(),
                "--recovery-epoch",
                1,
                "--recovery-key",
                leaked.keyId(),
                "--version",
                2,
                "--expires",
                "90d",
                "--out",
                out)
            .ok();

    KeySet keySet = KeySetFile.read(out).keySet();
    assertThat(keySet.recovery()).isPresent();
    assertThat(keySet.recovery().get().epoch()).isEqualTo(1);
    assertThat(keySet.recovery().get().keyIds()).containsExactly(leaked.keyId());
    assertThat(run.out())
        .contains("recovery epoch 1: revisions signed by " + leaked.keyId() + " are void");
  }

  @Test
  void threshold_isMetByCosigning_oneHolderAtATime() throws Exception {
    Path team = dir.resolve("team");
    KeysRun.of("keys", "init-root", "--out", team, "--keys", 3, "--threshold", 2).ok();
    Path teamRoot = team.resolve("root.json");
    RootKeys pinned = RootFile.read(teamRoot);
    Path out = dir.resolve("ks.json");

    KeysRun first =
        KeysRun.of(
                "keys",
                "sign-keyset",
                "--root",
                teamRoot,
                "--root-key",
                team.resolve("root-key-1.pem"),
                "--signing-key",
                online.toBase64(),
                "--version",
                1,
                "--expires",
                "90d",
                "--out",
                out)
            .ok();
    assertThat(first.out())
        .contains("1 of 3 keys signed; threshold 2 not met, 1 more needed")
        .contains("verdict: refused (THRESHOLD_NOT_MET)")
        .contains("holdfast keys cosign --in " + out);
    assertThat(verify(pinned, out))
        .isInstanceOfSatisfying(
            KeySetVerdict.Refused.class,
            refused ->
                assertThat(refused.reason()).isEqualTo(KeySetVerdict.Reason.THRESHOLD_NOT_MET));
    byte[] payload = KeySetFile.read(out).payload();

    KeysRun second =
        KeysRun.of(
                "keys",
                "cosign",
                "--in",
                out,
                "--root",
                teamRoot,
                "--root-key",
                team.resolve("root-key-3.pem"),
                "--out",
                out)
            .ok();

    assertThat(second.out())
        .contains("added the signature of ")
        .contains("2 of 3 keys signed; threshold 2 met")
        .contains("verdict: accepted");
    assertThat(verify(pinned, out)).isInstanceOf(KeySetVerdict.Accepted.class);
    assertThat(KeySetFile.read(out).payload()).isEqualTo(payload);
    assertThat(KeySetFile.read(out).signatures()).hasSize(2);

    KeysRun again =
        KeysRun.of(
                "keys",
                "cosign",
                "--in",
                out,
                "--root",
                teamRoot,
                "--root-key",
                team.resolve("root-key-3.pem"),
                "--out",
                dir.resolve("again.json"))
            .ok();
    assertThat(again.out()).contains("nothing added: every key given had signed already");
  }

  @Test
  void rootRotation_signedByBothRoots_verifiesAsAChainStep() throws Exception {
    Path next = dir.resolve("next");
    KeysRun.of("keys", "init-root", "--out", next, "--keys", 2, "--threshold", 2).ok();
    RootKeys pinned = RootFile.read(rootJson());
    RootKeys nextRoot = RootFile.read(next.resolve("root.json"));
    Path v1 = dir.resolve("v1.json");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            online.toBase64(),
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            v1)
        .ok();
    Path v2 = dir.resolve("v2.json");

    KeysRun outgoingOnly =
        KeysRun.of(
                "keys",
                "sign-keyset",
                "--root",
                rootJson(),
                "--next-root",
                next.resolve("root.json"),
                "--root-key",
                rootKey(),
                "--root-key",
                next.resolve("root-key-1.pem"),
                "--signing-key",
                online.toBase64(),
                "--version",
                2,
                "--expires",
                "90d",
                "--out",
                v2)
            .ok();
    assertThat(outgoingOnly.out())
        .contains("trusted root " + RootText.ids(pinned) + ": 1 of 1 keys signed; threshold 1 met")
        .contains(
            "new root the key set names "
                + RootText.ids(nextRoot)
                + ": 1 of 2 keys signed; threshold 2 not met, 1 more needed")
        .contains("verdict: refused (NEW_ROOT_THRESHOLD_NOT_MET)");

    KeysRun.of(
            "keys",
            "cosign",
            "--in",
            v2,
            "--root",
            rootJson(),
            "--root-key",
            next.resolve("root-key-2.pem"),
            "--out",
            v2)
        .ok();

    KeySetVerdict chain =
        new KeySetVerifier(pinned)
            .verifyChain(List.of(KeySetFile.read(v1), KeySetFile.read(v2)), null, Instant.now());
    assertThat(chain).isInstanceOf(KeySetVerdict.Accepted.class);
    assertThat(((KeySetVerdict.Accepted) chain).trusted().root()).isEqualTo(nextRoot);

    // The next key set needs only the new root, and continues the chain.
    Path v3 = dir.resolve("v3.json");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            next.resolve("root.json"),
            "--root-key",
            next.resolve("root-key-1.pem"),
            "--root-key",
            next.resolve("root-key-2.pem"),
            "--signing-key",
            online.toBase64(),
            "--version",
            3,
            "--expires",
            "90d",
            "--out",
            v3)
        .ok();
    assertThat(
            new KeySetVerifier(pinned)
                .verifyChain(
                    List.of(KeySetFile.read(v1), KeySetFile.read(v2), KeySetFile.read(v3)),
                    null,
                    Instant.now()))
        .isInstanceOf(KeySetVerdict.Accepted.class);

    KeysRun inspect = KeysRun.of("keys", "inspect", v2, "--root", rootJson()).ok();
    assertThat(inspect.out()).contains("verdict: accepted").contains("and rotates it to");
  }

  @Test
  void inspect_printsTheKeySetReadably() {
    Path out = dir.resolve("ks.json");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            online.toBase64(),
            "--revoke",
            leaked.keyId(),
            "--version",
            4,
            "--expires",
            "2099-01-01T00:00:00Z",
            "--out",
            out)
        .ok();
    String rootKeyId = RootFile.read(rootJson()).keyIds().first();

    KeysRun run = KeysRun.of("keys", "inspect", out).ok();

    assertThat(run.out())
        .contains("key set version 4 (holdfast-keyset-1)")
        .contains("  issued   ")
        .contains("  expires  2099-01-01T00:00:00Z (in ")
        .contains("  root     (1 of " + rootKeyId + "), which must sign the next key set")
        .contains("    " + online.keyId() + "  from ")
        .contains("until 2099-01-01T00:00:00Z  valid now")
        .contains("  revoked  " + leaked.keyId())
        .contains("  " + rootKeyId + "  verifies")
        .contains("give --root <root.json>");
  }

  @Test
  void inspect_withAnotherRoot_exitsUntrusted() {
    Path out = dir.resolve("ks.json");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            online.toBase64(),
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .ok();
    Path other = dir.resolve("other");
    KeysRun.of("keys", "init-root", "--out", other).ok();

    KeysRun run = KeysRun.of("keys", "inspect", out, "--root", other.resolve("root.json"));

    assertThat(run.exit()).isEqualTo(KeysCommand.EXIT_UNTRUSTED);
    assertThat(run.out())
        .contains(
            "trusted root "
                + RootText.ids(RootFile.read(other.resolve("root.json")))
                + ": 0 of 1 keys signed; threshold 1 not met")
        .contains("verdict: refused (THRESHOLD_NOT_MET)");
  }

  @Test
  void cosign_refusesAKeySetWhoseSignatureDoesNotVerify() throws Exception {
    Path team = dir.resolve("team");
    KeysRun.of("keys", "init-root", "--out", team, "--keys", 2, "--threshold", 2).ok();
    Path out = dir.resolve("ks.json");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            team.resolve("root.json"),
            "--root-key",
            team.resolve("root-key-1.pem"),
            "--signing-key",
            online.toBase64(),
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .ok();
    SignedKeySet signed = KeySetFile.read(out);
    RootSignature original = signed.signatures().get(0);
    byte[] forged = original.signature();
    forged[0] ^= 1;
    Path tampered = dir.resolve("tampered.json");
    Files.write(
        tampered,
        new SignedKeySet(signed.keySet(), List.of(new RootSignature(original.keyId(), forged)))
            .toBytes());

    KeysRun.of(
            "keys",
            "cosign",
            "--in",
            tampered,
            "--root",
            team.resolve("root.json"),
            "--root-key",
            team.resolve("root-key-2.pem"),
            "--out",
            dir.resolve("x.json"))
        .refused(
            "not signing " + tampered + ": the key set would be refused: refused (BAD_SIGNATURE)");
    assertThat(dir.resolve("x.json")).doesNotExist();

    KeysRun inspect = KeysRun.of("keys", "inspect", tampered);
    assertThat(inspect.out()).contains(original.keyId() + "  DOES NOT VERIFY");
  }

  @Test
  void badInput_eachGivesItsMessageAndExit2_andWritesNothing() throws Exception {
    Path out = dir.resolve("ks.json");
    String key = online.toBase64();
    Path otherRoot = dir.resolve("other");
    KeysRun.of("keys", "init-root", "--out", otherRoot).ok();

    sign(
            "--root",
            dir.resolve("missing.json"),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("the root file " + dir.resolve("missing.json") + " does not exist");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            otherRoot.resolve("root-key-1.pem"),
            "--signing-key",
            key,
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("which is not a key of the root (1 of ");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("which another --root-key gives already");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            dir.resolve("nokey.pem"),
            "--signing-key",
            key,
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("the root key " + dir.resolve("nokey.pem") + " does not exist");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            "not-a-key",
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("--signing-key 'not-a-key' is neither a public key as GET /v1/keys lists it");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            rootJson(),
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("holds neither a PUBLIC KEY block nor a base64 public key; extract one with:");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--version",
            1,
            "--expires",
            "soon",
            "--out",
            out)
        .refused(
            "--expires: 'soon' is neither an instant such as 2027-03-01T00:00:00Z nor a duration");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--version",
            1,
            "--expires",
            "P9999999D",
            "--out",
            out)
        .refused("--expires: 'P9999999D' is after the year 9999");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--version",
            1,
            "--expires",
            "0d",
            "--out",
            out)
        .refused("--expires: '0d' is not a positive duration");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--version",
            1,
            "--expires",
            "2020-01-01T00:00:00Z",
            "--out",
            out)
        .refused("--expires 2020-01-01T00:00:00Z is not after the issue time");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--not-before",
            "2d",
            "--not-after",
            "1d",
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("signing key " + online.keyId() + ": --not-after");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--revoke",
            "hf1-nothex",
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused(
            "cannot build the key set: a revoked key id is hf1- and 16 hex digits, not 'hf1-nothex'");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--revoke",
            online.keyId(),
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("signing key " + online.keyId() + " is listed and revoked at once");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--version",
            0,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("the version must be at least 1, was 0");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--recovery-epoch",
            1,
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("a recovery marker needs both --recovery-epoch and at least one --recovery-key");
    sign(
            "--root",
            rootJson(),
            "--next-root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("is the same root as --root; leave --next-root out");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--not-before",
            "1d",
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("Missing required argument(s): --signing-key=KEY");
    assertThat(out).doesNotExist();

    Files.writeString(out, "taken");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            key,
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .refused("--out " + out + " exists; choose another file");
    assertThat(Files.readString(out)).isEqualTo("taken");
  }

  @Test
  void badKeySetFiles_areRefusedByNameAndMember() throws Exception {
    Path out = dir.resolve("ks.json");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            online.toBase64(),
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .ok();
    Path pretty = dir.resolve("pretty.json");
    Files.writeString(pretty, Files.readString(out) + "\n");
    Path garbage = dir.resolve("garbage.json");
    Files.writeString(garbage, "{\"signed\":{}}");

    KeysRun.of("keys", "inspect", pretty)
        .refused("the key set " + pretty + " is refused: the key set is not in canonical form");
    KeysRun.of("keys", "inspect", garbage).refused("the key set " + garbage + " is refused:");
    KeysRun.of("keys", "inspect", dir.resolve("none.json"))
        .refused("the key set " + dir.resolve("none.json") + " does not exist");
    KeysRun.of(
            "keys",
            "cosign",
            "--in",
            dir.resolve("none.json"),
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--out",
            out)
        .refused("does not exist");
    Path big = dir.resolve("big.json");
    Files.write(big, new byte[SignedKeySet.MAX_BYTES + 1]);
    KeysRun.of("keys", "inspect", big).refused("a key set has at most 65536");
    Path plain = dir.resolve("plain.json");
    Files.writeString(plain, "[1,");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            plain,
            "--root-key",
            rootKey(),
            "--version",
            1,
            "--expires",
            "1d",
            "--out",
            dir.resolve("x.json"))
        .refused("the root file " + plain + " is not valid JSON");
    Files.writeString(plain, "{\"keys\":[],\"threshold\":1,\"extra\":true}");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            plain,
            "--root-key",
            rootKey(),
            "--version",
            1,
            "--expires",
            "1d",
            "--out",
            dir.resolve("x.json"))
        .refused("the root file " + plain + " has the unknown member 'extra'");
  }

  @Test
  void signatureBytesOnDisk_areBase64OfSixtyFourBytes() throws Exception {
    Path out = dir.resolve("ks.json");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            online.toBase64(),
            "--version",
            1,
            "--expires",
            "90d",
            "--out",
            out)
        .ok();

    RootSignature signature = KeySetFile.read(out).signatures().get(0);

    assertThat(signature.signature()).hasSize(RootSignature.LENGTH);
    assertThat(Files.readString(out))
        .contains(Base64.getEncoder().encodeToString(signature.signature()));
  }

  @Test
  void previous_carriesRevocationsAndTheRecoveryMarker_andTakesTheNextVersion() {
    Path v1 = dir.resolve("v1.json");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            online.toBase64(),
            "--revoke",
            leaked.keyId(),
            "--recovery-epoch",
            1,
            "--recovery-key",
            leaked.keyId(),
            "--version",
            5,
            "--expires",
            "90d",
            "--out",
            v1)
        .ok();
    Path v2 = dir.resolve("v2.json");

    KeysRun run =
        KeysRun.of(
                "keys",
                "sign-keyset",
                "--root",
                rootJson(),
                "--root-key",
                rootKey(),
                "--previous",
                v1,
                "--signing-key",
                online.toBase64(),
                "--expires",
                "90d",
                "--out",
                v2)
            .ok();

    KeySet keySet = KeySetFile.read(v2).keySet();
    assertThat(keySet.version()).isEqualTo(6);
    assertThat(keySet.revoked()).containsExactly(leaked.keyId());
    assertThat(keySet.recovery()).isEqualTo(KeySetFile.read(v1).keySet().recovery());
    assertThat(run.out()).contains("follows key set version 5 (" + v1 + ")");
    assertThat(
            new KeySetVerifier(RootFile.read(rootJson()))
                .verifyChain(
                    List.of(KeySetFile.read(v1), KeySetFile.read(v2)), null, Instant.now()))
        .isInstanceOf(KeySetVerdict.Accepted.class);
  }

  @Test
  void previous_refusesWhatClientsWouldRefuse() {
    Path v1 = dir.resolve("v1.json");
    KeysRun.of(
            "keys",
            "sign-keyset",
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            online.toBase64(),
            "--recovery-epoch",
            1,
            "--recovery-key",
            leaked.keyId(),
            "--version",
            5,
            "--expires",
            "90d",
            "--out",
            v1)
        .ok();
    Path out = dir.resolve("v2.json");
    Path other = dir.resolve("other");
    KeysRun.of("keys", "init-root", "--out", other).ok();

    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--previous",
            v1,
            "--version",
            5,
            "--signing-key",
            online.toBase64(),
            "--expires",
            "90d",
            "--out",
            out)
        .refused("--version 5 is not above the version of the previous key set " + v1 + " (5)");
    sign(
            "--root",
            other.resolve("root.json"),
            "--root-key",
            other.resolve("root-key-1.pem"),
            "--previous",
            v1,
            "--signing-key",
            online.toBase64(),
            "--expires",
            "90d",
            "--out",
            out)
        .refused(
            "names the root "
                + RootText.ids(RootFile.read(rootJson()))
                + ", which must sign the next one");
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--previous",
            v1,
            "--recovery-epoch",
            1,
            "--recovery-key",
            online.keyId(),
            "--signing-key",
            leaked.toBase64(),
            "--expires",
            "90d",
            "--out",
            out)
        .refused(
            "the recovery marker goes back from the previous key set's (epoch 1, "
                + leaked.keyId());
    sign(
            "--root",
            rootJson(),
            "--root-key",
            rootKey(),
            "--signing-key",
            online.toBase64(),
            "--expires",
            "90d",
            "--out",
            out)
        .refused(
            "give --version, or --previous <the key set published before> to take the next one");
    assertThat(out).doesNotExist();
  }

  @Test
  void help_isShown_althoughVersionIsTheKeySetsVersionHere() {
    KeysRun run = KeysRun.of("keys", "sign-keyset", "--help").ok();

    assertThat(run.out())
        .contains("Usage: holdfast keys sign-keyset")
        .contains("--version=N")
        .contains("--signing-key=KEY");
  }

  private static KeysRun sign(Object... args) {
    Object[] full = new Object[args.length + 2];
    full[0] = "keys";
    full[1] = "sign-keyset";
    System.arraycopy(args, 0, full, 2, args.length);
    return KeysRun.of(full);
  }
}
