package io.holdfast.protocol.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.holdfast.protocol.document.Envelope;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignatureTest {

  private static KeyPair keyPair;
  private static KeyPair otherKeyPair;
  private static DocumentSigner signer;

  private static final byte[] BYTES =
      "{\"content\":{},\"format\":\"holdfast-envelope-1\"}".getBytes(StandardCharsets.UTF_8);

  @BeforeAll
  static void generateKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    keyPair = generator.generateKeyPair();
    otherKeyPair = generator.generateKeyPair();
    signer = new DocumentSigner(keyPair);
  }

  @Test
  void signedBytes_verifyWithTheSignersKey() {
    SignatureHeader header = signer.sign(BYTES);

    assertThat(header.algorithm()).isEqualTo("ed25519");
    assertThat(header.keyId()).isEqualTo(signer.verificationKey().keyId());
    assertThat(header.signature()).hasSize(64);
    assertThat(signer.verificationKey().verifies(BYTES, header)).isTrue();
    assertThat(VerificationKey.of(keyPair.getPublic()).verifies(BYTES, header)).isTrue();
  }

  @Test
  void signedEnvelope_verifiesAfterHeaderRoundTrip() throws Exception {
    Envelope envelope =
        new Envelope(
            "i",
            "core",
            1,
            Instant.parse("2024-01-01T00:00:00Z"),
            JsonMapper.builder().build().readTree("{\"b\":1,\"a\":2}"));
    byte[] body = envelope.toBytes();

    SignatureHeader header = SignatureHeader.parse(signer.sign(body).toHeaderValue());

    assertThat(signer.verificationKey().verifies(body, header)).isTrue();
  }

  @Test
  void ed25519IsDeterministic_sameBytesGiveSameSignature() {
    assertThat(signer.sign(BYTES).signature()).isEqualTo(signer.sign(BYTES).signature());
    assertThat(new DocumentSigner(keyPair).sign(BYTES).toHeaderValue())
        .isEqualTo(signer.sign(BYTES).toHeaderValue());
  }

  @Test
  void A8_flippedByteInBody_failsVerification() {
    SignatureHeader header = signer.sign(BYTES);
    for (int i = 0; i < BYTES.length; i++) {
      byte[] tampered = BYTES.clone();
      tampered[i] ^= 0x01;
      assertThat(signer.verificationKey().verifies(tampered, header)).as("flip at %d", i).isFalse();
    }
  }

  @Test
  void flippedByteInSignature_failsVerification() {
    SignatureHeader header = signer.sign(BYTES);
    byte[] sig = header.signature();
    sig[10] ^= 0x01;

    assertThat(
            signer
                .verificationKey()
                .verifies(BYTES, new SignatureHeader(header.keyId(), header.algorithm(), sig)))
        .isFalse();
  }

  @Test
  void truncatedOrEmptySignature_failsWithoutThrowing() {
    SignatureHeader header = signer.sign(BYTES);
    byte[] truncated = java.util.Arrays.copyOf(header.signature(), 32);

    assertThat(
            signer
                .verificationKey()
                .verifies(BYTES, new SignatureHeader(header.keyId(), "ed25519", truncated)))
        .isFalse();
    assertThat(
            signer
                .verificationKey()
                .verifies(BYTES, new SignatureHeader(header.keyId(), "ed25519", new byte[0])))
        .isFalse();
  }

  @Test
  void signatureByDifferentKey_failsVerification() {
    DocumentSigner other = new DocumentSigner(otherKeyPair);
    SignatureHeader foreign = other.sign(BYTES);

    assertThat(signer.verificationKey().verifies(BYTES, foreign)).isFalse();
    // Even when the attacker claims our key id, the signature does not verify.
    SignatureHeader spoofed =
        new SignatureHeader(signer.verificationKey().keyId(), "ed25519", foreign.signature());
    assertThat(signer.verificationKey().verifies(BYTES, spoofed)).isFalse();
  }

  @Test
  void validSignatureUnderWrongKeyId_failsVerification() {
    SignatureHeader header = signer.sign(BYTES);
    SignatureHeader relabelled =
        new SignatureHeader("hf1-0000000000000000", header.algorithm(), header.signature());

    assertThat(signer.verificationKey().verifies(BYTES, relabelled)).isFalse();
  }

  @Test
  void D17_algNone_failsVerification() {
    SignatureHeader header = signer.sign(BYTES);
    SignatureHeader none = new SignatureHeader(header.keyId(), "none", header.signature());
    SignatureHeader noneEmpty = new SignatureHeader(header.keyId(), "none", new byte[0]);

    assertThat(signer.verificationKey().verifies(BYTES, none)).isFalse();
    assertThat(signer.verificationKey().verifies(BYTES, noneEmpty)).isFalse();
  }

  @Test
  void D17_algNoneHeaderParsedFromWire_failsVerification() {
    SignatureHeader header = signer.sign(BYTES);
    String wire = "keyid=\"" + header.keyId() + "\", alg=\"none\", sig=::";

    assertThat(signer.verificationKey().verifies(BYTES, SignatureHeader.parse(wire))).isFalse();
  }

  @Test
  void otherAlgorithmNames_failVerificationEvenWithValidSignature() {
    SignatureHeader header = signer.sign(BYTES);
    for (String alg : new String[] {"ED25519", "Ed25519", "eddsa", "ecdsa-p256", "", "hs256"}) {
      SignatureHeader relabelled = new SignatureHeader(header.keyId(), alg, header.signature());
      assertThat(signer.verificationKey().verifies(BYTES, relabelled)).as(alg).isFalse();
    }
  }

  @Test
  void keyId_isDeterministicForSameKeyAndDerivedFromItsEncoding() throws Exception {
    String id = VerificationKey.of(keyPair.getPublic()).keyId();
    String expected =
        "hf1-"
            + HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256").digest(keyPair.getPublic().getEncoded()))
                .substring(0, 16);

    assertThat(id).isEqualTo(expected).matches("hf1-[0-9a-f]{16}");
    assertThat(VerificationKey.of(keyPair.getPublic()).keyId()).isEqualTo(id);
    assertThat(new DocumentSigner(keyPair).verificationKey().keyId()).isEqualTo(id);
    assertThat(
            VerificationKey.fromBase64(VerificationKey.of(keyPair.getPublic()).toBase64()).keyId())
        .isEqualTo(id);
  }

  @Test
  void keyId_differsForAnotherKey() {
    assertThat(VerificationKey.of(otherKeyPair.getPublic()).keyId())
        .isNotEqualTo(VerificationKey.of(keyPair.getPublic()).keyId());
  }

  @Test
  void verificationKey_fromBase64RoundTrips() {
    VerificationKey key = signer.verificationKey();

    VerificationKey decoded = VerificationKey.fromBase64(key.toBase64());

    assertThat(decoded.keyId()).isEqualTo(key.keyId());
    assertThat(decoded.toBase64()).isEqualTo(key.toBase64());
    assertThat(decoded.publicKey().getEncoded()).isEqualTo(keyPair.getPublic().getEncoded());
    assertThat(decoded.verifies(BYTES, signer.sign(BYTES))).isTrue();
  }

  @Test
  void verificationKey_toBase64IsStandardBase64OfX509() {
    assertThat(Base64.getDecoder().decode(signer.verificationKey().toBase64()))
        .isEqualTo(keyPair.getPublic().getEncoded());
  }

  @Test
  void verificationKey_fromBase64RejectsGarbage() throws Exception {
    String rsa =
        Base64.getEncoder()
            .encodeToString(
                KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded());
    String ed448 =
        Base64.getEncoder()
            .encodeToString(
                KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic().getEncoded());
    String truncated = signer.verificationKey().toBase64().substring(0, 20);

    for (String bad : new String[] {"", "not base64!", "AAAA", rsa, ed448, truncated}) {
      assertThatThrownBy(() -> VerificationKey.fromBase64(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void signer_rejectsNonEd25519Keys() throws Exception {
    KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();

    assertThatThrownBy(() -> new DocumentSigner(rsa)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DocumentSigner(ec)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DocumentSigner(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void signer_rejectsEd448KeysAtConstruction() throws Exception {
    // Ed448 keys also report the algorithm name "EdDSA"; they must not pass as Ed25519 keys.
    KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();

    assertThatThrownBy(() -> new DocumentSigner(ed448))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verificationKeyOfNonEd25519Key_neverVerifies() throws Exception {
    VerificationKey rsaKey =
        VerificationKey.of(KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic());
    SignatureHeader header = signer.sign(BYTES);

    assertThat(
            rsaKey.verifies(
                BYTES, new SignatureHeader(rsaKey.keyId(), "ed25519", header.signature())))
        .isFalse();
  }
}
